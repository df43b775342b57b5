import { useEffect, useMemo, useRef, useState } from 'react';
import { css } from '@emotion/css';
import {
  applyFieldOverrides,
  EventBusSrv,
  type FieldConfigSource,
  type GrafanaTheme2,
  LoadingState,
  type PanelData,
  type PanelPlugin,
  rangeUtil,
  type RawTimeRange,
} from '@grafana/data';
import { config, getTemplateSrv } from '@grafana/runtime';
import { Alert, LoadingPlaceholder, useStyles2 } from '@grafana/ui';

import { reportHostError } from '../hostErrors';
import { PluginErrorBoundary } from '../PluginErrorBoundary';
import { importPanelPlugin, isCoreStandIn } from '../panels';
import { fieldConfigOf, optionsWithDefaults, panelMeta } from './panelPlugin';
import { type DashboardPanelJSON, runPanelQueries } from './runPanelQueries';

const HEADER_PX = 28;

function useElementSize() {
  const ref = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  useEffect(() => {
    const element = ref.current;
    if (!element) {
      return;
    }
    const observer = new ResizeObserver(([entry]) =>
      setSize({ width: Math.floor(entry.contentRect.width), height: Math.floor(entry.contentRect.height) })
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return { ref, ...size };
}

interface Props {
  panel: DashboardPanelJSON;
  rawRange: RawTimeRange;
  dashboardUID: string;
}

/**
 * One panel: its chrome (title), its queries run, and the panel plugin: one of the app's, a stand-in for one of
 * Grafana's (whose query errors the chrome shows, as Grafana's panel header does), or a note for another core panel.
 */
export function PanelView({ panel, rawRange, dashboardUID }: Props) {
  const styles = useStyles2(getStyles);
  const { ref, width, height } = useElementSize();
  const coreStandIn = isCoreStandIn(panel.type);
  const drawable = coreStandIn || panelMeta(panel.type) !== undefined;
  const [plugin, setPlugin] = useState<PanelPlugin>();
  const [data, setData] = useState<PanelData>();
  const title = getTemplateSrv().replace(panel.title ?? '');

  useEffect(() => {
    if (drawable) {
      importPanelPlugin(panel.type).then(setPlugin, (err) =>
        reportHostError(`Loading panel plugin ${panel.type}`, err)
      );
    }
  }, [drawable, panel.type]);

  // Queries run once the panel has a width (it sets maxDataPoints), and again when the range changes.
  const hasWidth = width > 0;
  useEffect(() => {
    if (!hasWidth) {
      return;
    }
    const controller = new AbortController();
    setData((prev) => ({
      series: prev?.series ?? [],
      state: LoadingState.Loading,
      timeRange: rangeUtil.convertRawToRange(rawRange),
    }));
    runPanelQueries(panel, rawRange, ref.current?.clientWidth ?? 800, dashboardUID, controller.signal).then(
      (result) => !controller.signal.aborted && setData(result),
      (err) => reportHostError(`Running the queries of panel "${panel.title}"`, err)
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [panel, rawRange, dashboardUID, hasWidth]);

  return (
    <section
      className={styles.panel}
      data-testid="dashboard-panel"
      data-panel-type={panel.type}
      data-panel-title={title}
    >
      <header className={styles.header} title={panel.description}>
        {title}
      </header>
      <div ref={ref} className={styles.body}>
        {!data || (drawable && !plugin) ? (
          <LoadingPlaceholder text="Loading…" />
        ) : drawable && plugin ? (
          <PluginErrorBoundary what={`Panel "${title}"`}>
            {coreStandIn && <QueryErrors data={data} />}
            <PluginPanel plugin={plugin} panel={panel} data={data} width={width} height={height} title={title} />
          </PluginErrorBoundary>
        ) : (
          <CorePanelNote type={panel.type} data={data} />
        )}
      </div>
    </section>
  );
}

function PluginPanel({
  plugin,
  panel,
  data,
  width,
  height,
  title,
}: {
  plugin: PanelPlugin;
  panel: DashboardPanelJSON;
  data: PanelData;
  width: number;
  height: number;
  title: string;
}) {
  const Panel = plugin.panel;
  const options = useMemo(() => optionsWithDefaults(plugin, panel.options), [plugin, panel.options]);
  const fieldConfig = useMemo(
    () => fieldConfigOf(panel.fieldConfig as FieldConfigSource | undefined),
    [panel.fieldConfig]
  );
  const eventBus = useMemo(() => new EventBusSrv(), []);
  // Display processors, units, links and the plugin's field defaults, as Grafana applies them before a panel draws.
  const withFieldConfig = useMemo(
    () => ({
      ...data,
      series: applyFieldOverrides({
        data: data.series,
        fieldConfig,
        fieldConfigRegistry: plugin.fieldConfigRegistry,
        replaceVariables: (value, scopedVars, format) => getTemplateSrv().replace(value, scopedVars, format),
        theme: config.theme2,
        timeZone: 'browser',
      }),
    }),
    [data, fieldConfig, plugin]
  );
  if (!Panel) {
    return <Alert severity="error" title={`Panel plugin ${plugin.meta.id} has no panel component`} />;
  }
  return (
    <Panel
      id={panel.id ?? 0}
      title={title}
      data={withFieldConfig}
      timeRange={data.timeRange}
      timeZone="browser"
      options={options}
      fieldConfig={fieldConfig}
      transparent={false}
      width={width}
      height={height}
      renderCounter={0}
      eventBus={eventBus}
      onOptionsChange={() => {}}
      onFieldConfigChange={() => {}}
      replaceVariables={(value, scopedVars, format) => getTemplateSrv().replace(value, scopedVars, format)}
      onChangeTimeRange={() => {}}
    />
  );
}

/** The queries' errors, each with its refId. */
function QueryErrors({ data }: { data: PanelData }) {
  const styles = useStyles2(getStyles);
  if (!data.errors?.length) {
    return null;
  }
  return (
    <div className={styles.note} data-testid="core-panel-errors">
      {data.errors.map((e, i) => (
        <div key={i} className={styles.error}>
          {e.refId ? `Query ${e.refId}: ` : ''}
          {e.message}
        </div>
      ))}
    </div>
  );
}

/**
 * Grafana's own panels without a stand-in here (stat, bar chart, ...) are part of Grafana, not of any npm
 * package the host can load: the host says so and shows what their queries returned, so a broken query still
 * shows.
 */
function CorePanelNote({ type, data }: { type: string; data: PanelData }) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.note} data-testid="core-panel">
      <div>Grafana&apos;s built-in “{type}” panel is not part of the preview host.</div>
      {data.errors?.length ? (
        <QueryErrors data={data} />
      ) : (
        <div data-testid="core-panel-frames">
          Its queries returned {data.series.length} frame(s)
          {data.series.length ? `: ${data.series.map((f) => f.name ?? f.refId).join(', ')}` : ''}.
        </div>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  panel: css({
    display: 'flex',
    flexDirection: 'column',
    minWidth: 0,
    minHeight: 0,
    background: theme.colors.background.primary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    overflow: 'hidden',
  }),
  header: css({
    height: HEADER_PX,
    flex: `0 0 ${HEADER_PX}px`,
    padding: theme.spacing(0.5, 1),
    fontWeight: theme.typography.fontWeightMedium,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  }),
  body: css({ flex: '1 1 0', minHeight: 0, position: 'relative', padding: theme.spacing(0, 1, 1, 1) }),
  note: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  error: css({ color: theme.colors.error.text }),
});
