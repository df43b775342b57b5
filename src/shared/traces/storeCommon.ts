/** What both stores share: checks before calling out and on what comes back, and the trace lookup. */
import { type ProxyTarget, proxyGet } from './proxyFetch';
import { type SpanSearch, type Trace, type TraceSpan, TraceStoreError } from './types';

/** A trace id as 32 lower-case hex digits (shorter ids get their leading zeros back). */
export function normalizeTraceId(traceId: string): string {
  const id = traceId.trim().toLowerCase();
  if (!/^[0-9a-f]{1,32}$/.test(id)) {
    throw new TraceStoreError(
      'bad-request',
      `"${traceId}" is not a trace id: a trace id is up to 32 hexadecimal digits, as in the trace view's URL.`
    );
  }
  return id.padStart(32, '0');
}

export function checkSearch(search: SpanSearch): void {
  const problems: string[] = [];
  if (!search.service.trim()) {
    problems.push('name a service');
  }
  if (!Number.isFinite(search.startMs) || !Number.isFinite(search.endMs) || search.endMs <= search.startMs) {
    problems.push(`give a window whose end is after its start (got ${search.startMs} to ${search.endMs})`);
  }
  if (!Number.isInteger(search.limit) || search.limit <= 0) {
    problems.push(`give a limit above 0 (got ${search.limit})`);
  }
  for (const [label, v] of [
    ['minimum duration', search.minDurationMs],
    ['maximum duration', search.maxDurationMs],
  ] as const) {
    if (v !== undefined && (!Number.isFinite(v) || v < 0)) {
      problems.push(`give a ${label} of 0 ms or more (got ${v})`);
    }
  }
  if (
    search.minDurationMs !== undefined &&
    search.maxDurationMs !== undefined &&
    search.minDurationMs > search.maxDurationMs
  ) {
    problems.push(
      `make the minimum duration (${search.minDurationMs} ms) no more than the maximum (${search.maxDurationMs} ms)`
    );
  }
  if (problems.length > 0) {
    throw new TraceStoreError('bad-request', `Span search: ${problems.join('; ')}.`);
  }
}

/** Whether a span answers the search (stores filter coarsely; this is the exact cut). */
export function spanMatches(span: TraceSpan, search: SpanSearch): boolean {
  return (
    span.service === search.service &&
    (search.name === undefined || span.name === search.name) &&
    (search.kind === undefined || span.kind === search.kind) &&
    (search.minDurationMs === undefined || span.durationMs >= search.minDurationMs) &&
    (search.maxDurationMs === undefined || span.durationMs <= search.maxDurationMs) &&
    span.startMs < search.endMs &&
    span.startMs + span.durationMs >= search.startMs
  );
}

/** Matching spans once each, earliest first, at most `limit`. */
export function finishSearch(spans: TraceSpan[], search: SpanSearch): TraceSpan[] {
  const seen = new Set<string>();
  const kept = spans.filter((s) => {
    const key = `${s.traceId}/${s.spanId}`;
    if (seen.has(key) || !spanMatches(s, search)) {
      return false;
    }
    seen.add(key);
    return true;
  });
  kept.sort((a, b) => a.startMs - b.startMs || a.spanId.localeCompare(b.spanId));
  return kept.slice(0, search.limit);
}

/** A span whose numbers did not parse makes the whole answer unusable: say so rather than draw NaN. */
export function checkSpans(spans: TraceSpan[], storeName: string, what: string): TraceSpan[] {
  const bad = spans.find(
    (s) =>
      !Number.isFinite(s.startMs) || !Number.isFinite(s.durationMs) || !/^[0-9a-f]{32}$/.test(s.traceId) || !s.spanId
  );
  if (bad) {
    throw new TraceStoreError(
      'bad-answer',
      `${what}: ${storeName} answered with a span this app cannot read (span "${bad.spanId}" of trace "${bad.traceId}", start ${bad.startMs}, duration ${bad.durationMs}). Check that the datasource points at ${storeName}'s HTTP API.`
    );
  }
  return spans;
}

/**
 * GET /api/traces/{id}, the trace lookup of both Tempo and Jaeger, read by `read`; a trace with no
 * spans is as unknown as a 404. `keep` says how long the store keeps traces, for the not-found sentence.
 */
export async function fetchTrace<A>(
  target: ProxyTarget,
  traceId: string,
  keep: string,
  read: (answer: A, what: string) => TraceSpan[],
  signal?: AbortSignal
): Promise<Trace> {
  const id = normalizeTraceId(traceId);
  const what = `Looking up trace ${id} in ${target.storeName}`;
  const notFound = `Trace ${id} is not in ${target.storeName} (datasource "${target.uid}"): check the trace id, and that ${keep}.`;
  const answer = await proxyGet<A>(target, `/api/traces/${id}`, {}, { what, notFound }, signal);
  const spans = checkSpans(read(answer, what), target.storeName, what);
  if (spans.length === 0) {
    throw new TraceStoreError('not-found', notFound);
  }
  return { traceId: id, spans };
}
