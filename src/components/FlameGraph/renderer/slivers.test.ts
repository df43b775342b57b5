import { type FlameGraphNode } from 'd3-flame-graph';

import { type FlameDatum } from '../prune';
import {
  drawSlivers,
  indexSlivers,
  isSliver,
  maxDepthOf,
  outlineSliver,
  rowTop,
  sliverAt,
  sliverPaths,
  type SliverGeometry,
} from './slivers';

type Node = FlameGraphNode<FlameDatum>;

/** A laid-out node as d3-flame-graph leaves it: fractions of the chart's width, depth from the root. */
function laidOut(name: string, x0: number, x1: number, children: Node[] = []): Node {
  const node: Node = {
    data: { name, value: x1 - x0, node: name.charCodeAt(0) },
    parent: null,
    depth: 0,
    value: x1 - x0,
    x0,
    x1,
    id: 0,
  };
  if (children.length > 0) {
    node.children = children;
    children.forEach((child) => (child.parent = node));
  }
  return node;
}

function withDepths(root: Node): Node {
  const visit = (node: Node, depth: number) => {
    node.depth = depth;
    node.children?.forEach((child) => visit(child, depth + 1));
  };
  visit(root, 0);
  return root;
}

// 1000 px wide: a (600 px) with a narrow child c (3 px) and d (1 px); b (2 px) with child e (1 px).
const WIDTH = 1000;
function profile(): Node {
  return withDepths(
    laidOut('r', 0, 1, [
      laidOut('a', 0, 0.6, [laidOut('c', 0, 0.003), laidOut('d', 0.003, 0.004)]),
      laidOut('b', 0.6, 0.602, [laidOut('e', 0.6, 0.601)]),
    ])
  );
}
const icicle: SliverGeometry = { widthPx: WIDTH, cellHeightPx: 20, heightPx: 100, rootAtBottom: false };

describe('indexSlivers', () => {
  it('takes the frames at most 4 px wide, and all of their descendants, row by row', () => {
    const index = indexSlivers(profile(), icicle);
    expect(index.all.map((n) => n.data.name).sort()).toEqual(['b', 'c', 'd', 'e']);
    expect(index.byDepth[1].map((n) => n.data.name)).toEqual(['b']);
    expect(index.byDepth[2].map((n) => n.data.name)).toEqual(['c', 'd', 'e']);
    expect(index.byNode.get('c'.charCodeAt(0))?.data.name).toBe('c');
  });

  it('leaves frames wider than the limit to d3-flame-graph', () => {
    const index = indexSlivers(profile(), icicle, 2.5);
    expect(index.all.map((n) => n.data.name).sort()).toEqual(['b', 'd', 'e']);
    const a = profile().children![0];
    expect(isSliver(index, a)).toBe(false);
  });
});

describe('sliverAt', () => {
  it('finds the sliver under a point, and nothing over a wide frame or empty space', () => {
    const index = indexSlivers(profile(), icicle);
    expect(sliverAt(index, 1.5, 45)?.data.name).toBe('c');
    expect(sliverAt(index, 3.5, 45)?.data.name).toBe('d');
    expect(sliverAt(index, 600.5, 45)?.data.name).toBe('e');
    expect(sliverAt(index, 601, 25)?.data.name).toBe('b');
    expect(sliverAt(index, 300, 25)).toBeUndefined();
    expect(sliverAt(index, 5, 45)).toBeUndefined();
    expect(sliverAt(index, 1.5, 85)).toBeUndefined();
  });

  it('counts rows from the bottom when the root is drawn there', () => {
    const geometry = { ...icicle, rootAtBottom: true };
    const index = indexSlivers(profile(), geometry);
    expect(rowTop(geometry, 0)).toBe(80);
    expect(rowTop(geometry, 2)).toBe(40);
    expect(sliverAt(index, 1.5, 45)?.data.name).toBe('c');
    expect(sliverAt(index, 601, 65)?.data.name).toBe('b');
  });
});

describe('sliverPaths', () => {
  it('draws each colour as one path of rectangles inset like stroked frames', () => {
    const index = indexSlivers(profile(), icicle);
    const paths = sliverPaths(index, (node) => (node.data.name === 'b' ? 'red' : 'blue'));
    expect([...paths.keys()].sort()).toEqual(['blue', 'red']);
    expect(paths.get('red')).toBe('M600.25 20.25h1.5v19.5h-1.5z');
    expect(paths.get('blue')!.match(/M/g)).toHaveLength(3);
  });
});

describe('drawSlivers and outlineSliver', () => {
  it('reuse their elements between draws and keep them out of <g>s', () => {
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    drawSlivers(
      svg,
      new Map([
        ['red', 'M0 0h1v1h-1z'],
        ['blue', 'M2 0h1v1h-1z'],
      ]),
      2
    );
    const first = svg.querySelector('path');
    drawSlivers(svg, new Map([['green', 'M0 0h2v1h-2z']]), 1);
    const paths = svg.querySelectorAll('path');
    expect(paths).toHaveLength(1);
    expect(paths[0]).toBe(first);
    expect(paths[0].getAttribute('fill')).toBe('green');
    expect(svg.getAttribute('data-sliver-count')).toBe('1');
    expect(svg.querySelector('g')).toBeNull();

    outlineSliver(svg, 'sliver-hover', { x: 1, y: 2, width: 3, height: 4 });
    outlineSliver(svg, 'sliver-hover', { x: 5, y: 2, width: 3, height: 4 });
    expect(svg.querySelectorAll('rect.sliver-hover')).toHaveLength(1);
    expect(svg.querySelector('rect.sliver-hover')?.getAttribute('x')).toBe('5');
    // A later draw with more colours appends paths after the outline; the outline goes back on top.
    drawSlivers(
      svg,
      new Map([
        ['red', 'M0 0h1v1h-1z'],
        ['blue', 'M2 0h1v1h-1z'],
      ]),
      2
    );
    expect(svg.lastElementChild?.tagName).toBe('path');
    outlineSliver(svg, 'sliver-hover', { x: 6, y: 2, width: 3, height: 4 });
    expect(svg.lastElementChild?.getAttribute('class')).toBe('sliver-hover');
    outlineSliver(svg, 'sliver-hover');
    expect(svg.querySelector('rect.sliver-hover')).toBeNull();
  });
});

describe('maxDepthOf', () => {
  it('gives the deepest level of the pruned tree, root 0', () => {
    const leaf = { name: 'x', value: 1, node: 3 };
    expect(maxDepthOf(leaf)).toBe(0);
    expect(
      maxDepthOf({ name: 'r', value: 3, node: 0, children: [leaf, { name: 'y', value: 2, node: 1, children: [leaf] }] })
    ).toBe(2);
  });
});
