import { makeValueFormatter } from './format';
import { describeFrame } from './frameDetails';
import { indexFrames, moveFocus } from './keyboard';
import { buildProfileTree } from './profileTree';
import { pruneForView } from './prune';
import { frameFrom, type TestNode } from './testing/frames';

const profile: TestNode = [
  'total',
  0,
  [
    [
      'main',
      0,
      [
        ['work', 250e6],
        ['idle', 750e6],
      ],
    ],
    ['gc', 1e9],
  ],
];

describe('describeFrame', () => {
  const tree = buildProfileTree(frameFrom(profile, { unit: 'ns' }));
  const format = makeValueFormatter('ns');
  const rows = (node: number) =>
    Object.fromEntries(
      describeFrame(tree, { name: '', value: tree.total[node], node }, format).rows.map((r) => [r.label, r.value])
    );

  it('gives self, total, share of root and of parent in the profile unit', () => {
    const work = rows(2);
    expect(work.Self).toBe('250 ms (12.50%)');
    expect(work.Total).toBe('250 ms (12.50% of root)');
    expect(work['Of parent']).toBe('25.00% of main');
  });

  it('describes a diff frame with both sides and the change', () => {
    const right: TestNode = [
      'total',
      0,
      [
        [
          'main',
          0,
          [
            ['work', 500e6],
            ['idle', 500e6],
          ],
        ],
        ['gc', 1e9],
      ],
    ];
    const diff = buildProfileTree(frameFrom(profile, { unit: 'ns', right }));
    const details = Object.fromEntries(
      describeFrame(diff, { name: 'work', value: 0, node: 2 }, format).rows.map((r) => [r.label, r.value])
    );
    expect(details.Baseline).toBe('250 ms (12.50%)');
    expect(details.Comparison).toBe('500 ms (25.00%)');
    expect(details.Change).toBe('+100.0%');
  });
});

describe('keyboard moves', () => {
  const tree = buildProfileTree(frameFrom(profile));
  const index = indexFrames(pruneForView(tree, 0, { widthPx: 1000 }).root);

  it('goes down to the widest child, up to the parent and across siblings', () => {
    // main and gc are equally wide: the first in data order wins.
    expect(moveFocus(index, 0, 'child')).toBe(1);
    expect(moveFocus(index, 2, 'parent')).toBe(1);
    expect(moveFocus(index, 2, 'next')).toBe(3);
    expect(moveFocus(index, 3, 'next')).toBe(3);
    expect(moveFocus(index, 0, 'parent')).toBe(0);
  });
});
