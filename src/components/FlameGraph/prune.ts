import { ancestorsOf, childrenByTotal, nameOf, type ProfileTree } from './profileTree';

/**
 * One frame handed to d3-flame-graph: the input format it documents ({ name, value, children }),
 * plus what the component needs to find the node again. `value` is the node's total (the chart
 * runs with selfValue(false)); d3-flame-graph computes each frame's width from it.
 */
export interface FlameDatum {
  name: string;
  value: number;
  children?: FlameDatum[];
  /** Index of the node in the ProfileTree, or -1 for an "other" aggregate. */
  node: number;
  /** d3-flame-graph draws faded frames half transparent and sizes them by their children: used for the zoom path. */
  fade?: boolean;
  /** For an "other" aggregate: how many sub-pixel siblings it stands for, and whose children they are. */
  otherCount?: number;
  otherParent?: number;
}

export interface PrunedView {
  root: FlameDatum;
  /** Frames handed to the chart (including zoom path and aggregates). */
  frameCount: number;
  /** Nodes of the profile in the zoomed subtree that are too narrow to draw, folded into aggregates. */
  hiddenNodeCount: number;
}

export interface PruneOptions {
  /** Chart width in CSS pixels. */
  widthPx: number;
  /** Frames narrower than this (px) are not laid out. The issue asks for 1. */
  minFramePx?: number;
}

/** Name of the aggregate frame that stands in for sub-pixel siblings. */
export function otherFrameName(count: number): string {
  return `${count} smaller frame${count === 1 ? '' : 's'}`;
}

/**
 * Lays out only what is at least `minFramePx` wide when `zoomNode` fills the width.
 *
 * Cost is O(drawn frames + children of drawn frames): children are visited largest first and the
 * walk stops at the first one that is too narrow, because every later sibling is narrower still.
 * The narrow siblings are not dropped: their summed total becomes one "other" frame when that sum is
 * itself wide enough, so every drawn frame keeps its exact width and the gap above a parent still
 * means self time. Ancestors of the zoomed node are drawn faded, full width, as the way back.
 */
export function pruneForView(tree: ProfileTree, zoomNode: number, options: PruneOptions): PrunedView {
  const minFramePx = options.minFramePx ?? 1;
  const zoomTotal = tree.total[zoomNode];
  // Below this value a frame is under minFramePx wide at the current zoom.
  const minValue = zoomTotal > 0 ? (zoomTotal * minFramePx) / Math.max(1, options.widthPx) : Infinity;
  let frameCount = 0;
  let visibleInZoom = 0;

  const layOut = (node: number): FlameDatum => {
    frameCount++;
    visibleInZoom++;
    const datum: FlameDatum = { name: nameOf(tree, node), value: tree.total[node], node };
    const sorted = childrenByTotal(tree, node);
    if (sorted.length === 0) {
      return datum;
    }
    const drawn: number[] = [];
    let drawnTotal = 0;
    for (let k = 0; k < sorted.length; k++) {
      const child = sorted[k];
      if (tree.total[child] < minValue) {
        break;
      }
      drawn.push(child);
      drawnTotal += tree.total[child];
    }
    // Frame order as the data gives it (the datasource sorts it); the aggregate goes last.
    drawn.sort((a, b) => a - b);
    const children = drawn.map(layOut);
    const hiddenCount = sorted.length - drawn.length;
    const hiddenTotal = tree.total[node] - tree.self[node] - drawnTotal;
    if (hiddenCount > 0 && hiddenTotal >= minValue) {
      frameCount++;
      children.push({
        name: otherFrameName(hiddenCount),
        value: hiddenTotal,
        node: -1,
        otherCount: hiddenCount,
        otherParent: node,
      });
    }
    if (children.length > 0) {
      datum.children = children;
    }
    return datum;
  };

  const zoomed = layOut(zoomNode);
  let root = zoomed;
  const path = ancestorsOf(tree, zoomNode);
  for (let k = path.length - 2; k >= 0; k--) {
    frameCount++;
    root = { name: nameOf(tree, path[k]), value: zoomTotal, node: path[k], fade: true, children: [root] };
  }
  const inZoom = tree.subtreeEnd[zoomNode] - zoomNode;
  return { root, frameCount, hiddenNodeCount: inZoom - visibleInZoom };
}
