/**
 * What grew per request between typical and slow requests of a route, read from the why-slow diff.
 *
 * The flame graph's diff colours compare shares of each side's total. A route that is slow by
 * computing runs the same code for longer, so its shares barely move while its CPU per request
 * multiplies: the table of this module compares CPU per request, which is what "what did the slow
 * requests spend their time on" asks.
 */
import type { DataFrame } from '@grafana/data';

import { buildProfileTree, summarizeFunctions } from '../../../components/FlameGraph';

export interface FunctionGrowth {
  name: string;
  /** Total (self and callees) per typical request, in the frame's unit. */
  typicalPerRequest: number;
  slowPerRequest: number;
  /** slowPerRequest - typicalPerRequest. */
  growth: number;
}

export interface GrowthTable {
  rows: FunctionGrowth[];
  unit: string;
}

/**
 * Functions whose CPU per request grew from the typical to the slow side, most growth first.
 * Undefined when the frame is not a two-sided diff (one side had no samples: the backend then
 * answers one side's plain flame graph with a notice saying which).
 */
export function growthPerRequest(
  frame: DataFrame | undefined,
  requests: { slow: number; typical: number },
  limit = 10
): GrowthTable | undefined {
  if (!frame || frame.length === 0 || requests.slow <= 0 || requests.typical <= 0) {
    return undefined;
  }
  const tree = buildProfileTree(frame);
  if (!tree.totalRight) {
    return undefined;
  }
  const rows: FunctionGrowth[] = [];
  for (const f of summarizeFunctions(tree)) {
    const right = f.totalRight ?? 0;
    const typicalPerRequest = (f.total - right) / requests.typical;
    const slowPerRequest = right / requests.slow;
    const growth = slowPerRequest - typicalPerRequest;
    // The root ("total") grows with everything: it says nothing about where.
    if (growth > 0 && f.nameId !== tree.nameId[0]) {
      rows.push({ name: f.name, typicalPerRequest, slowPerRequest, growth });
    }
  }
  rows.sort((a, b) => b.growth - a.growth || a.name.localeCompare(b.name));
  return { rows: rows.slice(0, limit), unit: tree.unit };
}
