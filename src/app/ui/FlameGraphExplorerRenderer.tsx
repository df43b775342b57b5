import { css } from '@emotion/css';
import { type GrafanaTheme2 } from '@grafana/data';
import { type SceneComponentProps } from '@grafana/scenes';
import { Combobox, type ComboboxOption, Field, LinkButton, Stack, useStyles2 } from '@grafana/ui';
import React, { useMemo } from 'react';

import { FlameGraph } from '../../components/FlameGraph';
import { profileTypeOptions } from '../../datasource/profileTypes';
import type { FlameGraphExplorer } from './FlameGraphExplorer';

const ALL_SERVICES = '';

/** The explorer's state as the view needs it, and what a person can do. */
export function useFlameGraphExplorer(model: FlameGraphExplorer) {
  const state = model.useState();
  const typeOptions = useMemo(() => profileTypeOptions(state.profileTypes), [state.profileTypes]);
  const serviceOptions = useMemo<Array<ComboboxOption<string>>>(
    () => [
      { label: 'All services', value: ALL_SERVICES },
      ...state.services.values.map((value) => ({ label: value, value })),
    ],
    [state.services.values]
  );
  return {
    data: { ...state, typeOptions, serviceOptions, pprofUrl: model.pprofUrl() },
    actions: {
      selectProfileType: (option: ComboboxOption<string> | null) => option && model.selectProfileType(option.value),
      selectService: (option: ComboboxOption<string> | null) => model.selectService(option?.value || undefined),
    },
  };
}

export function FlameGraphExplorerRenderer({ model }: SceneComponentProps<FlameGraphExplorer>) {
  const styles = useStyles2(getStyles);
  const { data, actions } = useFlameGraphExplorer(model);
  return (
    <div className={styles.explorer} data-testid="flame-graph-explorer">
      <Stack direction="row" gap={2} wrap="wrap">
        <Field label="Profile type" className={styles.field}>
          <Combobox
            id="spanflame-profile-type"
            aria-label="Profile type"
            options={data.typeOptions}
            value={data.profileType ?? null}
            onChange={actions.selectProfileType}
            placeholder="Loading profile types…"
            width={40}
          />
        </Field>
        <Field label={`Service (${data.services.label})`} className={styles.field}>
          <Combobox
            id="spanflame-service"
            aria-label="Service"
            options={data.serviceOptions}
            value={data.service ?? ALL_SERVICES}
            onChange={actions.selectService}
            width={30}
          />
        </Field>
        {data.pprofUrl && (
          <LinkButton
            className={styles.download}
            variant="secondary"
            icon="download-alt"
            href={data.pprofUrl}
            download
            tooltip="The merged profile of this view as pprof (.pb.gz), for go tool pprof"
          >
            Download pprof
          </LinkButton>
        )}
      </Stack>
      <FlameGraph data={data.frame} loading={data.loading} error={data.error} />
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  explorer: css({
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
    width: '100%',
  }),
  field: css({
    marginBottom: 0,
  }),
  download: css({
    alignSelf: 'flex-end',
  }),
});
