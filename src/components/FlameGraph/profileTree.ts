import { type DataFrame, type Field, FieldType } from '@grafana/data';

/**
 * The whole profile in columns (typed arrays), one entry per node in the frame's depth-first order.
 *
 * Why columns and not objects: a 1M-node profile as objects costs hundreds of MB and seconds of GC;
 * as typed arrays it is a few linear passes. Only what is drawn (see prune.ts) ever becomes objects.
 * Node i's subtree is the index range [i, subtreeEnd[i]), so its children are found by hopping
 * from i + 1 with subtreeEnd, and "is j inside i" is a range check.
 */
export interface ProfileTree {
  /** Number of nodes; node 0 is the root. */
  count: number;
  /** Columns of plain numbers are used as the frame holds them, without a copy (see numericColumn). */
  level: ArrayLike<number>;
  parent: Int32Array;
  subtreeEnd: Int32Array;
  /** Index into `names`. Equal names share an id, so search and the functions table work per id. */
  nameId: ArrayLike<number>;
  names: string[];
  /** Width of the node: total samples, left + right in a diff (as Grafana's flame graph draws it). */
  total: ArrayLike<number>;
  self: ArrayLike<number>;
  /** Diff only: the comparison profile's share of `total`/`self` (baseline = total - totalRight). */
  totalRight?: ArrayLike<number>;
  selfRight?: ArrayLike<number>;
  /** Unit of `value` from the frame's field config ("ns", "bytes", "short", ...). */
  unit: string;
  /** Children sorted by total, largest first, computed on first use: only nodes that are drawn pay. */
  sortedChildrenCache: Map<number, Int32Array>;
}

export class ProfileFrameError extends Error {}

function requireField(frame: DataFrame, name: string): Field {
  const field = frame.fields.find((f) => f.name === name);
  if (!field) {
    throw new ProfileFrameError(`The flame graph frame has no "${name}" field.`);
  }
  return field;
}

/** Reads names either from a string field or from an enum field (values index config.type.enum.text). */
function readNames(labelField: Field, count: number): { nameId: ArrayLike<number>; names: string[] } {
  const values = labelField.values;
  const enumText = labelField.config?.type?.enum?.text;
  if (labelField.type === FieldType.enum || (enumText && typeof values[0] === 'number')) {
    const names = (enumText ?? []).map((text) => String(text));
    const nameId = numericColumn(labelField, count);
    for (let i = 0; i < count; i++) {
      const id = nameId[i];
      if (!(id >= 0 && id < names.length)) {
        throw new ProfileFrameError(`Label index ${values[i]} at row ${i} is not in the label enum.`);
      }
    }
    return { nameId, names };
  }
  const nameId = new Int32Array(count);
  const names: string[] = [];
  const idByName = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const name = String(values[i] ?? '');
    let id = idByName.get(name);
    if (id === undefined) {
      id = names.length;
      idByName.set(name, id);
      names.push(name);
    }
    nameId[i] = id;
  }
  return { nameId, names };
}

function readNumbers(field: Field, count: number): Float64Array {
  const out = new Float64Array(count);
  const values = field.values;
  for (let i = 0; i < count; i++) {
    out[i] = Number(values[i]) || 0;
  }
  return out;
}

/**
 * A numeric column as the frame holds it when it already holds numbers (typed array, or a JSON array
 * of numbers as the datasource returns): copying 1M values is time spent before the first paint.
 * Anything else (strings, nulls at the ends) is converted.
 */
function numericColumn(field: Field, count: number): ArrayLike<number> {
  const values = field.values as unknown;
  if (ArrayBuffer.isView(values) && !(values instanceof DataView)) {
    return values as unknown as ArrayLike<number>;
  }
  const list = field.values;
  if (count === 0 || (typeof list[0] === 'number' && typeof list[count - 1] === 'number')) {
    return list;
  }
  return readNumbers(field, count);
}

/**
 * Links parents and subtree ranges from the levels in one pass with a stack of open nodes.
 * Throws on frames that are not a single depth-first tree, rather than drawing something wrong.
 */
