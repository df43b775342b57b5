/** What the core panel stand-ins share: their plugin meta, the series they draw, and their empty state. */
import { css } from '@emotion/css';
import {
  type DataFrame,
  type Field,
  type FieldConfigEditorBuilder,
  type FieldConfigSource,
  FieldType,
  getFieldDisplayName,
  type GrafanaTheme2,
  type PanelPluginMeta,
  PluginType,
} from '@grafana/data';
import { config } from '@grafana/runtime';
import { useStyles2 } from '@grafana/ui';

/** Grafana names a core plugin's module "core:plugin/<id>"; the stand-ins keep the ids. */
export function coreStandInMeta(id: string, name: string): PanelPluginMeta {
  return {
    id,
    name: `${name} (preview host stand-in)`,
    type: PluginType.panel,
    module: `core:plugin/${id}`,
    baseUrl: `public/app/plugins/panel/${id}`,
    sort: 0,
    info: {
      author: { name: 'Spanflame preview host' },
      description: `Stand-in for Grafana's built-in ${name} panel`,
      links: [],
      logos: { small: '', large: '' },
      screenshots: [],
      updated: '',
      version: config.buildInfo.version,
    },
  };
}

/**
 * Custom field options with their defaults, for `useFieldConfig({ useCustomConfig })`. A custom option that a
 * panel's registry lacks is dropped from its field config and overrides (Grafana's own panels declare theirs
 * with editors; the host has no panel editor, so these render none).
 */
export function customOptionDefaults(defaults: Record<string, unknown>, shouldApply: (field: Field) => boolean) {
  return (builder: FieldConfigEditorBuilder<Record<string, unknown>>) => {
    for (const [path, defaultValue] of Object.entries(defaults)) {
      builder.addCustomEditor({
        id: path,
        path,
        name: path,
        defaultValue,
        editor: () => null,
        override: () => null,
        process: (value) => value,
        shouldApply,
      });
    }
  };
}

/**
 * Display names of the number fields that hold at least one finite value: what a panel draws. An empty
 * answer (Prometheus' stand-in sends a frame with zero-length fields) draws nothing.
 */
export function drawnSeriesNames(frames: DataFrame[]): string[] {
  return frames.flatMap((frame) =>
    frame.fields
      .filter((f) => f.type === FieldType.number && f.values.some((v) => typeof v === 'number' && Number.isFinite(v)))
      .map((f) => getFieldDisplayName(f, frame, frames))
  );
}

/** Test hooks every stand-in carries: which stand-in it is and what it drew. */
export function seriesHooks(testId: string, names: string[]) {
  return {
    'data-testid': testId,
    'data-series-count': names.length,
    'data-series-names': JSON.stringify(names),
  };
}

/** No data: the panel's "no value" text (a scene's setNoValue) when it has one, as Grafana's panels show it. */
export function NoDataStandIn({ fieldConfig, testId }: { fieldConfig: FieldConfigSource; testId: string }) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.empty} {...seriesHooks(testId, [])} data-empty="true">
      {fieldConfig.defaults.noValue || 'No data'}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  empty: css({
    height: '100%',
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    color: theme.colors.text.secondary,
  }),
});
