import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { SceneComponentProps, SceneObjectBase, SceneObjectState } from '@grafana/scenes';
import { LinkButton, Stack, Text, useStyles2 } from '@grafana/ui';

import { flameGraphUrl } from '../../../shared/appUrls';
import { getAppSettings } from '../../../shared/currentAppSettings';

/** What the app does today and where to start; grows into the service overview. */
export class WelcomePanel extends SceneObjectBase<SceneObjectState> {
  static Component = WelcomePanelRenderer;
}

function WelcomePanelRenderer(_: SceneComponentProps<WelcomePanel>) {
  const styles = useStyles2(getStyles);
  const explorePane = encodeURIComponent(
    JSON.stringify({ spanflame: { datasource: getAppSettings().parcaDatasourceUid, queries: [{ refId: 'A' }] } })
  );
  return (
    <div className={styles.panel}>
      <Stack direction="column" gap={2}>
        <Text element="h2">Profiles and traces, together</Text>
        <Text color="secondary">
          Spanflame reads CPU profiles from Parca through the Spanflame Parca datasource. See where a service spends its
          CPU in the flame graph, or open the datasource in Explore for top functions, CPU over time and diffs.
        </Text>
        <Stack direction="row" gap={1}>
          <LinkButton icon="fire" href={flameGraphUrl()}>
            Flame graph
          </LinkButton>
          <LinkButton icon="compass" variant="secondary" href={`/explore?schemaVersion=1&panes=${explorePane}`}>
            Open Parca in Explore
          </LinkButton>
        </Stack>
      </Stack>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  panel: css({
    padding: theme.spacing(3),
    background: theme.colors.background.primary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
  }),
});