function linkLevels(level: ArrayLike<number>): { parent: Int32Array; subtreeEnd: Int32Array } {
  const count = level.length;
  const parent = new Int32Array(count);
  const subtreeEnd = new Int32Array(count);
  const open = new Int32Array(count + 1);
  let depth = 0;
  for (let i = 0; i < count; i++) {
    const l = level[i];
    if (i === 0 ? l !== 0 : l < 1 || l > depth) {
      throw new ProfileFrameError(
        i === 0 || l < 1
          ? `Row ${i} has level ${l}: the frame must have exactly one root (level 0) and it must come first.`
          : `Row ${i} jumps from level ${level[i - 1]} to ${l}: rows must be in depth-first order.`
      );
    }
    while (depth > l) {
      subtreeEnd[open[--depth]] = i;
    }
    parent[i] = depth > 0 ? open[depth - 1] : -1;
    open[depth++] = i;
  }
  while (depth > 0) {
    subtreeEnd[open[--depth]] = count;
  }
  return { parent, subtreeEnd };
}

/** Builds the columnar tree from Grafana's flame graph frame (level, value, self, label[, valueRight, selfRight]). */
export function buildProfileTree(frame: DataFrame): ProfileTree {
  const levelField = requireField(frame, 'level');
  const valueField = requireField(frame, 'value');
  const selfField = requireField(frame, 'self');
  const labelField = requireField(frame, 'label');
  const valueRightField = frame.fields.find((f) => f.name === 'valueRight');
  const selfRightField = frame.fields.find((f) => f.name === 'selfRight');
  if (Boolean(valueRightField) !== Boolean(selfRightField)) {
    throw new ProfileFrameError('A diff frame needs both "valueRight" and "selfRight".');
  }
  const count = levelField.values.length;
  const level = numericColumn(levelField, count);
  const { parent, subtreeEnd } = linkLevels(level);
  const { nameId, names } = readNames(labelField, count);
  let total = numericColumn(valueField, count);
  let self = numericColumn(selfField, count);
  let totalRight: ArrayLike<number> | undefined;
  let selfRight: ArrayLike<number> | undefined;
  if (valueRightField && selfRightField) {
    // Grafana's contract: value/self are the baseline, *Right the comparison; the drawn width is both.
    totalRight = numericColumn(valueRightField, count);
    selfRight = numericColumn(selfRightField, count);
    const bothTotal = new Float64Array(count);
    const bothSelf = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      bothTotal[i] = total[i] + totalRight[i];
      bothSelf[i] = self[i] + selfRight[i];
    }
    total = bothTotal;
    self = bothSelf;
  }
  return {
    count,
    level,
    parent,
    subtreeEnd,
    nameId,
    names,
    total,
    self,
    totalRight,
    selfRight,
    unit: valueField.config?.unit ?? 'short',
    sortedChildrenCache: new Map(),
  };
}

/** Children of a node in frame order. */
export function childrenOf(tree: ProfileTree, node: number): number[] {
  const children: number[] = [];
  const end = tree.subtreeEnd[node];
  for (let child = node + 1; child < end; child = tree.subtreeEnd[child]) {
    children.push(child);
  }
  return children;
}

/** Children largest first, so pruning can stop at the first one narrower than a pixel. */
export function childrenByTotal(tree: ProfileTree, node: number): Int32Array {
  let sorted = tree.sortedChildrenCache.get(node);
  if (!sorted) {
    sorted = Int32Array.from(childrenOf(tree, node));
    const total = tree.total;
    sorted.sort((a, b) => total[b] - total[a] || a - b);
    tree.sortedChildrenCache.set(node, sorted);
  }
  return sorted;
}

/** Path from the root to `node`, both included. */
export function ancestorsOf(tree: ProfileTree, node: number): number[] {
  const path: number[] = [];
  for (let n = node; n >= 0; n = tree.parent[n]) {
    path.push(n);
  }
  return path.reverse();
}

export function nameOf(tree: ProfileTree, node: number): string {
  return tree.names[tree.nameId[node]];
}

/** Baseline (left) values of a diff node; for a plain profile the same as total/self. */
export function baselineTotal(tree: ProfileTree, node: number): number {
  return tree.total[node] - (tree.totalRight ? tree.totalRight[node] : 0);
}

/** Names from the root's child down to `node` (the root itself has no name worth keeping). */
export function namePathOf(tree: ProfileTree, node: number): string[] {
  return ancestorsOf(tree, node)
    .slice(1)
    .map((n) => nameOf(tree, n));
}

/**
 * The node a name path leads to, following the first child of each name from the root; where the
 * path stops matching (the profile changed since it was saved) the deepest match stands.
 */
export function nodeAtNamePath(tree: ProfileTree, path: readonly string[]): number {
  let node = 0;
  for (const name of path) {
    const child = childrenOf(tree, node).find((c) => nameOf(tree, c) === name);
    if (child === undefined) {
      break;
    }
    node = child;
  }
  return node;
}
