import { type ProfileTree } from './profileTree';

/** A node of a tree being merged by name; turned into a ProfileTree once complete. */
interface MergeNode {
  nameId: number;
  total: number;
  self: number;
  totalRight: number;
  selfRight: number;
  children: Map<number, MergeNode>;
}

function mergeNode(nameId: number): MergeNode {
  return { nameId, total: 0, self: 0, totalRight: 0, selfRight: 0, children: new Map() };
}

function childNamed(parent: MergeNode, nameId: number): MergeNode {
  let child = parent.children.get(nameId);
  if (!child) {
    child = mergeNode(nameId);
    parent.children.set(nameId, child);
  }
  return child;
}

/** Writes a merged tree out depth first, children by name, sharing the source tree's names. */
function toProfileTree(source: ProfileTree, root: MergeNode): ProfileTree {
  const rows: Array<{ node: MergeNode; level: number }> = [];
  const stack: Array<{ node: MergeNode; level: number }> = [{ node: root, level: 0 }];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    rows.push(entry);
    const children = [...entry.node.children.values()].sort((a, b) =>
      source.names[b.nameId].localeCompare(source.names[a.nameId])
    );
    for (const child of children) {
      stack.push({ node: child, level: entry.level + 1 });
    }
  }
  const count = rows.length;
  const level = new Int32Array(count);
  const parent = new Int32Array(count);
  const subtreeEnd = new Int32Array(count);
  const nameId = new Int32Array(count);
  const total = new Float64Array(count);
  const self = new Float64Array(count);
  const diff = Boolean(source.totalRight);
  const totalRight = diff ? new Float64Array(count) : undefined;
  const selfRight = diff ? new Float64Array(count) : undefined;
  const open: number[] = [];
  rows.forEach(({ node, level: l }, i) => {
    while (open.length > l) {
      subtreeEnd[open.pop()!] = i;
    }
    level[i] = l;
    parent[i] = open.length ? open[open.length - 1] : -1;
    open.push(i);
    nameId[i] = node.nameId;
    total[i] = node.total;
    self[i] = node.self;
    if (totalRight && selfRight) {
      totalRight[i] = node.totalRight;
      selfRight[i] = node.selfRight;
    }
  });
  while (open.length) {
    subtreeEnd[open.pop()!] = count;
  }
  return {
    count,
    level,
    parent,
    subtreeEnd,
    nameId,
    names: source.names,
    total,
    self,
    totalRight,
    selfRight,
    unit: source.unit,
    sortedChildrenCache: new Map(),
  };
}

/** Occurrences of a function that are not inside another occurrence (so recursion counts once). */
function outermostOccurrences(tree: ProfileTree, id: number): number[] {
  const found: number[] = [];
  for (let i = 0; i < tree.count;) {
    if (tree.nameId[i] === id) {
      found.push(i);
      i = tree.subtreeEnd[i];
    } else {
      i++;
    }
  }
  return found;
}

export interface SandwichTrees {
  /** Rooted at the function; children are its callers, then their callers (draw root at the bottom). */
  callers: ProfileTree;
  /** Rooted at the function; everything it called, merged over every call site. */
  callees: ProfileTree;
}

/**
 * Callers and callees of one function, merged over all its call sites. Both roots carry the
 * function's exact total, so shares read the same in both halves.
 */
export function buildSandwich(tree: ProfileTree, id: number): SandwichTrees {
  const calleesRoot = mergeNode(id);
  const callersRoot = mergeNode(id);
  const right = tree.totalRight;
  const selfRight = tree.selfRight;
  for (const occurrence of outermostOccurrences(tree, id)) {
    const value = tree.total[occurrence];
    const valueRight = right ? right[occurrence] : 0;
    // Callees: copy the subtree, merging by name at each depth.
    const path: MergeNode[] = [];
    const end = tree.subtreeEnd[occurrence];
    for (let i = occurrence; i < end; i++) {
      const depth = tree.level[i] - tree.level[occurrence];
      path.length = depth;
      const node = depth === 0 ? calleesRoot : childNamed(path[depth - 1], tree.nameId[i]);
      node.total += tree.total[i];
      node.self += tree.self[i];
      node.totalRight += right ? right[i] : 0;
      node.selfRight += selfRight ? selfRight[i] : 0;
      path.push(node);
    }
    // Callers: walk up from the call site; every caller on the way gets the call site's total.
    // Every sample of the function is handed up to a caller, so the root keeps none as self, unless
    // the function is the profile's root and has no caller.
    callersRoot.total += value;
    callersRoot.totalRight += valueRight;
    if (tree.parent[occurrence] < 0) {
      callersRoot.self += value;
      callersRoot.selfRight += valueRight;
    }
    let caller = callersRoot;
    for (let p = tree.parent[occurrence]; p >= 0; p = tree.parent[p]) {
      caller = childNamed(caller, tree.nameId[p]);
      caller.total += value;
      caller.totalRight += valueRight;
    }
    // The outermost caller (the profile root) has no callers of its own: what reaches it is its self.
    if (caller !== callersRoot) {
      caller.self += value;
      caller.selfRight += valueRight;
    }
  }
  return { callers: toProfileTree(tree, callersRoot), callees: toProfileTree(tree, calleesRoot) };
}
