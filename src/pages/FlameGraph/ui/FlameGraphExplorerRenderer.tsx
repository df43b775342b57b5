import { css } from '@emotion/css';
import { type GrafanaTheme2 } from '@grafana/data';
import { type SceneComponentProps } from '@grafana/scenes';
import {
  Combobox,
  type ComboboxOption,
  EmptyState,
  Field,
  IconButton,
  LinkButton,
  Stack,
  useStyles2,
} from '@grafana/ui';
import React, { useMemo } from 'react';

import { describeProfileTypeId, profileTypeOptions } from '../../../datasource/profileTypes';
import { comboboxWidthFor } from '../../../shared/ui/comboboxWidth';
import { SettingsProblem } from '../../../shared/ui/SettingsProblem';
import type { FlameGraphExplorer } from './FlameGraphExplorer';
import { ProfileTypeField } from './ProfileTypeField';

const ALL_SERVICES = '';

/** The explorer's state as the view needs it, and what a person can do. */
export function useFlameGraphExplorer(model: FlameGraphExplorer) {
  const state = model.useState();
  const typeOptions = useMemo(() => {
    const options = profileTypeOptions(state.profileTypes);
    // A type the list lacks (a range without it, or the list still coming) still reads as a name.
    const current = state.profileType;
    return current && !options.some((o) => o.value === current)
      ? [{ value: current, label: describeProfileTypeId(current), description: current }, ...options]
      : options;
  }, [state.profileTypes, state.profileType]);
  const serviceOptions = useMemo<Array<ComboboxOption<string>>>(() => {
    const values = state.services.values;
    const shown = state.service && !values.includes(state.service) ? [state.service, ...values] : values;
    return [{ label: 'All services', value: ALL_SERVICES }, ...shown.map((value) => ({ label: value, value }))];
  }, [state.services.values, state.service]);
  const serviceWidth = useMemo(() => comboboxWidthFor(serviceOptions, 30), [serviceOptions]);
  return {
    data: { ...state, typeOptions, serviceOptions, serviceWidth, pprofUrl: model.pprofUrl() },
    actions: {
      selectProfileType: (option: ComboboxOption<string> | null) => option && model.selectProfileType(option.value),
      selectService: (option: ComboboxOption<string> | null) => model.selectService(option?.value || undefined),
      retry: () => model.retry(),
      clearTraceId: () => model.clearTraceId(),
    },
  };
}

export function FlameGraphExplorerRenderer({ model }: SceneComponentProps<FlameGraphExplorer>) {
  const styles = useStyles2(getStyles);
  const { data, actions } = useFlameGraphExplorer(model);
  if (data.settingsProblem) {
    return <SettingsProblem problem={data.settingsProblem} />;
  }
  return (
    <div className={styles.explorer} data-testid="flame-graph-explorer">
      <Stack direction="row" gap={2} wrap="wrap" alignItems="flex-start">
        <ProfileTypeField
          options={data.typeOptions}
          value={data.profileType}
          error={data.profileTypesError}
          onChange={actions.selectProfileType}
          onRetry={actions.retry}
        />
        <Field label={`Service (${data.services.label})`} className={styles.field}>
          <Combobox
            id="spanflame-service"
            aria-label="Service"
            options={data.serviceOptions}
            value={data.service ?? ALL_SERVICES}
            onChange={actions.selectService}
            width={data.serviceWidth}
          />
        </Field>
        {data.traceId && (
          <Field label="Trace" className={styles.field}>
            <Stack direction="row" gap={1} alignItems="center">
              <span className={styles.traceId} data-testid="flame-trace-filter">
                Only samples of trace {data.traceId}
              </span>
              <IconButton
                name="times"
                tooltip="Show every sample, not only this trace's"
                onClick={actions.clearTraceId}
              />
            </Stack>
          </Field>
        )}
        {data.pprofUrl && !data.noProfilesInRange && (
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
      {data.noProfilesInRange ? (
        <div data-testid="flame-empty">
          <EmptyState variant="not-found" message="No profiles in this time range" hideImage>
            Parca holds no profiles in this time range: pick a wider range, or check that Parca is scraping.
          </EmptyState>
        </div>
      ) : data.profileType ? (
        <data.flameGraph.Component model={data.flameGraph} />
      ) : (
        !data.profileTypesError && <div data-testid="flame-loading">Loading profile types…</div>
      )}
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
  traceId: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
});
