import { buildProfileTree } from './profileTree';
import { makeMatcher, searchProfile, selectFunction } from './search';
import { frameFrom, type TestNode } from './testing/frames';

// "recurse" calls itself: its samples must count once.
const profile: TestNode = [
  'total',
  0,
  [
    [
      'main',
      0,
      [
        ['recurse', 1, [['recurse', 2, [['leaf', 3]]]]],
        ['other', 4],
      ],
    ],
    ['tiny', 0.5],
  ],
];

describe('search', () => {
  const tree = buildProfileTree(frameFrom(profile));

  it('totals over the whole profile, each sample once under nested matches', () => {
    const result = searchProfile(tree, 'RECURSE')!;
    expect(result.matchedFunctions).toBe(1);
    expect(result.matchedNodes).toBe(2);
    expect(result.matchedTotal).toBe(6);
    expect(result.matchedShare).toBeCloseTo(6 / 10.5);
  });

  it('finds frames that are too small to draw', () => {
    expect(searchProfile(tree, 'tiny')!.matchedTotal).toBe(0.5);
  });

  it('treats /text/ as a regular expression and bad ones as text', () => {
    expect(makeMatcher('/^LE/')('leaf')).toBe(true);
    expect(makeMatcher('/^le/')('idle')).toBe(false);
    expect(makeMatcher('/(/')('a/(/b')).toBe(true);
    expect(searchProfile(tree, '/^rec.*e$/')!.matchedNodes).toBe(2);
    expect(searchProfile(tree, '   ')).toBeUndefined();
  });

  it('says why a /regex/ is invalid, rather than only finding nothing', () => {
    expect(searchProfile(tree, '/(/')!.invalidRegex).toBe('Unterminated group');
    expect(searchProfile(tree, '/^rec/')!.invalidRegex).toBeUndefined();
    expect(searchProfile(tree, 'rec(')!.invalidRegex).toBeUndefined();
  });

  it('selects one function exactly, for the table', () => {
    const leafId = tree.names.indexOf('leaf');
    const result = selectFunction(tree, leafId);
    expect(result.matchedTotal).toBe(3);
    expect(result.matchedNodes).toBe(1);
  });
});
