import { type FlameDatum } from './prune';

/** Where each drawn frame sits among the drawn frames, for arrow-key moves. */
export interface FrameIndex {
  byNode: Map<number, { datum: FlameDatum; parent?: FlameDatum; position: number }>;
}

/** Indexes the pruned (drawn) frames only: the keyboard moves over what a person can see. */
export function indexFrames(root: FlameDatum): FrameIndex {
  const byNode: FrameIndex['byNode'] = new Map();
  const visit = (datum: FlameDatum, parent: FlameDatum | undefined, position: number) => {
    if (datum.node >= 0) {
      byNode.set(datum.node, { datum, parent, position });
    }
    datum.children?.forEach((child, k) => visit(child, datum, k));
  };
  visit(root, undefined, 0);
  return { byNode };
}

export type FrameMove = 'parent' | 'child' | 'previous' | 'next';

export const KEY_MOVES: Record<string, FrameMove | undefined> = {
  ArrowUp: 'parent',
  ArrowDown: 'child',
  ArrowLeft: 'previous',
  ArrowRight: 'next',
};

/** The node focus moves to; the root is drawn at the top, so "down" goes to the widest child. */
export function moveFocus(index: FrameIndex, from: number, move: FrameMove): number {
  const entry = index.byNode.get(from);
  if (!entry) {
    return from;
  }
  const siblings = (entry.parent?.children ?? []).filter((d) => d.node >= 0);
  switch (move) {
    case 'parent':
      return entry.parent && entry.parent.node >= 0 ? entry.parent.node : from;
    case 'child': {
      const children = (entry.datum.children ?? []).filter((d) => d.node >= 0);
      if (children.length === 0) {
        return from;
      }
      return children.reduce((widest, d) => (d.value > widest.value ? d : widest)).node;
    }
    case 'previous':
    case 'next': {
      const at = siblings.findIndex((d) => d.node === from);
      const to = siblings[at + (move === 'next' ? 1 : -1)];
      return to ? to.node : from;
    }
  }
}
