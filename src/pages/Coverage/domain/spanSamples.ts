import { type DataFrame, type DataQueryError, FieldType } from '@grafana/data';

import type { TraceSpan } from '../../../shared/traces/types';

/**
 * Spans the trace store holds but Parca has no samples for: a bounded sample of a service's recent
 * server spans, each looked up in Parca by its trace and span id (one query per span).
 */

/** At most this many spans are looked up: one Parca query each, so the cost is known in advance. */
export const SPAN_SAMPLE_SIZE = 20;

/**
 * Spans that ended this long before the range's end are settled: a profiler ships samples every
 * few seconds (Go pprof scrapes, parca-agent batches), so the newest spans would look sample-less.
 */
export const SETTLE_MS = 30_000;

export const spanRefId = (i: number) => `span${i}`;

/** The spans to look up: server spans, newest first, at most `limit`. */
export function pickSpans(spans: TraceSpan[], limit = SPAN_SAMPLE_SIZE): TraceSpan[] {
  return spans
    .filter((s) => s.kind === 'server')
    .sort((a, b) => b.startMs - a.startMs)
    .slice(0, limit);
}

export interface SpanSampleResult {
  /** Spans Parca answered for. */
  checked: number;
  /** Of those, the spans without any sample. */
  withoutSamples: TraceSpan[];
  /** Spans whose lookup failed, with the first error's message. */
  failed: number;
  firstError?: string;
}

const hasSamples = (frame: DataFrame) =>
  frame.fields.some((f) => f.type === FieldType.number && f.values.some((v) => Number(v) > 0));

/** Which of `spans` (looked up as spanRefId(i)) have no sample in Parca's answers. */
export function spansWithoutSamples(
  spans: TraceSpan[],
  frames: DataFrame[],
  errors: DataQueryError[] = []
): SpanSampleResult {
  const failedRefs = new Map(errors.filter((e) => e.refId).map((e) => [e.refId!, e.message ?? 'query failed']));
  const withoutSamples: TraceSpan[] = [];
  let checked = 0;
  spans.forEach((span, i) => {
    const refId = spanRefId(i);
    if (failedRefs.has(refId)) {
      return;
    }
    checked++;
    if (!frames.some((f) => f.refId === refId && hasSamples(f))) {
      withoutSamples.push(span);
    }
  });
  return { checked, withoutSamples, failed: failedRefs.size, firstError: [...failedRefs.values()][0] };
}
