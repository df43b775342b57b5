/**
 * The one frame shape of spans: what the traces runtime datasource answers and pages read back.
 * One row per span; attributes as JSON objects in "other" fields.
 */
import { type DataFrame, FieldType, type QueryResultMetaNotice, toDataFrame } from '@grafana/data';

import type { AttributeValue, SpanKind, SpanStatus, TraceSpan } from './types';

export const SPANS_FRAME_NAME = 'spans';

export function spansToFrame(spans: TraceSpan[], refId?: string, notices?: QueryResultMetaNotice[]): DataFrame {
  const column = <T>(get: (s: TraceSpan) => T) => spans.map(get);
  return toDataFrame({
    name: SPANS_FRAME_NAME,
    refId,
    meta: notices && notices.length > 0 ? { notices } : undefined,
    fields: [
      { name: 'traceId', type: FieldType.string, values: column((s) => s.traceId) },
      { name: 'spanId', type: FieldType.string, values: column((s) => s.spanId) },
      { name: 'parentSpanId', type: FieldType.string, values: column((s) => s.parentSpanId ?? '') },
      { name: 'service', type: FieldType.string, values: column((s) => s.service) },
      { name: 'name', type: FieldType.string, values: column((s) => s.name) },
      { name: 'kind', type: FieldType.string, values: column((s) => s.kind) },
      { name: 'status', type: FieldType.string, values: column((s) => s.status) },
      { name: 'startMs', type: FieldType.time, values: column((s) => s.startMs) },
      { name: 'durationMs', type: FieldType.number, values: column((s) => s.durationMs), config: { unit: 'ms' } },
      { name: 'attributes', type: FieldType.other, values: column((s) => s.attributes) },
      { name: 'resourceAttributes', type: FieldType.other, values: column((s) => s.resourceAttributes) },
    ],
  });
}

/** Spans back from a frame of spansToFrame; a frame of another shape gives none. */
export function spansFromFrame(frame: DataFrame | undefined): TraceSpan[] {
  if (!frame) {
    return [];
  }
  const values = (name: string): unknown[] | undefined => frame.fields.find((f) => f.name === name)?.values;
  const traceId = values('traceId');
  const spanId = values('spanId');
  if (!traceId || !spanId) {
    return [];
  }
  const col = (name: string) => values(name) ?? [];
  const parent = col('parentSpanId');
  const service = col('service');
  const name = col('name');
  const kind = col('kind');
  const status = col('status');
  const start = col('startMs');
  const duration = col('durationMs');
  const attributes = col('attributes');
  const resourceAttributes = col('resourceAttributes');
  const spans: TraceSpan[] = [];
  for (let i = 0; i < frame.length; i++) {
    const p = String(parent[i] ?? '');
    spans.push({
      traceId: String(traceId[i]),
      spanId: String(spanId[i]),
      ...(p ? { parentSpanId: p } : {}),
      service: String(service[i] ?? ''),
      name: String(name[i] ?? ''),
      kind: String(kind[i] ?? 'unspecified') as SpanKind,
      status: String(status[i] ?? 'unset') as SpanStatus,
      startMs: Number(start[i]),
      durationMs: Number(duration[i]),
      attributes: (attributes[i] as Record<string, AttributeValue> | undefined) ?? {},
      resourceAttributes: (resourceAttributes[i] as Record<string, AttributeValue> | undefined) ?? {},
    });
  }
  return spans;
}
