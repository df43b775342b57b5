import { useEffect, useMemo, useRef, useState } from 'react';
import { css } from '@emotion/css';
import {
  EventBusSrv,
  type FieldConfigSource,
  type GrafanaTheme2,
  LoadingState,
  type PanelData,
  type PanelPlugin,
  rangeUtil,
  type RawTimeRange,
} from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';
import { Alert, LoadingPlaceholder, useStyles2 } from '@grafana/ui';

import { reportHostError } from '../hostErrors';
import { PluginErrorBoundary } from '../PluginErrorBoundary';
import { fieldConfigOf, loadPanelPlugin, optionsWithDefaults, panelMeta } from './panelPlugin';
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

/** One panel: its chrome (title), its queries run, and the panel plugin (or a note for a core panel). */
export function PanelView({ panel, rawRange, dashboardUID }: Props) {
  const styles = useStyles2(getStyles);
  const { ref, width, height } = useElementSize();
  const meta = panelMeta(panel.type);
  const [plugin, setPlugin] = useState<PanelPlugin>();
  const [data, setData] = useState<PanelData>();
  const title = getTemplateSrv().replace(panel.title ?? '');

  useEffect(() => {
    if (meta) {
      loadPanelPlugin(meta).then(setPlugin, (err) => reportHostError(`Loading panel plugin ${meta.id}`, err));
    }
  }, [meta]);

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
        {!data || (meta && !plugin) ? (
          <LoadingPlaceholder text="Loading…" />
        ) : meta && plugin ? (
          <PluginErrorBoundary what={`Panel "${title}"`}>
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
  if (!Panel) {
    return <Alert severity="error" title={`Panel plugin ${plugin.meta.id} has no panel component`} />;
  }
  return (
    <Panel
      id={panel.id ?? 0}
      title={title}
      data={data}
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

/**
 * Grafana's own panels (time series, stat, ...) are part of Grafana, not of any npm package the
 * host can load: the host says so and shows what their queries returned, so a broken query still
 * shows.
 */
function CorePanelNote({ type, data }: { type: string; data: PanelData }) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.note} data-testid="core-panel">
      <div>Grafana&apos;s built-in “{type}” panel is not part of the preview host.</div>
      {data.errors?.length ? (
        <div data-testid="core-panel-errors">
          {data.errors.map((e, i) => (
            <div key={i} className={styles.error}>
              {e.refId ? `Query ${e.refId}: ` : ''}
              {e.message}
            </div>
          ))}
        </div>
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
