/**
 * TraceStore over Jaeger's HTTP query API (the one Jaeger's UI and Grafana's Jaeger datasource
 * use, served by Jaeger v1 and v2), through Grafana's datasource proxy: GET /api/traces/{id} and
 * GET /api/traces?service=&operation=&start=&end=&minDuration=&maxDuration=&limit= (microseconds).
 */
import { spanKindNamed } from './otlpJson';
import { type ProxyTarget, proxyGet } from './proxyFetch';
import { checkSearch, checkSpans, fetchTrace, finishSearch } from './storeCommon';
import {
  type AttributeValue,
  type SpanSearch,
  type SpanStatus,
  type Trace,
  type TraceSpan,
  type TraceStore,
  TraceStoreError,
} from './types';

interface JaegerTag {
  key: string;
  type?: string;
  value: AttributeValue;
}

interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references?: Array<{ refType: string; traceID: string; spanID: string }>;
  /** Epoch microseconds. */
  startTime: number;
  /** Microseconds. */
  duration: number;
  tags?: JaegerTag[];
  processID: string;
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string; tags?: JaegerTag[] }>;
}

interface JaegerAnswer {
  data?: JaegerTrace[] | null;
  errors?: Array<{ code?: number; msg?: string }> | null;
}

/**
 * Tags in which Jaeger carries what OTLP keeps in span fields (kind, status) or its own
 * bookkeeping: they become TraceSpan fields or are dropped, so both stores give the same attributes.
 */
const FIELD_TAGS = new Set([
  'span.kind',
  'otel.status_code',
  'otel.status_description',
  'error',
  'otel.scope.name',
  'otel.scope.version',
  'otel.library.name',
  'otel.library.version',
  'internal.span.format',
  'w3c.tracestate',
]);

function tagMap(tags: JaegerTag[] | undefined): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const t of tags ?? []) {
    out[t.key] = t.type === 'int64' || t.type === 'float64' ? Number(t.value) : t.value;
  }
  return out;
}

function spanStatus(tags: Record<string, AttributeValue>): SpanStatus {
  const code = String(tags['otel.status_code'] ?? '').toUpperCase();
  if (code === 'ERROR' || tags.error === true || tags.error === 'true') {
    return 'error';
  }
  return code === 'OK' ? 'ok' : 'unset';
}

/** Every span of Jaeger traces as TraceSpans. */
export function spansFromJaeger(traces: JaegerTrace[]): TraceSpan[] {
  const out: TraceSpan[] = [];
  for (const trace of traces) {
    for (const span of trace.spans ?? []) {
      const process = trace.processes?.[span.processID];
      const service = process?.serviceName ?? '';
      const tags = tagMap(span.tags);
      const kind = String(tags['span.kind'] ?? '');
      const parent = span.references?.find((r) => r.refType === 'CHILD_OF' && r.traceID === span.traceID);
      out.push({
        traceId: span.traceID.toLowerCase().padStart(32, '0'),
        spanId: span.spanID.toLowerCase().padStart(16, '0'),
        ...(parent ? { parentSpanId: parent.spanID.toLowerCase().padStart(16, '0') } : {}),
        service,
        name: span.operationName,
        kind: spanKindNamed(kind),
        status: spanStatus(tags),
        startMs: span.startTime / 1000,
        durationMs: span.duration / 1000,
        attributes: Object.fromEntries(Object.entries(tags).filter(([k]) => !FIELD_TAGS.has(k))),
        resourceAttributes: { ...tagMap(process?.tags), 'service.name': service },
      });
    }
  }
  return out;
}

export class JaegerStore implements TraceStore {
  readonly kind = 'jaeger' as const;

  constructor(private readonly target: ProxyTarget) {}

  getTrace(traceId: string, signal?: AbortSignal): Promise<Trace> {
    return fetchTrace<JaegerAnswer>(
      this.target,
      traceId,
      'Jaeger still holds it (in-memory storage forgets on restart)',
      (answer, what) => spansFromJaeger(this.traces(answer, what)),
      signal
    );
  }

  async searchSpans(search: SpanSearch, signal?: AbortSignal): Promise<TraceSpan[]> {
    checkSearch(search);
    const what = `Searching Jaeger for spans of "${search.service}"`;
    const params: Record<string, string | number> = {
      service: search.service,
      start: Math.floor(search.startMs * 1000),
      end: Math.ceil(search.endMs * 1000),
      limit: search.limit,
    };
    if (search.name) {
      params.operation = search.name;
    }
    if (search.minDurationMs !== undefined) {
      params.minDuration = `${search.minDurationMs}ms`;
    }
    if (search.maxDurationMs !== undefined) {
      params.maxDuration = `${search.maxDurationMs}ms`;
    }
    const answer = await proxyGet<JaegerAnswer>(this.target, '/api/traces', params, { what }, signal);
    // Jaeger finds whole traces; the exact cut (service, kind, duration, window) is made here.
    return finishSearch(checkSpans(spansFromJaeger(this.traces(answer, what)), 'Jaeger', what), search);
  }

  private traces(answer: JaegerAnswer, what: string): JaegerTrace[] {
    if (!answer || typeof answer !== 'object' || (answer.data != null && !Array.isArray(answer.data))) {
      throw new TraceStoreError(
        'bad-answer',
        `${what}: Jaeger's answer has no "data" list. Check that the datasource points at Jaeger's query HTTP API (port 16686 by default).`
      );
    }
    const errors = (answer.errors ?? []).filter((e) => e.msg);
    if (errors.length > 0 && (answer.data ?? []).length === 0) {
      throw new TraceStoreError(
        'bad-answer',
        `${what}: Jaeger answered with errors: ${errors.map((e) => e.msg).join('; ')}.`
      );
    }
    return answer.data ?? [];
  }
}
