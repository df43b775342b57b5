import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import type { SceneComponentProps } from '@grafana/scenes';
import { Alert, LoadingPlaceholder, TextLink, useStyles2 } from '@grafana/ui';
import React from 'react';

import { formatShare, makeValueFormatter } from '../../../components/FlameGraph/format';
import { spanUrl } from '../../../shared/appUrls';
import type { Waterfall, WaterfallRow } from '../domain/waterfall';
import type { TraceScene } from './TraceScene';

const formatMs = makeValueFormatter('ms');
/** Pixels of indent per level of the span tree. */
const INDENT_PX = 12;

/** The trace's spans on one time axis, each bar filled with the span's own CPU, and CPU per service. */
export function TraceWaterfallRenderer({ model }: SceneComponentProps<TraceScene>) {
  const styles = useStyles2(getStyles);
  const { waterfall, problem, loading, traceId } = model.useState();
  return (
    <div className={styles.page} data-testid="trace-page">
      {problem && (
        <Alert severity="warning" title="The trace's CPU cannot be shown" data-testid="trace-problem">
          {problem}
        </Alert>
      )}
      {loading && <LoadingPlaceholder text={`Reading trace ${traceId ?? ''} and its CPU…`} />}
      {waterfall && <WaterfallView waterfall={waterfall} />}
    </div>
  );
}

function WaterfallView({ waterfall: w }: { waterfall: Waterfall }) {
  const styles = useStyles2(getStyles);
  const withCpu = w.rows.filter((r) => r.cpuMs > 0).length;
  return (
    <>
      <div className={styles.summary} data-testid="trace-summary" data-total-cpu-ms={w.totalMs}>
        {`${w.rows.length} spans over ${formatMs(w.durationMs)}; CPU ${formatMs(w.totalMs)} in all, ${withCpu} span${
          withCpu === 1 ? '' : 's'
        } with samples of their own.`}
        {w.withoutSpanMs > 0 && ` ${formatMs(w.withoutSpanMs)} of the trace's samples carry no span_id.`}
        {w.unknownSpanMs > 0 &&
          ` ${formatMs(w.unknownSpanMs)} carry the span_id of ${w.unknownSpans} span${
            w.unknownSpans === 1 ? '' : 's'
          } the trace store does not list.`}
      </div>
      <table className={styles.services} data-testid="trace-services">
        <thead>
          <tr>
            <th>Service</th>
            <th>Spans</th>
            <th>CPU</th>
            <th>Share of the trace&apos;s CPU</th>
          </tr>
        </thead>
        <tbody>
          {w.services.map((s) => (
            <tr key={s.service} data-testid="trace-service" data-service={s.service} data-cpu-ms={s.cpuMs}>
              <td>{s.service}</td>
              <td>{s.spans}</td>
              <td>{formatMs(s.cpuMs)}</td>
              <td>{w.totalMs > 0 ? formatShare(s.cpuMs / w.totalMs) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {w.totalMs === 0 && (
        <Alert severity="info" title="No CPU samples carry this trace">
          Parca holds no samples labelled with this trace id around its time: its work may have run unlabelled (a worker
          pool), or no profiler ran on its hosts. The bars show durations only.
        </Alert>
      )}
      <div className={styles.waterfall} data-testid="trace-waterfall">
        {w.rows.map((row) => (
          <Row key={row.span.spanId} row={row} />
        ))}
      </div>
    </>
  );
}

function Row({ row }: { row: WaterfallRow }) {
  const styles = useStyles2(getStyles);
  const { span } = row;
  const cpuText = `CPU ${formatMs(row.cpuMs)} of ${formatMs(span.durationMs)}`;
  return (
    <div className={styles.row} data-testid="waterfall-row" data-span-id={span.spanId} data-cpu-ms={row.cpuMs}>
      <div
        className={styles.label}
        style={{ paddingLeft: row.depth * INDENT_PX }}
        title={`${span.service}: ${span.name}`}
      >
        <TextLink
          href={spanUrl({
            traceId: span.traceId,
            spanId: span.spanId,
            spanStart: span.startMs,
            spanEnd: span.startMs + span.durationMs,
            service: span.service,
          })}
          inline
        >
          {`${span.service}: ${span.name}`}
        </TextLink>
      </div>
      <div className={styles.track}>
        <div
          className={styles.bar}
          style={{ left: `${row.offset * 100}%`, width: `max(2px, ${row.width * 100}%)` }}
          title={`${span.service}: ${span.name}. ${cpuText}.`}
        >
          <div
            className={styles.cpu}
            data-testid="span-cpu-bar"
            style={{ width: `${Math.min(1, row.cpuShare) * 100}%` }}
          />
        </div>
      </div>
      <div className={styles.figure}>{cpuText}</div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
  summary: css({ color: theme.colors.text.secondary }),
  services: css({
    width: 'auto',
    borderCollapse: 'collapse',
    'th, td': { padding: theme.spacing(0.5, 2, 0.5, 0), textAlign: 'left' },
    th: { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
  }),
  waterfall: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.25) }),
  row: css({
    display: 'grid',
    gridTemplateColumns: 'minmax(200px, 30%) 1fr 180px',
    alignItems: 'center',
    gap: theme.spacing(1),
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  label: css({ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }),
  track: css({
    position: 'relative',
    height: theme.spacing(2),
    background: theme.colors.background.secondary,
    borderRadius: theme.shape.radius.default,
  }),
  // The span's duration is the pale bar; its own CPU fills it from the left, in the same colour.
  bar: css({
    position: 'absolute',
    top: 0,
    bottom: 0,
    background: theme.colors.primary.transparent,
    border: `1px solid ${theme.colors.primary.border}`,
    borderRadius: theme.shape.radius.default,
    overflow: 'hidden',
  }),
  cpu: css({ height: '100%', background: theme.colors.primary.main }),
  figure: css({ color: theme.colors.text.secondary, whiteSpace: 'nowrap' }),
});
