import { type FlameGraphNode } from 'd3-flame-graph';

import { type FlameDatum } from '../prune';

type Node = FlameGraphNode<FlameDatum>;

/**
 * Frames at most this wide (px) are "slivers": d3-flame-graph leaves them out of its DOM
 * (its minFrameSize) and FlameChart draws them in bulk, one SVG <path> per fill colour.
 *
 * Why: at 100k nodes about 1,750 frames are at least a pixel wide and 80% of them are under 5 px,
 * while d3-flame-graph gives every frame a <g> and a <rect> that the browser creates, styles, lays
 * out and paints one by one (about 30 µs each). A sliver can carry no label (those start at 35 px)
 * and no visible outline, so a <g><rect> buys it nothing a path does not draw. It is still laid
 * out by d3-flame-graph (its place comes from the same partition as every other frame), still
 * coloured by the same rules, and still has its tooltip, click-to-zoom and keyboard focus, through
 * hit testing (sliverAt) instead of a DOM element.
 */
export const SLIVER_MAX_PX = 4;

/** Inset of each sliver, px: the 0.5 px background-coloured stroke that separates DOM frames. */
const GAP_PX = 0.25;

export interface SliverGeometry {
  widthPx: number;
  cellHeightPx: number;
  /** Height of the whole chart (svg), needed when the root is drawn at the bottom. */
  heightPx: number;
  rootAtBottom: boolean;
}

/** The slivers of one draw, by row, for drawing and for finding the one under the pointer. */
export interface SliverIndex {
  geometry: SliverGeometry;
  /** All slivers, in the order the hierarchy lists them. */
  all: Node[];
  /** Slivers per depth, left to right. */
  byDepth: Node[][];
  byNode: Map<number, Node>;
  maxPx: number;
}

/** Top of a frame's row at `depth`, as d3-flame-graph places it. */
export function rowTop(geometry: SliverGeometry, depth: number): number {
  const y = depth * geometry.cellHeightPx;
  return geometry.rootAtBottom ? geometry.heightPx - y - geometry.cellHeightPx : y;
}

/** Collects the frames of a laid-out hierarchy that are at most `maxPx` wide (and wider than 0). */
export function indexSlivers(root: Node, geometry: SliverGeometry, maxPx = SLIVER_MAX_PX): SliverIndex {
  // d3-flame-graph partitions [0, 1]: a frame's width in px is (x1 - x0) times the chart's width.
  const all: Node[] = [];
  const byDepth: Node[][] = [];
  const byNode = new Map<number, Node>();
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const width = (node.x1 - node.x0) * geometry.widthPx;
    if (width > 0 && width <= maxPx) {
      all.push(node);
      (byDepth[node.depth] ??= []).push(node);
      if (node.data.node >= 0) {
        byNode.set(node.data.node, node);
      }
    }
    if (node.children) {
      for (let k = node.children.length - 1; k >= 0; k--) {
        stack.push(node.children[k]);
      }
    }
  }
  // Depth-first with children in order lists each row left to right already; sorted anyway, since
  // sliverAt's binary search depends on it.
  byDepth.forEach((row) => row.sort((a, b) => a.x0 - b.x0));
  return { geometry, all, byDepth, byNode, maxPx };
}

/** Whether a laid-out frame is drawn as a sliver in this index's draw. */
export function isSliver(index: SliverIndex, node: Node): boolean {
  const width = (node.x1 - node.x0) * index.geometry.widthPx;
  return width > 0 && width <= index.maxPx;
}

const round = (value: number) => Math.round(value * 100) / 100;

/** A sliver's box in chart pixels, inset like a stroked DOM frame. */
export function sliverBox(index: SliverIndex, node: Node) {
  const { widthPx, cellHeightPx } = index.geometry;
  const x = node.x0 * widthPx + GAP_PX;
  const width = Math.max(0.5, (node.x1 - node.x0) * widthPx - 2 * GAP_PX);
  return { x, y: rowTop(index.geometry, node.depth) + GAP_PX, width, height: cellHeightPx - 2 * GAP_PX };
}

