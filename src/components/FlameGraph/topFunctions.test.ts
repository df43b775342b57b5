import { buildProfileTree } from './profileTree';
import { buildSandwich } from './sandwich';
import { sortFunctions, summarizeFunctions } from './topFunctions';
import { frameFrom, type TestNode } from './testing/frames';

const profile: TestNode = [
  'total',
  0,
  [
    [
      'a',
      1,
      [
        ['parse', 2, [['parse', 3]]],
        ['alloc', 4],
      ],
    ],
    [
      'b',
      0,
      [
        ['parse', 5],
        ['alloc', 6],
      ],
    ],
  ],
];

describe('summarizeFunctions', () => {
  const tree = buildProfileTree(frameFrom(profile));
  const byName = Object.fromEntries(summarizeFunctions(tree).map((f) => [f.name, f]));

  it('sums self over all call sites', () => {
    expect(byName.parse.self).toBe(10);
    expect(byName.alloc.self).toBe(10);
  });

  it('counts recursion once in total', () => {
    expect(byName.parse.total).toBe(2 + 3 + 5);
    expect(byName.total.total).toBe(21);
  });

  it('sorts by self, total or name', () => {
    const rows = summarizeFunctions(tree);
    expect(sortFunctions(rows, 'total')[0].name).toBe('total');
    expect(sortFunctions(rows, 'name').map((r) => r.name)).toEqual(['a', 'alloc', 'b', 'parse', 'total']);
  });
});

describe('buildSandwich', () => {
  const tree = buildProfileTree(frameFrom(profile));
  const { callers, callees } = buildSandwich(tree, tree.names.indexOf('parse'));
  const children = (t: typeof callers, node: number) => {
    const out: Record<string, number> = {};
    for (let c = node + 1; c < t.subtreeEnd[node]; c = t.subtreeEnd[c]) {
      out[t.names[t.nameId[c]]] = t.total[c];
    }
    return out;
  };

  it('roots both halves at the function with its exact total', () => {
    expect(callers.total[0]).toBe(10);
    expect(callees.total[0]).toBe(10);
  });

  it('merges callers over call sites and hands every sample up', () => {
    expect(children(callers, 0)).toEqual({ a: 5, b: 5 });
    expect(callers.self[0]).toBe(0);
    // The outermost caller, the profile root, keeps what reaches it as self.
    const outermost = Array.from({ length: callers.count }, (_, i) => i).filter(
      (i) => callers.names[callers.nameId[i]] === 'total'
    );
    expect(outermost.map((i) => [callers.self[i], callers.total[i]])).toEqual([
      [5, 5],
      [5, 5],
    ]);
  });

  it('merges callees over call sites', () => {
    expect(children(callees, 0)).toEqual({ parse: 3 });
  });
});
