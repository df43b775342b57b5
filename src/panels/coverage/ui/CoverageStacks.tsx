import { css } from '@emotion/css';
import { type DataFrame, type GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import React from 'react';

import { FlameGraph } from '../../../components/FlameGraph';

/** The stacks of the unlinked samples as a flame graph (chart only: the panel is small). */
export function CoverageStacks({ stacks }: { stacks: DataFrame }) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.stacks} data-testid="coverage-stacks">
      <div className={styles.title}>Stacks without a trace link</div>
      <FlameGraph data={stacks} showFlameGraphOnly />
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  stacks: css({ padding: theme.spacing(0, 1) }),
  title: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
