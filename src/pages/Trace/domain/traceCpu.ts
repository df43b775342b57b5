/**
 * The CPU of every span of one trace, from one Parca answer: a profile of the trace's samples
 * (trace_id = the trace) grouped by span_id. Grouped profiles have one label node per group under
 * the root ("span_id=<16 hex>", or "(no labels)" for samples of the trace without a span_id), so
 * each span's own CPU is its node's total and the trace's total is the root's.
 */
import type { DataFrame } from '@grafana/data';

import { buildProfileTree, ProfileFrameError } from '../../../components/FlameGraph';
import { flameGraphFrame } from '../../../components/FlameGraph/scene';
import type { ProfileTypeInfo } from '../../../datasource/types';
import type { AppSettings } from '../../../shared/appSettings';
import { msPerUnit } from '../../../shared/parca/cpuUnits';

export const SPAN_ID_LABEL = 'span_id';
const GROUP_PREFIX = `${SPAN_ID_LABEL}=`;
/** The backend's name for the group of samples without the grouped label (pkg/report/labels.go). */
const NO_LABELS = '(no labels)';

/** Totals in the profile type's unit (nanoseconds or samples). */
export interface TraceCpuTotals {
  /** Every sample of the trace. */
  total: number;
  /** Samples by the span_id they carry. */
  bySpan: Map<string, number>;
  /** Samples of the trace that carry no span_id. */
  withoutSpan: number;
}

/** Reads a grouped profile answer; an empty answer is all zeros, a frame of another shape a ProfileFrameError. */
export function readTraceCpu(frames: DataFrame[]): TraceCpuTotals {
  const frame = flameGraphFrame(frames);
  const empty: TraceCpuTotals = { total: 0, bySpan: new Map(), withoutSpan: 0 };
  if (!frame || frame.length === 0) {
    return empty;
  }
  const tree = buildProfileTree(frame);
  const totals: TraceCpuTotals = { total: tree.total[0], bySpan: new Map(), withoutSpan: 0 };
  // The root's children are the groups: hop from one to the next over their subtrees.
  for (let node = 1; node < tree.count; node = tree.subtreeEnd[node]) {
    const name = tree.names[tree.nameId[node]];
    if (name === NO_LABELS) {
      totals.withoutSpan += tree.total[node];
      continue;
    }
    if (!name.startsWith(GROUP_PREFIX)) {
      throw new ProfileFrameError(
        `The trace's profile is not grouped by span_id: "${name}" is directly under the root.`
      );
    }
    const spanId = name.slice(GROUP_PREFIX.length).split(',')[0].trim();
    totals.bySpan.set(spanId, (totals.bySpan.get(spanId) ?? 0) + tree.total[node]);
  }
  return totals;
}

/** The profile type to ask when the URL names none: a delta CPU type in nanoseconds or samples. */
export function traceProfileType(
  types: ProfileTypeInfo[],
  settings: Pick<AppSettings, 'samplingHz'>
): string | undefined {
  const usable = types.filter((t) => typeof msPerUnit(t.id, settings) === 'number');
  return (usable.find((t) => t.delta) ?? usable[0])?.id;
}
