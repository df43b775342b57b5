import { useLayoutEffect, useRef, useState } from 'react';
import { css } from '@emotion/css';
import {
  applyFieldOverrides,
  cacheFieldDisplayNames,
  DataFrame,
  FieldColorModeId,
  FieldType,
  GrafanaTheme2,
  PanelData,
  TimeRange,
} from '@grafana/data';
import { FlameGraph } from '@grafana/flamegraph';
import { config } from '@grafana/runtime';
import { GraphDrawStyle, LegendDisplayMode } from '@grafana/schema';
import { Alert, PanelChrome, TimeSeries, useStyles2 } from '@grafana/ui';
// Grafana 13's table panel draws with TableNG (field tooltips, hidden fields), not the older Table.
import { TableNG } from '@grafana/ui/unstable';

export type Visualization = 'flamegraph' | 'timeseries' | 'table';

/**
 * The visualisation Grafana's Explore picks for a frame: the frame's preferred one when the
 * backend set it (meta.preferredVisualisationType), else a graph for time + number fields and a
 * table for everything else.
 */
export function pickVisualization(frame: DataFrame): Visualization {
  switch (frame.meta?.preferredVisualisationType) {
    case 'flamegraph':
      return 'flamegraph';
    case 'graph':
      return 'timeseries';
    case 'table':
      return 'table';
  }
  const hasTime = frame.fields.some((f) => f.type === FieldType.time);
  const hasNumber = frame.fields.some((f) => f.type === FieldType.number);
  return hasTime && hasNumber ? 'timeseries' : 'table';
}

function useWidth(): [React.RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) {
      return;
    }
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    setWidth(el.clientWidth);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/**
 * Display processors and graph defaults, as Explore applies them before drawing. Grafana fills
 * field-config defaults through its option registry, which only Grafana's own boot populates; the
 * host writes the few defaults a graph needs (classic palette, lines) into each field's config
 * where the backend left them unset.
 */
function prepareFrames(frames: DataFrame[], timeRange: TimeRange, drawStyle?: GraphDrawStyle): DataFrame[] {
  const withDefaults = drawStyle
    ? frames.map((frame) => ({
        ...frame,
        fields: frame.fields.map((field) =>
          field.type === FieldType.number
            ? {
                ...field,
                config: {
                  ...field.config,
                  color: field.config.color ?? { mode: FieldColorModeId.PaletteClassic },
                  custom: {
                    drawStyle,
                    lineWidth: 1,
                    fillOpacity: 10,
                    pointSize: 5,
                    showPoints: 'auto',
                    ...field.config.custom,
                  },
                },
              }
            : field
        ),
      }))
    : frames;
  const prepared = applyFieldOverrides({
    data: withDefaults,
    fieldConfig: { defaults: {}, overrides: [] },
    replaceVariables: (value: string) => value,
    theme: config.theme2,
    timeZone: 'browser',
  });
  // applyFieldOverrides clears the cached display names; tables read them (displayNameFromDS).
  cacheFieldDisplayNames(prepared);
  return prepared;
}

/** A frame without fields is an empty answer: Grafana shows it as "No data", its notices beside it. */
function isEmptyAnswer(frame: DataFrame): boolean {
  return frame.fields.length === 0;
}

/**
 * Query errors, the frames' notices (Grafana shows them in the panel header), then one panel per
 * kind of result, as Explore lays them out.
 */
export function ResultView({ data }: { data: PanelData }) {
  const styles = useStyles2(getStyles);
  const [ref, width] = useWidth();
  const byKind: Record<Visualization, DataFrame[]> = { flamegraph: [], timeseries: [], table: [] };
  const drawn = data.series.filter((frame) => !isEmptyAnswer(frame));
  for (const frame of drawn) {
    byKind[pickVisualization(frame)].push(frame);
  }
  const errors = data.errors ?? (data.error ? [data.error] : []);
  const notices = data.series.flatMap((frame) => frame.meta?.notices ?? []);

  return (
    <div ref={ref} className={styles.results} data-testid="query-results">
      {errors.map((error, i) => (
        <Alert key={i} severity="error" title="Query error" data-testid="query-error">
          {error.message ?? String(error.data?.message ?? 'unknown error')}
        </Alert>
      ))}
      {notices.map((notice, i) => (
        <Alert
          key={`notice-${i}`}
          severity={notice.severity === 'error' ? 'error' : notice.severity === 'warning' ? 'warning' : 'info'}
          title={notice.text}
          data-testid="frame-notice"
        />
      ))}
      {width > 0 && byKind.timeseries.length > 0 && (
        <div data-testid="viz-timeseries">
          <PanelChrome title="Graph" width={width} height={320}>
            {(innerWidth, innerHeight) => (
              <TimeSeries
                frames={prepareFrames(byKind.timeseries, data.timeRange, GraphDrawStyle.Line)}
                width={innerWidth}
                height={innerHeight}
                timeRange={data.timeRange}
                timeZone="browser"
                legend={{ showLegend: true, displayMode: LegendDisplayMode.List, placement: 'bottom', calcs: [] }}
              />
            )}
          </PanelChrome>
        </div>
      )}
      {byKind.flamegraph.slice(0, 1).map((frame, i) => (
        // Like Grafana's flame graph panel, only the first flame graph frame is drawn.
        <div key={i} className={styles.flameGraph} data-testid="viz-flamegraph">
          <FlameGraph data={prepareFrames([frame], data.timeRange)[0]} getTheme={() => config.theme2} />
        </div>
      ))}
      {width > 0 &&
        byKind.table.map((frame, i) => (
          <div key={i} data-testid="viz-table">
            <PanelChrome title={frame.name ?? 'Table'} width={width} height={360}>
              {(innerWidth, innerHeight) => (
                <TableNG data={prepareFrames([frame], data.timeRange)[0]} width={innerWidth} height={innerHeight} />
              )}
            </PanelChrome>
          </div>
        ))}
      {data.state === 'Done' && drawn.length === 0 && errors.length === 0 && (
        <Alert severity="info" title="No data" data-testid="query-no-data" />
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  results: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2), width: '100%' }),
  flameGraph: css({
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(1),
    background: theme.colors.background.primary,
  }),
});
