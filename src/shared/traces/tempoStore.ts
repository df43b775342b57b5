/**
 * TraceStore over Tempo's HTTP API, through Grafana's datasource proxy: GET /api/traces/{id}
 * (OTLP-JSON batches) and GET /api/search with TraceQL (start and end in Unix seconds).
 */
import {
  attributesOf,
  idToHex,
  nanosToMs,
  type OtlpKeyValue,
  type OtlpResourceSpans,
  spanKindNamed,
  spansFromOtlp,
  spanStatusNamed,
} from './otlpJson';
import { type ProxyTarget, proxyGet } from './proxyFetch';
import { checkSearch, checkSpans, fetchTrace, finishSearch } from './storeCommon';
import { buildSpanSearchTraceQL } from './traceql';
import { type SpanSearch, type Trace, type TraceSpan, type TraceStore, TraceStoreError } from './types';

interface TempoTraceAnswer {
  batches?: OtlpResourceSpans[];
  /** /api/v2/traces answers { trace: { resourceSpans } }. */
  trace?: { resourceSpans?: OtlpResourceSpans[] };
}

interface TempoSearchSpan {
  spanID?: string;
  name?: string;
  startTimeUnixNano?: string;
  durationNanos?: string;
  attributes?: OtlpKeyValue[];
}

interface TempoSpanSet {
  spans?: TempoSearchSpan[];
  matched?: number;
}

interface TempoSearchAnswer {
  traces?: Array<{ traceID?: string; spanSet?: TempoSpanSet; spanSets?: TempoSpanSet[] }>;
}

/** Attributes Tempo returns with a matched span that are fields of TraceSpan, not attributes. */
const INTRINSIC_KEYS = new Set(['service.name', 'kind', 'status']);

export class TempoStore implements TraceStore {
  readonly kind = 'tempo' as const;

  constructor(private readonly target: ProxyTarget) {}

  getTrace(traceId: string, signal?: AbortSignal): Promise<Trace> {
    return fetchTrace<TempoTraceAnswer>(
      this.target,
      traceId,
      "the trace is younger than Tempo's retention",
      (answer, what) => {
        const batches = answer?.batches ?? answer?.trace?.resourceSpans;
        if (!Array.isArray(batches)) {
          throw new TraceStoreError(
            'bad-answer',
            `${what}: Tempo's answer has no "batches". Check that the datasource points at Tempo's HTTP API.`
          );
        }
        return spansFromOtlp(batches);
      },
      signal
    );
  }

  async searchSpans(search: SpanSearch, signal?: AbortSignal): Promise<TraceSpan[]> {
    checkSearch(search);
    const what = `Searching Tempo for spans of "${search.service}"`;
    const start = Math.floor(search.startMs / 1000);
    // Tempo wants whole seconds and end > start: round the window outwards.
    const end = Math.max(Math.ceil(search.endMs / 1000), start + 1);
    const answer = await proxyGet<TempoSearchAnswer>(
      this.target,
      '/api/search',
      { q: buildSpanSearchTraceQL(search), start, end, limit: search.limit, spss: search.limit },
      { what },
      signal
    );
    if (!answer || typeof answer !== 'object' || (answer.traces !== undefined && !Array.isArray(answer.traces))) {
      throw new TraceStoreError(
        'bad-answer',
        `${what}: Tempo's answer is not a search result. Check that the datasource points at Tempo's HTTP API.`
      );
    }
    const spans: TraceSpan[] = [];
    for (const trace of answer.traces ?? []) {
      const traceId = idToHex(trace.traceID, 16);
      const sets = trace.spanSets ?? (trace.spanSet ? [trace.spanSet] : []);
      for (const set of sets) {
        for (const span of set.spans ?? []) {
          spans.push(searchSpan(traceId, span, search));
        }
      }
    }
    return finishSearch(checkSpans(spans, 'Tempo', what), search);
  }
}

function searchSpan(traceId: string, span: TempoSearchSpan, search: SpanSearch): TraceSpan {
  const returned = attributesOf(span.attributes);
  const attributes = Object.fromEntries(Object.entries(returned).filter(([k]) => !INTRINSIC_KEYS.has(k)));
  const kind = String(returned.kind ?? search.kind ?? 'unspecified');
  const status = String(returned.status ?? 'unset');
  const service = String(returned['service.name'] ?? search.service);
  return {
    traceId,
    spanId: idToHex(span.spanID, 8),
    service,
    name: span.name ?? '',
    kind: spanKindNamed(kind),
    status: spanStatusNamed(status),
    startMs: nanosToMs(span.startTimeUnixNano),
    durationMs: nanosToMs(span.durationNanos ?? '0'),
    attributes,
    resourceAttributes: { 'service.name': service },
  };
}
