/**
 * Reading OTLP-JSON spans (Tempo's /api/traces answer, whose ids are base64 as the protobuf JSON
 * mapping writes them; other writers use hex) into TraceSpans.
 */
import type { AttributeValue, SpanKind, SpanStatus, TraceSpan } from './types';

export interface OtlpAnyValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
  bytesValue?: string;
}

export interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}

export interface OtlpSpan {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name?: string;
  kind?: string | number;
  startTimeUnixNano?: string | number;
  endTimeUnixNano?: string | number;
  attributes?: OtlpKeyValue[];
  status?: { code?: string | number; message?: string };
}

export interface OtlpResourceSpans {
  resource?: { attributes?: OtlpKeyValue[] };
  scopeSpans?: Array<{ spans?: OtlpSpan[] }>;
  /** Tempo before 2.0 (OTLP before 0.19). */
  instrumentationLibrarySpans?: Array<{ spans?: OtlpSpan[] }>;
}

/** Span kinds and statuses in the order of their OTLP enum numbers. */
const KINDS: SpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const STATUSES: SpanStatus[] = ['unset', 'ok', 'error'];

/** A kind as a store names it in lower case ("server"), anything else unspecified. */
export function spanKindNamed(name: string): SpanKind {
  return KINDS.find((k) => k === name) ?? 'unspecified';
}

/** A status as a store names it in lower case ("error"), anything else unset. */
export function spanStatusNamed(name: string): SpanStatus {
  return STATUSES.find((s) => s === name) ?? 'unset';
}

function enumIndex(value: string | number | undefined, prefix: string, names: readonly string[]): number {
  if (typeof value === 'number') {
    return value >= 0 && value < names.length ? value : 0;
  }
  if (!value) {
    return 0;
  }
  if (/^\d+$/.test(value)) {
    return enumIndex(Number(value), prefix, names);
  }
  const i = names.indexOf(value.replace(prefix, '').toLowerCase());
  return i < 0 ? 0 : i;
}

export function otlpKind(value: string | number | undefined): SpanKind {
  return KINDS[enumIndex(value, 'SPAN_KIND_', KINDS)];
}

export function otlpStatus(value: string | number | undefined): SpanStatus {
  return STATUSES[enumIndex(value, 'STATUS_CODE_', STATUSES)];
}

/** An id as lower-case hex of the given byte length: hex stays, base64 is decoded, short hex is padded. */
export function idToHex(id: string | undefined, bytes: 8 | 16): string {
  if (!id) {
    return '';
  }
  const digits = bytes * 2;
  // Padded base64 of 8 or 16 bytes always ends in "=", so all-hex text is hex (Tempo's search
  // writes trace ids without their leading zeros).
  if (/^[0-9a-fA-F]+$/.test(id) && id.length <= digits) {
    return id.toLowerCase().padStart(digits, '0');
  }
  try {
    const raw = atob(id);
    let hex = '';
    for (let i = 0; i < raw.length; i++) {
      hex += raw.charCodeAt(i).toString(16).padStart(2, '0');
    }
    return hex.padStart(digits, '0');
  } catch {
    return id.toLowerCase();
  }
}

// BigInt(...) rather than literals: the build targets ES2018.
const THOUSAND = BigInt(1000);
const ZERO = BigInt(0);

/** Epoch nanoseconds (a decimal string, as JSON carries 64-bit numbers) to epoch ms with µs kept. */
export function nanosToMs(nanos: string | number | undefined): number {
  if (nanos === undefined || nanos === '') {
    return 0;
  }
  const text = String(nanos);
  if (!/^\d+$/.test(text)) {
    return Number.NaN;
  }
  // Whole microseconds first, so the float keeps µs precision for current epoch times.
  return Number(BigInt(text) / THOUSAND) / 1000;
}

export function nanosBetweenMs(start: string | number | undefined, end: string | number | undefined): number {
  if (start === undefined || end === undefined) {
    return 0;
  }
  if (!/^\d+$/.test(String(start)) || !/^\d+$/.test(String(end))) {
    return Number.NaN;
  }
  const d = BigInt(String(end)) - BigInt(String(start));
  return d > ZERO ? Number(d / THOUSAND) / 1000 : 0;
}

export function anyValue(v: OtlpAnyValue | undefined): AttributeValue | undefined {
  if (!v) {
    return undefined;
  }
  if (v.stringValue !== undefined) {
    return v.stringValue;
  }
  if (v.intValue !== undefined) {
    return Number(v.intValue);
  }
  if (v.doubleValue !== undefined) {
    return v.doubleValue;
  }
  if (v.boolValue !== undefined) {
    return v.boolValue;
  }
  if (v.arrayValue !== undefined) {
    return JSON.stringify((v.arrayValue.values ?? []).map(anyValue));
  }
  if (v.kvlistValue !== undefined) {
    return JSON.stringify(attributesOf(v.kvlistValue.values));
  }
  return v.bytesValue;
}

export function attributesOf(list: OtlpKeyValue[] | undefined): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const kv of list ?? []) {
    const v = anyValue(kv.value);
    if (v !== undefined) {
      out[kv.key] = v;
    }
  }
  return out;
}

/** Every span of OTLP resource spans, each with its resource's service.name and attributes. */
export function spansFromOtlp(batches: OtlpResourceSpans[]): TraceSpan[] {
  const out: TraceSpan[] = [];
  for (const batch of batches) {
    const resourceAttributes = attributesOf(batch.resource?.attributes);
    const service = String(resourceAttributes['service.name'] ?? '');
    for (const scope of [...(batch.scopeSpans ?? []), ...(batch.instrumentationLibrarySpans ?? [])]) {
      for (const span of scope.spans ?? []) {
        const parent = idToHex(span.parentSpanId, 8);
        out.push({
          traceId: idToHex(span.traceId, 16),
          spanId: idToHex(span.spanId, 8),
          ...(parent ? { parentSpanId: parent } : {}),
          service,
          name: span.name ?? '',
          kind: otlpKind(span.kind),
          status: otlpStatus(span.status?.code),
          startMs: nanosToMs(span.startTimeUnixNano),
          durationMs: nanosBetweenMs(span.startTimeUnixNano, span.endTimeUnixNano),
          attributes: attributesOf(span.attributes),
          resourceAttributes,
        });
      }
    }
  }
  return out;
}
