/**
 * Stand-in for Grafana's built-in "heatmap" panel (AGPL, part of Grafana; @grafana/ui has no heatmap): an SVG
 * grid of already-bucketed data, the shape Prometheus' "heatmap" format gives (a time field and one number
 * field per bucket, lowest bucket first). A cell's opacity is its count against the largest count. A click on a
 * cell pins its tooltip with the data links of the cell's bucket field, as Grafana's heatmap does (its
 * tooltip reads the links of the heatmap-rows frame's field for the hovered row).
 * Left out: calculating buckets from raw values (`calculate: true`), colour schemes and scales, the colour
 * legend, hover tooltips beyond the cell's title, exemplars, selecting a range, bucket bounds other than the
 * field names, and every axis option but `yAxis.unit` (shown beside the bucket names).
 */
import { useMemo, useState } from 'react';
import { css } from '@emotion/css';
import {
  type DataFrame,
  type Field,
  FieldType,
  getFieldDisplayName,
  type GrafanaTheme2,
  outerJoinDataFrames,
  PanelPlugin,
  type PanelProps,
} from '@grafana/data';
import { IconButton, LinkButton, useStyles2 } from '@grafana/ui';

import { coreStandInMeta, NoDataStandIn, seriesHooks } from './common';

const TEST_ID = 'standin-heatmap';
const LABEL_PX = 72;
const AXIS_PX = 18;

interface HeatmapOptions {
  yAxis?: { unit?: string };
}

interface Grid {
  times: number[];
  buckets: Array<{ name: string; field: Field; counts: Array<number | null> }>;
  max: number;
}

/** One frame of time + bucket fields: the frame as it is, or several frames joined on time. */
function toGrid(frames: DataFrame[]): Grid | undefined {
  const frame = frames.length > 1 ? outerJoinDataFrames({ frames }) : frames[0];
  const time = frame?.fields.find((f) => f.type === FieldType.time);
  if (!frame || !time) {
    return undefined;
  }
  const numbers = frame.fields.filter((f): f is Field<number | null> => f.type === FieldType.number);
  const buckets = numbers.map((f) => ({ name: getFieldDisplayName(f, frame, frames), field: f, counts: f.values }));
  const max = Math.max(0, ...buckets.flatMap((b) => b.counts.filter((v): v is number => Number.isFinite(v))));
  return { times: time.values as number[], buckets, max };
}

/** The smallest gap between two successive times: the query's step; undefined for fewer than two times. */
function stepOf(times: number[]): number | undefined {
  let step: number | undefined;
  for (let i = 1; i < times.length; i++) {
    const gap = times[i] - times[i - 1];
    if (gap > 0 && (step === undefined || gap < step)) {
      step = gap;
    }
  }
  return step;
}

/**
 * A clicked cell: its bucket and its time, and where its tooltip goes. Held by bucket name and time, not by
 * grid position, so that a refresh of the data (a new step at the range's end shifts every column) keeps the
 * tooltip on the cell the user clicked, as long as that cell is still in the range.
 */
interface PinnedCell {
  bucket: string;
  time: number;
  /** Beside the click, towards the panel's wider side, so the tooltip stays inside the panel. */
  placement: { top: number; left?: number; right?: number };
}

/** The pinned tooltip: the cell's bucket, time and count, and its bucket field's data links. */
function CellTooltip({
  grid,
  cell,
  unit,
  onClose,
}: {
  grid: Grid;
  cell: PinnedCell;
  unit: string;
  onClose: () => void;
}) {
  const styles = useStyles2(getStyles);
  const bucket = grid.buckets.find((b) => b.name === cell.bucket);
  const column = grid.times.indexOf(cell.time);
  const count = column < 0 ? undefined : bucket?.counts[column];
  if (!bucket || count === null || count === undefined) {
    return null;
  }
  const links = bucket.field.getLinks?.({ valueRowIndex: column }) ?? [];
  return (
    <div className={styles.tooltip} style={cell.placement} data-testid="standin-heatmap-tooltip">
      <div className={styles.tooltipHeader}>
        <span>{new Date(cell.time).toLocaleTimeString()}</span>
        <IconButton name="times" size="sm" aria-label="Close tooltip" onClick={onClose} />
      </div>
      <div>
        Bucket {bucket.name}
        {unit}: {count.toPrecision(3)}
      </div>
      {links.map((link, i) => (
        <LinkButton
          key={i}
          href={link.href}
          target={link.target}
          size="sm"
          variant="secondary"
          icon={link.target === '_blank' ? 'external-link-alt' : 'link'}
          onClick={link.onClick ? (e) => link.onClick?.(e) : undefined}
        >
          {link.title}
        </LinkButton>
      ))}
    </div>
  );
}

