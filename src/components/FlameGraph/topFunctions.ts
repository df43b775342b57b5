import { type ProfileTree } from './profileTree';

/** One row of the functions table: a function summed over every place it appears in the profile. */
export interface FunctionSummary {
  nameId: number;
  name: string;
  self: number;
  /** Samples with this function anywhere on the stack; recursion does not count a sample twice. */
  total: number;
  /** Diff only: the comparison profile's part of self and total. */
  selfRight?: number;
  totalRight?: number;
}

/**
 * Self and total per function over the whole profile in one depth-first pass.
 * `onStack[id]` counts open ancestors with the same name: a node adds to its function's total only
 * when no ancestor already did, so a recursive function is not counted once per level.
 */
export function summarizeFunctions(tree: ProfileTree): FunctionSummary[] {
  const { count, nameId, total, self, subtreeEnd, totalRight, selfRight } = tree;
  const functions = tree.names.length;
  const selfBy = new Float64Array(functions);
  const totalBy = new Float64Array(functions);
  const selfRightBy = totalRight ? new Float64Array(functions) : undefined;
  const totalRightBy = totalRight ? new Float64Array(functions) : undefined;
  const onStack = new Int32Array(functions);
  const open = new Int32Array(count + 1);
  let depth = 0;
  for (let i = 0; i < count; i++) {
    while (depth > 0 && subtreeEnd[open[depth - 1]] <= i) {
      onStack[nameId[open[--depth]]]--;
    }
    const id = nameId[i];
    selfBy[id] += self[i];
    if (selfRightBy && selfRight) {
      selfRightBy[id] += selfRight[i];
    }
    if (onStack[id] === 0) {
      totalBy[id] += total[i];
      if (totalRightBy && totalRight) {
        totalRightBy[id] += totalRight[i];
      }
    }
    onStack[id]++;
    open[depth++] = i;
  }
  const rows: FunctionSummary[] = [];
  for (let id = 0; id < functions; id++) {
    if (totalBy[id] === 0 && selfBy[id] === 0) {
      continue;
    }
    rows.push({
      nameId: id,
      name: tree.names[id],
      self: selfBy[id],
      total: totalBy[id],
      selfRight: selfRightBy?.[id],
      totalRight: totalRightBy?.[id],
    });
  }
  return rows;
}

export type FunctionSortKey = 'self' | 'total' | 'name';

export function sortFunctions(rows: FunctionSummary[], key: FunctionSortKey): FunctionSummary[] {
  const sorted = rows.slice();
  if (key === 'name') {
    sorted.sort((a, b) => a.name.localeCompare(b.name));
  } else {
    sorted.sort((a, b) => b[key] - a[key] || a.name.localeCompare(b.name));
  }
  return sorted;
}
