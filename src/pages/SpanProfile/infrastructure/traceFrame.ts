/**
 * Reads the traces runtime datasource's answer (one frame, one row per span, a field per TraceSpan
 * key) back into spans. The contract (src/shared/traces/types.ts) names this reader `spansFromFrame`;
 * until the trace-store clients land with theirs, the span page reads the frame here, tolerating
 * attributes sent as objects or as JSON text.
 *
 * TODO(traces): replace with the shared spansFromFrame once src/shared/traces/ has it.
 */
import type { DataFrame } from '@grafana/data';

import type { AttributeValue, SpanKind, SpanStatus, TraceSpan } from '../../../shared/traces/types';

const KINDS: SpanKind[] = ['server', 'client', 'internal', 'producer', 'consumer', 'unspecified'];
const STATUSES: SpanStatus[] = ['ok', 'error', 'unset'];

export function spansFromFrame(frame: DataFrame | undefined): TraceSpan[] {
  if (!frame) {
    return [];
  }
  const column = (name: keyof TraceSpan) => frame.fields.find((f) => f.name === name)?.values;
  const [traceId, spanId, parent, service, name, kind, status, start, duration, attrs, resAttrs] = (
    [
      'traceId',
      'spanId',
      'parentSpanId',
      'service',
      'name',
      'kind',
      'status',
      'startMs',
      'durationMs',
      'attributes',
      'resourceAttributes',
    ] as const
  ).map(column);
  const spans: TraceSpan[] = [];
  for (let i = 0; i < frame.length; i++) {
    const id = text(spanId?.[i]);
    const startMs = finite(start?.[i]);
    const durationMs = finite(duration?.[i]);
    if (!id || startMs === undefined || durationMs === undefined) {
      continue;
    }
    const kindText = text(kind?.[i]) as SpanKind;
    const statusText = text(status?.[i]) as SpanStatus;
    spans.push({
      traceId: text(traceId?.[i]),
      spanId: id,
      parentSpanId: text(parent?.[i]) || undefined,
      service: text(service?.[i]),
      name: text(name?.[i]),
      kind: KINDS.includes(kindText) ? kindText : 'unspecified',
      status: STATUSES.includes(statusText) ? statusText : 'unset',
      startMs,
      durationMs,
      attributes: attributes(attrs?.[i]),
      resourceAttributes: attributes(resAttrs?.[i]),
    });
  }
  return spans;
}

/** A number, or undefined for null, empty and non-numeric cells (Number(null) would be 0). */
function finite(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

function attributes(v: unknown): Record<string, AttributeValue> {
  let value = v;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return {};
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {};
  }
  const out: Record<string, AttributeValue> = {};
  for (const [k, a] of Object.entries(value)) {
    if (typeof a === 'string' || typeof a === 'number' || typeof a === 'boolean') {
      out[k] = a;
    }
  }
  return out;
}