function HeatmapStandIn({ data, width, height, fieldConfig, options, timeRange }: PanelProps<HeatmapOptions>) {
  const styles = useStyles2(getStyles);
  const grid = useMemo(() => toGrid(data.series), [data.series]);
  const [pinned, setPinned] = useState<PinnedCell | undefined>();
  // What it drew: the buckets with at least one request in the range.
  const drawn = grid?.buckets.filter((b) => b.counts.some((c) => c !== null && c > 0)).map((b) => b.name) ?? [];
  if (!grid || drawn.length === 0) {
    return <NoDataStandIn fieldConfig={fieldConfig} testId={TEST_ID} />;
  }
  const plotWidth = Math.max(1, width - LABEL_PX);
  const plotHeight = Math.max(1, height - AXIS_PX);
  const from = timeRange.from.valueOf();
  const span = Math.max(1, timeRange.to.valueOf() - from);
  // A cell is one step wide: the data's step, not the plot over the number of steps, which overlaps cells
  // when the data fills only part of the range (a stack started a few minutes ago).
  const step = stepOf(grid.times) ?? span / Math.max(1, grid.times.length);
  const cellWidth = Math.max(1, (Math.min(step, span) / span) * plotWidth);
  const rowHeight = plotHeight / grid.buckets.length;
  // A label per row would overlap on short panels: about one per 14 px.
  const labelEvery = Math.max(1, Math.ceil(14 / rowHeight));
  const unit = options.yAxis?.unit ? ` ${options.yAxis.unit}` : '';
  return (
    <div {...seriesHooks(TEST_ID, drawn)} className={styles.panel}>
      <svg width={width} height={height} role="img" aria-label="Heatmap">
        {grid.buckets.map((bucket, row) => {
          // Lowest bucket at the bottom, as Grafana draws it.
          const y = plotHeight - (row + 1) * rowHeight;
          return (
            <g key={bucket.name}>
              {row % labelEvery === 0 && (
                <text
                  x={LABEL_PX - 4}
                  y={y + rowHeight / 2}
                  className={styles.label}
                  textAnchor="end"
                  dominantBaseline="middle"
                >
                  {bucket.name}
                  {unit}
                </text>
              )}
              {bucket.counts.map((count, i) =>
                count && count > 0 ? (
                  <rect
                    key={i}
                    x={LABEL_PX + ((grid.times[i] - from) / span) * plotWidth}
                    y={y}
                    width={cellWidth}
                    height={rowHeight}
                    className={styles.cell}
                    fillOpacity={0.15 + 0.85 * (count / grid.max)}
                    data-bucket={bucket.name}
                    onClick={(e) => {
                      const box = e.currentTarget.ownerSVGElement?.getBoundingClientRect();
                      const x = box ? e.clientX - box.left : 0;
                      const y = box ? e.clientY - box.top : 0;
                      const placement = x > width / 2 ? { top: y, right: width - x } : { top: y, left: x };
                      setPinned({ bucket: bucket.name, time: grid.times[i], placement });
                    }}
                  >
                    <title>{`${bucket.name}${unit}: ${count.toPrecision(3)}`}</title>
                  </rect>
                ) : null
              )}
            </g>
          );
        })}
        <text x={LABEL_PX} y={height - 4} className={styles.label}>
          {timeRange.from.format('HH:mm')}
        </text>
        <text x={width} y={height - 4} className={styles.label} textAnchor="end">
          {timeRange.to.format('HH:mm')}
        </text>
      </svg>
      {pinned && <CellTooltip grid={grid} cell={pinned} unit={unit} onClose={() => setPinned(undefined)} />}
    </div>
  );
}

export function heatmapStandIn(): PanelPlugin<HeatmapOptions> {
  const plugin = new PanelPlugin<HeatmapOptions>(HeatmapStandIn);
  plugin.meta = coreStandInMeta('heatmap', 'Heatmap');
  return plugin;
}

const getStyles = (theme: GrafanaTheme2) => ({
  panel: css({ position: 'relative' }),
  cell: css({ fill: theme.colors.primary.main, cursor: 'pointer' }),
  tooltip: css({
    position: 'absolute',
    zIndex: theme.zIndex.tooltip,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
    padding: theme.spacing(1),
    background: theme.colors.background.elevated,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    boxShadow: theme.shadows.z3,
  }),
  tooltipHeader: css({ display: 'flex', justifyContent: 'space-between', gap: theme.spacing(1) }),
  label: css({ fill: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
