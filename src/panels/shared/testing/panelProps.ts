import {
  type DataFrame,
  type DataQueryError,
  dateTime,
  EventBusSrv,
  type FieldConfigSource,
  LoadingState,
  type PanelProps,
} from '@grafana/data';

/** Props as Grafana passes them to a panel, for rendering one in a test. */
export function panelProps<T>(
  options: T,
  series: DataFrame[],
  extra: { errors?: DataQueryError[]; state?: LoadingState; fieldConfig?: FieldConfigSource } = {}
): PanelProps<T> {
  const from = dateTime(1_700_000_000_000);
  const to = dateTime(1_700_000_900_000);
  const timeRange = { from, to, raw: { from: 'now-15m', to: 'now' } };
  return {
    id: 1,
    title: 'test panel',
    data: {
      series,
      errors: extra.errors,
      state: extra.state ?? (extra.errors?.length ? LoadingState.Error : LoadingState.Done),
      timeRange,
    },
    timeRange,
    timeZone: 'utc',
    options,
    fieldConfig: extra.fieldConfig ?? { defaults: {}, overrides: [] },
    transparent: false,
    width: 800,
    height: 600,
    renderCounter: 0,
    eventBus: new EventBusSrv(),
    onOptionsChange: () => {},
    onFieldConfigChange: () => {},
    replaceVariables: (s: string) => s,
    onChangeTimeRange: () => {},
  };
}

/** An answer with no samples: a frame without fields carrying the backend's notice, as pkg/plugin answers. */
export function emptyAnswer(name: string, notice: string): DataFrame {
  return { name, fields: [], length: 0, meta: { notices: [{ severity: 'info', text: notice }] } };
}
