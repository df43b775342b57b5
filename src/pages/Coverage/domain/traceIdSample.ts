import { type DataFrame, type DataQueryError, FieldType } from '@grafana/data';

import { traceStoreErrorKind } from '../../../shared/traces/tracesRuntimeDataSource';
import { SETTLE_MS } from './spanSamples';

/**
 * Trace ids Parca holds whose traces the trace store never received (sampling or export gaps): a
 * bounded sample of Parca's trace ids, the ones carrying the most CPU in a short recent window
 * (the backend's `traceIds` query), each looked up in the trace store by id.
 */

/** At most this many trace ids are looked up: one trace-store call each, so the cost is known in advance. */
export const TRACE_ID_SAMPLE_SIZE = 20;

/**
 * The window Parca's trace ids are drawn from: the last five minutes of the range, ending SETTLE_MS
 * before it (a trace's spans reach the store a few seconds after they end, in the exporter's batches).
 * The backend refuses windows over 15 minutes: splitting by trace id costs as much as there are requests.
 */
export const TRACE_ID_WINDOW_MS = 5 * 60_000;

export function traceIdWindow(fromMs: number, toMs: number): { fromMs: number; toMs: number } {
  const end = Math.max(fromMs + 1, toMs - SETTLE_MS);
  return { fromMs: Math.max(fromMs, end - TRACE_ID_WINDOW_MS), toMs: end };
}

export const traceRefId = (i: number) => `trace${i}`;

/** One of Parca's trace ids and the CPU its samples hold. */
export interface SampledTraceId {
  traceId: string;
  value: number;
}

export interface TraceIdSample {
  traceIds: SampledTraceId[];
  /** How many trace ids Parca held in the window (the sample is the top `traceIds.length`). */
  inWindow: number;
}

/** The backend's `traceIds` frame: trace ids by value, and how many the window held (frame meta). */
export function readTraceIdSample(frames: DataFrame[]): TraceIdSample {
  const frame = frames.find((f) => f.fields.some((field) => field.name === 'traceId'));
  const ids = frame?.fields.find((f) => f.name === 'traceId');
  const values = frame?.fields.find((f) => f.name === 'value' && f.type === FieldType.number);
  if (!frame || !ids) {
    return { traceIds: [], inWindow: 0 };
  }
  const traceIds = ids.values
    .map((id, i) => ({ traceId: String(id), value: Number(values?.values[i] ?? 0) }))
    .filter((t) => /^[0-9a-f]{32}$/.test(t.traceId));
  const custom: unknown = frame.meta?.custom?.traceIdsInRange;
  return { traceIds, inWindow: typeof custom === 'number' ? custom : traceIds.length };
}

export interface TracesNotStoredResult {
  /** Trace ids the store answered for (found or not). */
  checked: number;
  /** Of those, the ones the store does not hold. */
  missing: SampledTraceId[];
  /** Of those, the ones it holds. */
  found: SampledTraceId[];
  /** Lookups that failed for another reason than "not found", with the first one's message. */
  failed: number;
  firstError?: string;
  inWindow: number;
}

/** Which of the sampled trace ids (looked up as traceRefId(i)) the trace store does not hold. */
export function tracesNotStored(
  sample: TraceIdSample,
  frames: DataFrame[],
  errors: DataQueryError[] = []
): TracesNotStoredResult {
  const errorOf = new Map(errors.filter((e) => e.refId).map((e) => [e.refId!, e]));
  const result: TracesNotStoredResult = { checked: 0, missing: [], found: [], failed: 0, inWindow: sample.inWindow };
  sample.traceIds.forEach((t, i) => {
    const refId = traceRefId(i);
    const error = errorOf.get(refId);
    if (error && traceStoreErrorKind(error) !== 'not-found') {
      result.failed++;
      result.firstError ??= error.message ?? 'lookup failed';
      return;
    }
    result.checked++;
    const held = !error && frames.some((f) => f.refId === refId && f.length > 0);
    (held ? result.found : result.missing).push(t);
  });
  return result;
}
