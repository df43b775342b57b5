import { css } from '@emotion/css';
import { type GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import flamegraph, { type FlameGraphChart, type FlameGraphNode, type FlameGraphTooltip } from 'd3-flame-graph';
import { select } from 'd3-selection';
import React, { useLayoutEffect, useRef } from 'react';

import { type FlamePalette } from '../colors';
import { withFastDraw } from './fastDraw';
import { charWidthOf, drawLabels, FRAME_HEIGHT_PX, type FrameElement } from './labels';
import { type FlameDatum } from '../prune';
import {
  indexSlivers,
  isSliver,
  maxDepthOf,
  outlineSliver,
  paintSlivers,
  SLIVER_CLASS,
  SLIVER_MAX_PX,
  sliverAt,
  sliverBox,
  type SliverIndex,
} from './slivers';

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
  /** Right click on a frame; without it the browser's own menu opens. */
  onFrameMenu?: (datum: FlameDatum, event: MouseEvent) => void;
  /** Node (ProfileTree index) that has keyboard focus, outlined. */
  focusedNode?: number;
  testId?: string;
}

type Node = FlameGraphNode<FlameDatum>;

/** The frame under the pointer: the datum d3-selection keeps on a frame's <g>, or a sliver's. */
function frameAt(event: MouseEvent, slivers: SliverIndex | undefined): Node | undefined {
  const target = event.target instanceof Element ? event.target : null;
  const element = target?.closest('g.frame') as FrameElement | null | undefined;
  if (element) {
    return element.__data__;
  }
  const svg = target?.closest('svg');
  if (!slivers || !svg) {
    return undefined;
  }
  const bounds = svg.getBoundingClientRect();
  return sliverAt(slivers, event.clientX - bounds.left, event.clientY - bounds.top);
}

/**
 * d3-flame-graph in React: created once, fed new pruned data on change, destroyed on unmount.
 * Nothing animates: frames move to their place at once (zoom is a re-layout of pruned data, and
 * animating thousands of SVG nodes is much of what made the naive version slow). d3-flame-graph
 * lays out every frame it is given but makes elements only for those wider than SLIVER_MAX_PX; the
 * narrower ones are drawn here, in bulk, where it laid them out (slivers.ts).
 */
export function FlameChart(props: FlameChartProps) {
  const styles = useStyles2(getStyles, props.palette);
  const containerRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<FlameGraphChart<FlameDatum> | undefined>(undefined);
  const boundRef = useRef(false);
  const charWidthRef = useRef<number | undefined>(undefined);
  const sliversRef = useRef<SliverIndex | undefined>(undefined);
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
      // Frames this narrow get no <g> from d3-flame-graph; FlameChart draws them as paths (slivers.ts).
      .minFrameSize(SLIVER_MAX_PX)
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
    // zoom by re-pruning. Pointer moves are followed, not just element changes: one sliver path
    // holds many frames.
    let hovered: Node | undefined;
    const hover = (node: Node | undefined, event?: MouseEvent) => {
      if (node === hovered) {
        return;
      }
      hovered = node;
      const svg = container.querySelector('svg');
      const slivers = sliversRef.current;
      if (svg) {
        const sliver = node && slivers && isSliver(slivers, node);
        outlineSliver(svg, 'sliver-hover', sliver ? sliverBox(slivers, node) : undefined);
      }
      latest.current.onFrameHover(node?.data, node ? event : undefined);
    };
    const onClick = (event: MouseEvent) => {
      const node = frameAt(event, sliversRef.current);
      if (node) {
        hover(undefined);
        latest.current.onFrameClick(node.data);
      }
    };
    const onMove = (event: MouseEvent) => hover(frameAt(event, sliversRef.current), event);
    const onLeave = () => hover(undefined);
    const onMenu = (event: MouseEvent) => {
      const node = frameAt(event, sliversRef.current);
      const onFrameMenu = latest.current.onFrameMenu;
      if (node && onFrameMenu) {
        event.preventDefault();
        hover(undefined);
        onFrameMenu(node.data, event);
      }
    };
    container.addEventListener('click', onClick);
    container.addEventListener('contextmenu', onMenu);
    container.addEventListener('mousemove', onMove);
    container.addEventListener('mouseleave', onLeave);
    return () => {
      container.removeEventListener('click', onClick);
      container.removeEventListener('contextmenu', onMenu);
      container.removeEventListener('mousemove', onMove);
      container.removeEventListener('mouseleave', onLeave);
      sliversRef.current = undefined;
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
    const drawStart = performance.now();
    // d3-flame-graph sizes the chart to the deepest frame it draws; slivers can go deeper.
    chart.width(width).minHeight((maxDepthOf(root) + 3) * FRAME_HEIGHT_PX);
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
    sliversRef.current = drawSliverLayer(containerRef.current!, width, Boolean(latest.current.rootAtBottom), (datum) =>
      latest.current.colorOf(datum)
    );
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
      const svg = containerRef.current!.querySelector('svg');
      const slivers = sliversRef.current;
      if (svg && slivers) {
        paintSlivers(svg, slivers, (node) => latest.current.colorOf(node.data));
      }
    }
    colorKeyRef.current = colorKey;
  }, [colorKey]);

  // Outline the keyboard-focused frame; d3-flame-graph rewrites `class` on redraw, hence after each.
  useLayoutEffect(() => {
    const frames = containerRef.current?.querySelectorAll<FrameElement>('g.frame') ?? [];
    frames.forEach((frame) => {
      frame.classList.toggle(styles.focused, focusedNode !== undefined && frame.__data__?.data.node === focusedNode);
    });
    const svg = containerRef.current?.querySelector('svg');
    const slivers = sliversRef.current;
    const sliver = focusedNode !== undefined ? slivers?.byNode.get(focusedNode) : undefined;
    if (svg) {
      outlineSliver(svg, 'sliver-focus', sliver && slivers ? sliverBox(slivers, sliver) : undefined);
    }
  }, [focusedNode, root, width, colorKey, styles.focused]);

  return <div ref={containerRef} className={styles.chart} data-testid={props.testId ?? 'flame-chart'} />;
}

/** Draws the frames d3-flame-graph left out as too narrow (see slivers.ts), where it laid them out. */
function drawSliverLayer(
  container: HTMLElement,
  widthPx: number,
  rootAtBottom: boolean,
  colorOf: (datum: FlameDatum) => string
): SliverIndex | undefined {
  // After a draw d3-flame-graph leaves its laid-out hierarchy as the container's datum.
  const root = (container as HTMLElement & { __data__?: Node }).__data__;
  const svg = container.querySelector('svg');
  if (!root || !svg) {
    return undefined;
  }
  const heightPx = Number(svg.getAttribute('height')) || 0;
  const slivers = indexSlivers(root, { widthPx, cellHeightPx: FRAME_HEIGHT_PX, heightPx, rootAtBottom });
  paintSlivers(svg, slivers, (node) => colorOf(node.data));
  return slivers;
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
    [`.d3-flame-graph .${SLIVER_CLASS}`]: {
      cursor: 'pointer',
    },
    '.d3-flame-graph .sliver-hover, .d3-flame-graph .sliver-focus': {
      fill: 'none',
      pointerEvents: 'none',
    },
    '.d3-flame-graph .sliver-hover': {
      stroke: theme.colors.text.maxContrast,
      strokeWidth: 1,
    },
    '.d3-flame-graph .sliver-focus': {
      stroke: palette.focus,
      strokeWidth: 2,
    },
  }),
  focused: css({
    rect: {
      stroke: `${palette.focus} !important`,
      strokeWidth: '2px !important',
    },
  }),
});
