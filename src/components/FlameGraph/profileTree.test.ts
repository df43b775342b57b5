import {
  ancestorsOf,
  baselineTotal,
  buildProfileTree,
  childrenByTotal,
  childrenOf,
  nameOf,
  namePathOf,
  nodeAtNamePath,
  ProfileFrameError,
} from './profileTree';
import { frameFrom, type TestNode } from './testing/frames';

const profile: TestNode = [
  'total',
  0,
  [
    [
      'main',
      1,
      [
        ['work', 5, [['hash', 3]]],
        ['log', 1],
      ],
    ],
    ['gc', 2],
  ],
];

describe('buildProfileTree', () => {
  it('links parents and subtree ranges from levels', () => {
    const tree = buildProfileTree(frameFrom(profile));
    expect(tree.count).toBe(6);
    expect(Array.from(tree.parent)).toEqual([-1, 0, 1, 2, 1, 0]);
    expect(Array.from(tree.subtreeEnd)).toEqual([6, 5, 4, 4, 5, 6]);
    expect(childrenOf(tree, 1)).toEqual([2, 4]);
    expect(ancestorsOf(tree, 3).map((n) => nameOf(tree, n))).toEqual(['total', 'main', 'work', 'hash']);
    expect(tree.total[0]).toBe(12);
    expect(tree.unit).toBe('short');
  });

  it('reads enum labels and string labels to the same names', () => {
    const fromEnum = buildProfileTree(frameFrom(profile, { enumLabels: true }));
    const fromString = buildProfileTree(frameFrom(profile));
    const names = (t: typeof fromEnum) => Array.from({ length: t.count }, (_, i) => nameOf(t, i));
    expect(names(fromEnum)).toEqual(names(fromString));
  });

  it('orders children largest first for pruning', () => {
    const tree = buildProfileTree(frameFrom(profile));
    expect(Array.from(childrenByTotal(tree, 0)).map((n) => nameOf(tree, n))).toEqual(['main', 'gc']);
  });

  it('adds left and right for a diff and keeps the baseline', () => {
    const right: TestNode = [
      'total',
      0,
      [
        [
          'main',
          2,
          [
            ['work', 1, [['hash', 9]]],
            ['log', 0],
          ],
        ],
        ['gc', 0],
      ],
    ];
    const tree = buildProfileTree(frameFrom(profile, { right }));
    expect(tree.total[0]).toBe(12 + 12);
    expect(tree.totalRight?.[3]).toBe(9);
    expect(baselineTotal(tree, 3)).toBe(3);
  });

  it('rejects frames that are not one depth-first tree', () => {
    const frame = frameFrom(profile);
    frame.fields[0].values = [0, 1, 3, 2, 1, 1];
    expect(() => buildProfileTree(frame)).toThrow(ProfileFrameError);
    frame.fields[0].values = [0, 1, 2, 3, 0, 1];
    expect(() => buildProfileTree(frame)).toThrow(/exactly one root/);
    expect(() => buildProfileTree({ ...frame, fields: frame.fields.filter((f) => f.name !== 'self') })).toThrow(
      /"self"/
    );
  });
});

describe('name paths (a zoom kept in a URL)', () => {
  it('leads back to the same node, and to the deepest match when the profile changed', () => {
    const tree = buildProfileTree(frameFrom(profile));
    expect(namePathOf(tree, 3)).toEqual(['main', 'work', 'hash']);
    expect(nodeAtNamePath(tree, ['main', 'work', 'hash'])).toBe(3);
    expect(nodeAtNamePath(tree, [])).toBe(0);
    expect(nodeAtNamePath(tree, ['main', 'gone', 'hash'])).toBe(1);
    expect(nodeAtNamePath(tree, ['nowhere'])).toBe(0);
  });
});
