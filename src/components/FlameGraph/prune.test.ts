import { buildProfileTree } from './profileTree';
import { type FlameDatum, pruneForView } from './prune';
import { frameFrom, type TestNode } from './testing/frames';

/** A root with one wide child and many tiny siblings, each far under a pixel at 100 px. */
function wideAndTiny(tiny: number): TestNode {
  return [
    'total',
    0,
    [['wide', 5000, [['inner', 4000]]], ...Array.from({ length: tiny }, (_, k): TestNode => [`tiny${k}`, 1])],
  ];
}

function collect(datum: FlameDatum, out: FlameDatum[] = []): FlameDatum[] {
  out.push(datum);
  datum.children?.forEach((child) => collect(child, out));
  return out;
}

describe('pruneForView', () => {
  it('draws only frames at least a pixel wide and folds the rest into one exact aggregate', () => {
    const tree = buildProfileTree(frameFrom(wideAndTiny(1000)));
    const view = pruneForView(tree, 0, { widthPx: 100 });
    const drawn = collect(view.root);
    expect(drawn.map((d) => d.name)).toEqual(['total', 'wide', 'inner', '1000 smaller frames']);
    const other = drawn[3];
    expect(other.node).toBe(-1);
    expect(other.otherCount).toBe(1000);
    // Widths stay exact: the children of the root still add up to its total.
    expect(other.value + drawn[1].value).toBe(tree.total[0]);
    expect(view.hiddenNodeCount).toBe(1000);
  });

  it('keeps every frame when the chart is wide enough', () => {
    const tree = buildProfileTree(frameFrom(wideAndTiny(10)));
    const view = pruneForView(tree, 0, { widthPx: 100_000 });
    expect(view.frameCount).toBe(tree.count);
    expect(view.hiddenNodeCount).toBe(0);
  });

  it('lays out the zoomed subtree full width under faded ancestors', () => {
    const tree = buildProfileTree(frameFrom(wideAndTiny(1000)));
    const wide = 1;
    const view = pruneForView(tree, wide, { widthPx: 100 });
    expect(view.root.fade).toBe(true);
    expect(view.root.value).toBe(tree.total[wide]);
    expect(view.root.children).toHaveLength(1);
    expect(view.root.children![0].node).toBe(wide);
    expect(view.root.children![0].fade).toBeUndefined();
  });

  it('costs the drawn frames, not the profile: a huge tail is never visited', () => {
    const tree = buildProfileTree(frameFrom(wideAndTiny(50_000)));
    const view = pruneForView(tree, 1, { widthPx: 1200 });
    // Zoomed into "wide": the 50,000 tiny siblings are outside the zoomed subtree.
    expect(view.frameCount).toBe(3);
    expect(view.hiddenNodeCount).toBe(0);
  });

  it('keeps the data order of drawn siblings, aggregate last', () => {
    const tree = buildProfileTree(
      frameFrom([
        'total',
        0,
        [
          ['a', 10],
          ['b', 50],
          ['c', 30],
          ['d', 0.001],
        ],
      ])
    );
    const names = pruneForView(tree, 0, { widthPx: 100 }).root.children!.map((d) => d.name);
    expect(names).toEqual(['a', 'b', 'c']);
  });
});
