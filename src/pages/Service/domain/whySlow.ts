/**
 * Why slow: which requests of a route stand for "slow" and which for "typical", and the one diff
 * query that compares their CPU.
 *
 * The cost is fixed by design: at most WHY_SLOW_SIDE_SIZE trace ids on each side, whatever the
 * number of spans the trace store holds, in ONE diff query (the backend runs one Parca merge per
 * side). The selector therefore never grows past 2 × K ids, and Parca's work depends on the
 * samples in the range, not on how many traces exist (scripts/bench/why-slow prints the figures).
 */
import { formatSelector } from '../../../datasource/selector';
import { type ParcaQuery, QueryType } from '../../../datasource/types';
import type { TraceSpan } from '../../../shared/traces/types';

/** Trace ids per side: enough samples to see a hot function, few enough for a short selector. */
export const WHY_SLOW_SIDE_SIZE = 20;
/** Spans of the route asked of the trace store to find its p50 and p95. */
export const WHY_SLOW_SEARCH_LIMIT = 1000;
export const WHY_SLOW_REF_ID = 'why-slow';

export interface DurationRange {
  minMs: number;
  maxMs: number;
}

export interface WhySlowChoice {
  /** Slowest first: spans above the route's p95. */
  slow: TraceSpan[];
  /** Closest to the median first. */
  typical: TraceSpan[];
  p50Ms: number;
  p95Ms: number;
  /** Spans with a usable trace id the choice was made from (one per trace). */
  considered: number;
  slowRange: DurationRange;
  typicalRange: DurationRange;
}

export type WhySlowOutcome = { choice: WhySlowChoice } | { problem: string };

const TRACE_ID_32 = /^[0-9a-f]{32}$/;
const TRACE_ID_16 = /^[0-9a-f]{16}$/;

/**
 * A trace id as profiles carry it in their `trace_id` label: 32 lowercase hex digits (a 64-bit id
 * from an older Jaeger client is left-padded); undefined for anything else, which no profile can carry.
 */
export function normalizeTraceId(id: string): string | undefined {
  const lower = id.trim().toLowerCase();
  if (TRACE_ID_32.test(lower)) {
    return lower;
  }
  return TRACE_ID_16.test(lower) ? `${'0'.repeat(16)}${lower}` : undefined;
}

/** Nearest-rank quantile of ascending values (q in 0..1). */
export function quantileOfSorted(sorted: number[], q: number): number {
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

function rangeOf(spans: TraceSpan[]): DurationRange {
  let minMs = Infinity;
  let maxMs = -Infinity;
  for (const s of spans) {
    minMs = Math.min(minMs, s.durationMs);
    maxMs = Math.max(maxMs, s.durationMs);
  }
  return { minMs, maxMs };
}

/**
 * Picks at most k spans above the route's p95 (the slowest of them) and at most k nearest its
 * median. One span per trace (its longest), so no trace id lands on both sides; spans whose trace
 * id no profile can carry are left out. O(n log n) in the spans given (the sort), O(k) in the rest.
 */
export function chooseWhySlowSpans(spans: TraceSpan[], k = WHY_SLOW_SIDE_SIZE): WhySlowOutcome {
  const byTrace = new Map<string, TraceSpan>();
  for (const span of spans) {
    const traceId = normalizeTraceId(span.traceId);
    if (traceId === undefined || !Number.isFinite(span.durationMs) || span.durationMs < 0) {
      continue;
    }
    const seen = byTrace.get(traceId);
    if (!seen || span.durationMs > seen.durationMs) {
      byTrace.set(traceId, { ...span, traceId });
    }
  }
  const sorted = [...byTrace.values()].sort((a, b) => a.durationMs - b.durationMs);
  if (sorted.length < 2) {
    return {
      problem: `Only ${sorted.length} request${sorted.length === 1 ? '' : 's'} of this route with a trace id in the range: comparing slow with typical needs more. Widen the time range.`,
    };
  }
  const durations = sorted.map((s) => s.durationMs);
  const p50Ms = quantileOfSorted(durations, 0.5);
  const p95Ms = quantileOfSorted(durations, 0.95);

  // The slowest k above p95: the tail end of the sorted list.
  const slow: TraceSpan[] = [];
  for (let i = sorted.length - 1; i >= 0 && slow.length < k && sorted[i].durationMs > p95Ms; i--) {
    slow.push(sorted[i]);
  }
  if (slow.length === 0) {
    return {
      problem: `No request of this route is slower than its p95 (${formatMs(p95Ms)}) among the ${sorted.length} found: its durations are all about the same, so there is no slow side to compare.`,
    };
  }

  // The k nearest the median: widen a window around it, taking the closer neighbour each step.
  const typical: TraceSpan[] = [];
  const firstSlow = sorted.length - slow.length;
  let lo = Math.min(Math.max(0, Math.ceil(0.5 * sorted.length) - 1), firstSlow - 1);
  let hi = lo + 1;
  while (typical.length < k && (lo >= 0 || hi < firstSlow)) {
    const takeLow = hi >= firstSlow || (lo >= 0 && p50Ms - sorted[lo].durationMs <= sorted[hi].durationMs - p50Ms);
    typical.push(takeLow ? sorted[lo--] : sorted[hi++]);
  }
  if (typical.length === 0) {
    return { problem: 'Every request of this route found is above its p95: there is no typical side to compare with.' };
  }
  return {
    choice: {
      slow,
      typical,
      p50Ms,
      p95Ms,
      considered: sorted.length,
      slowRange: rangeOf(slow),
      typicalRange: rangeOf(typical),
    },
  };
}

/** Escapes what a regular expression would read as syntax (trace ids are hex, so this guards, never alters). */
export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

/**
 * `{<serviceLabel>="<service>", trace_id=~"id1|id2|..."}`: the service quoted and escaped (quotes,
 * backslashes, newlines), each id escaped for the regex. Parca anchors `=~` matches, so no id matches
 * another's prefix.
 */
export function traceIdsSelector(serviceLabel: string, service: string, traceIds: string[]): string {
  return formatSelector([
    { name: serviceLabel, operator: '=', value: service },
    { name: 'trace_id', operator: '=~', value: traceIds.map(escapeRegex).join('|') },
  ]);
}

export interface WhySlowQueryInputs {
  profileType: string;
  serviceLabel: string;
  service: string;
  choice: WhySlowChoice;
}

/** The one diff query: baseline (left) the typical requests, comparison (right) the slow ones. */
export function whySlowDiffQuery(p: WhySlowQueryInputs): ParcaQuery {
  const ids = (spans: TraceSpan[]) => spans.map((s) => s.traceId);
  return {
    refId: WHY_SLOW_REF_ID,
    queryType: QueryType.Diff,
    profileType: p.profileType,
    labelSelector: traceIdsSelector(p.serviceLabel, p.service, ids(p.choice.slow)),
    baseline: { mode: 'selector', labelSelector: traceIdsSelector(p.serviceLabel, p.service, ids(p.choice.typical)) },
    // A few requests' samples: every node counts.
    nodeTrimThreshold: 0,
  };
}

export function formatMs(ms: number): string {
  if (ms >= 1000) {
    return `${(ms / 1000).toFixed(2)} s`;
  }
  return ms >= 10 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`;
}