/** SVG path data per fill: every sliver of one colour as one path of rectangles. */
export function sliverPaths(index: SliverIndex, fillOf: (node: Node) => string): Map<string, string> {
  const parts = new Map<string, string[]>();
  for (const node of index.all) {
    const box = sliverBox(index, node);
    const fill = fillOf(node);
    let list = parts.get(fill);
    if (!list) {
      list = [];
      parts.set(fill, list);
    }
    list.push(`M${round(box.x)} ${round(box.y)}h${round(box.width)}v${round(box.height)}h${round(-box.width)}z`);
  }
  return new Map([...parts].map(([fill, list]) => [fill, list.join('')]));
}

const SVG_NS = 'http://www.w3.org/2000/svg';
export const SLIVER_CLASS = 'sliver-frames';

/**
 * Puts the paths in the chart's <svg>, reusing the elements of the last draw. They sit directly in
 * the <svg>, never in a <g>: d3-flame-graph binds its data to every <g> it finds there.
 */
export function drawSlivers(svg: SVGSVGElement, paths: Map<string, string>, count: number) {
  const existing = [...svg.querySelectorAll<SVGPathElement>(`:scope > path.${SLIVER_CLASS}`)];
  let k = 0;
  for (const [fill, d] of paths) {
    let path = existing[k++];
    if (!path) {
      path = document.createElementNS(SVG_NS, 'path');
      path.setAttribute('class', SLIVER_CLASS);
      svg.appendChild(path);
    }
    path.setAttribute('fill', fill);
    path.setAttribute('d', d);
  }
  existing.slice(k).forEach((path) => path.remove());
  // Tests and people inspecting the page can tell how many frames the paths stand for.
  svg.setAttribute('data-sliver-count', String(count));
}

/** Draws (or recolours) every sliver of the index in the chart's <svg>. */
export function paintSlivers(svg: SVGSVGElement, index: SliverIndex, fillOf: (node: Node) => string) {
  drawSlivers(svg, sliverPaths(index, fillOf), index.all.length);
}

/** The sliver under chart coordinates (x, y), if any. */
export function sliverAt(index: SliverIndex, x: number, y: number): Node | undefined {
  const { cellHeightPx, heightPx, rootAtBottom, widthPx } = index.geometry;
  const depth = Math.floor((rootAtBottom ? heightPx - y : y) / cellHeightPx);
  const row = index.byDepth[depth];
  if (!row || widthPx <= 0) {
    return undefined;
  }
  const at = x / widthPx;
  let low = 0;
  let high = row.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const node = row[mid];
    if (at < node.x0) {
      high = mid - 1;
    } else if (at >= node.x1) {
      low = mid + 1;
    } else {
      return node;
    }
  }
  return undefined;
}

/** Deepest level of a pruned tree (root = 0): the chart is sized to it, slivers included. */
export function maxDepthOf(root: FlameDatum): number {
  let max = 0;
  const stack: Array<[FlameDatum, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [datum, depth] = stack.pop()!;
    max = Math.max(max, depth);
    datum.children?.forEach((child) => stack.push([child, depth + 1]));
  }
  return max;
}

/**
 * Outlines one sliver (hover or keyboard focus), or removes the outline: slivers have no element of
 * their own for CSS to outline. `className` tells the outlines apart and carries their style.
 */
export function outlineSliver(svg: SVGSVGElement, className: string, box?: ReturnType<typeof sliverBox>) {
  let outline = svg.querySelector<SVGRectElement>(`:scope > rect.${className}`);
  if (!box) {
    outline?.remove();
    return;
  }
  if (!outline) {
    outline = document.createElementNS(SVG_NS, 'rect');
    outline.setAttribute('class', className);
  }
  // Last in the svg, so it is painted over the sliver paths, even those a later draw added.
  if (outline !== svg.lastElementChild) {
    svg.appendChild(outline);
  }
  outline.setAttribute('x', String(round(box.x)));
  outline.setAttribute('y', String(round(box.y)));
  outline.setAttribute('width', String(round(box.width)));
  outline.setAttribute('height', String(round(box.height)));
}
