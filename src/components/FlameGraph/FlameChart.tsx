import { css } from '@emotion/css';
import { type GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import flamegraph, { type FlameGraphChart, type FlameGraphNode, type FlameGraphTooltip } from 'd3-flame-graph';
import { select } from 'd3-selection';
import React, { useLayoutEffect, useRef } from 'react';

import { type FlamePalette } from './colors';
import { withFastDraw } from './fastDraw';
import { charWidthOf, drawLabels, FRAME_HEIGHT_PX, type FrameElement } from './labels';
import { type FlameDatum } from './prune';

export { FRAME_HEIGHT_PX };

export interface FlameChartProps {
  /** Pruned frames to draw; the chart never sees the whole profile. */
  root: FlameDatum;
  width: number;
  palette: FlamePalette;
  /** Fill of a frame; read at every redraw. */
  colorOf: (datum: FlameDatum) => string;
  /** Changing this redraws colours without new data (search, selection, theme). */
  colorKey: string;
  /** Root at the bottom (classic flame graph) instead of at the top (icicle, as Grafana draws it). */
  rootAtBottom?: boolean;
  onFrameClick: (datum: FlameDatum) => void;
  onFrameHover: (datum: FlameDatum | undefined, event?: MouseEvent) => void;
  /** Node (ProfileTree index) that has keyboard focus, outlined. */
  focusedNode?: number;
  testId?: string;
}

/** The d3 datum d3-selection keeps on each frame's <g>. */
function frameOf(target: EventTarget | null): FlameGraphNode<FlameDatum> | undefined {
  const element = target instanceof Element ? (target.closest('g.frame') as FrameElement | null) : null;
  return element?.__data__;
}

/**
 * d3-flame-graph in React: created once, fed new pruned data on change, destroyed on unmount.
 * Nothing animates: frames move to their place at once (zoom is a re-layout of pruned data, and
 * animating thousands of SVG nodes is much of what made the naive version slow).
 */
export function FlameChart(props: FlameChartProps) {
  const styles = useStyles2(getStyles, props.palette);
  const containerRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<FlameGraphChart<FlameDatum> | undefined>(undefined);
  const boundRef = useRef(false);
  const charWidthRef = useRef<number | undefined>(undefined);
  // Callbacks change every render; the chart keeps calling the latest through this ref.
  const latest = useRef(props);
  useLayoutEffect(() => {
    latest.current = props;
  });

  useLayoutEffect(() => {
    const container = containerRef.current!;
    // A tooltip object stops d3-flame-graph adding a <title> to every frame; the tooltip itself is
    // React's (FlameTooltip), driven by the listeners below.
    const tooltip: FlameGraphTooltip<FlameDatum> = Object.assign(() => undefined, { show: () => {}, hide: () => {} });
    const chart = flamegraph<FlameDatum>()
      .cellHeight(FRAME_HEIGHT_PX)
      .transitionDuration(0)
      .inverted(!latest.current.rootAtBottom)
      .selfValue(false)
      .sort(false)
      .resetHeightOnZoom(true)
      .tooltip(tooltip)
      .getName((node) => node.data.name)
      .setColorMapper((node) => latest.current.colorOf(node.data));
    chartRef.current = chart;
    // One set of listeners on the container instead of d3-flame-graph's three per frame (withFastDraw
    // skips those). Its own click handler would zoom by hiding siblings in the full hierarchy; we
    // zoom by re-pruning.
    const onClick = (event: MouseEvent) => {
      const node = frameOf(event.target);
      if (node) {
        latest.current.onFrameHover(undefined);
        latest.current.onFrameClick(node.data);
      }
    };
    const onOver = (event: MouseEvent) => {
      const node = frameOf(event.target);
      latest.current.onFrameHover(node?.data, node ? event : undefined);
    };
    const onLeave = () => latest.current.onFrameHover(undefined);
    container.addEventListener('click', onClick);
    container.addEventListener('mouseover', onOver);
    container.addEventListener('mouseleave', onLeave);
    return () => {
      container.removeEventListener('click', onClick);
      container.removeEventListener('mouseover', onOver);
      container.removeEventListener('mouseleave', onLeave);
      chart.destroy();
      chartRef.current = undefined;
      boundRef.current = false;
    };
  }, []);

  const { root, width, colorKey, focusedNode } = props;
  useLayoutEffect(() => {
    const chart = chartRef.current;
    if (!chart || width <= 0) {
      return;
    }
    chart.width(width);
    const drawStart = performance.now();
    // Read before the first draw: getComputedStyle then styles the empty container only, instead of
    // forcing a style pass over the thousands of frames the draw is about to add.
    charWidthRef.current ??= charWidthOf(containerRef.current!);
    withFastDraw(() => {
      if (boundRef.current) {
        chart.update(root);
      } else {
        select(containerRef.current!)
          .datum(root)
          .call(chart as FlameGraphChart<never>);
        boundRef.current = true;
      }
    });
    drawLabels(containerRef.current!, width, charWidthRef.current);
    // Shows in the browser's performance panel (User Timing) and in the benchmark's breakdown.
    performance.measure('spanflame:draw', { start: drawStart });
  }, [root, width]);

  // Search, selection and theme change only colours: refill the drawn rects instead of a full redraw.
  const colorKeyRef = useRef(colorKey);
  useLayoutEffect(() => {
    if (colorKeyRef.current !== colorKey && boundRef.current) {
      select(containerRef.current!)
        .selectAll<FlameGraphNode<FlameDatum>>('g.frame rect')
        .attr('fill', (node) => latest.current.colorOf(node.data));
    }
    colorKeyRef.current = colorKey;
  }, [colorKey]);

  // Outline the keyboard-focused frame; d3-flame-graph rewrites `class` on redraw, hence after each.
  useLayoutEffect(() => {
    const frames = containerRef.current?.querySelectorAll<FrameElement>('g.frame') ?? [];
    frames.forEach((frame) => {
      frame.classList.toggle(styles.focused, focusedNode !== undefined && frame.__data__?.data.node === focusedNode);
    });
  }, [focusedNode, root, width, colorKey, styles.focused]);

  return <div ref={containerRef} className={styles.chart} data-testid={props.testId ?? 'flame-chart'} />;
}

const getStyles = (theme: GrafanaTheme2, palette: FlamePalette) => ({
  chart: css({
    width: '100%',
    '.d3-flame-graph rect': {
      stroke: theme.colors.background.primary,
      strokeWidth: 0.5,
      fillOpacity: 1,
    },
    '.d3-flame-graph rect:hover': {
      stroke: theme.colors.text.maxContrast,
      strokeWidth: 1,
    },
    // Labels inherit the font from here, where charWidthOf reads it.
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
    '.d3-flame-graph-label': {
      // d3-flame-graph's stylesheet (imported by its module) sets Verdana 12px on labels.
      fontFamily: 'inherit',
      fontSize: 'inherit',
      fill: palette.label,
      dominantBaseline: 'central',
      pointerEvents: 'none',
    },
    '.d3-flame-graph .fade': {
      opacity: 0.65,
    },
  }),
  focused: css({
    rect: {
      stroke: `${palette.focus} !important`,
      strokeWidth: '2px !important',
    },
  }),
});
