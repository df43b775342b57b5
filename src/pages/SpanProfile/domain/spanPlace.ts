/**
 * Where a span sits: the span itself, its parent and children, and the trace around it, from the
 * trace store's answer merged with what the link already said.
 */
import type { SpanPageParams } from '../../../shared/appUrls';
import type { SpanKind, SpanStatus, Trace, TraceSpan } from '../../../shared/traces/types';
import { normalizeTraceId, spanWindow, type TimeWindow } from './spanWindow';

/** What the page knows about the span: from the trace store when it answered, else from the link. */
export interface SpanFacts {
  traceId: string;
  spanId?: string;
  service?: string;
  name?: string;
  kind?: SpanKind;
  status?: SpanStatus;
  startMs?: number;
  endMs?: number;
  /** The span's route (`http.route`), or its name when it has none. */
  route?: string;
}

export interface SpanPlace {
  span: TraceSpan;
  parent?: TraceSpan;
  /** Direct children, earliest first. */
  children: TraceSpan[];
  /** The whole trace's window. */
  traceWindow: TimeWindow;
  /** Services of the trace, in order of first appearance. */
  services: string[];
}

/** What the link says, before the trace store is asked. */
export type SpanLink = Pick<
  SpanPageParams,
  'traceId' | 'spanId' | 'spanStart' | 'spanEnd' | 'spanDuration' | 'service'
>;

export function linkFacts(link: SpanLink): SpanFacts {
  const endMs =
    link.spanEnd ??
    (link.spanStart !== undefined && link.spanDuration !== undefined ? link.spanStart + link.spanDuration : undefined);
  return {
    traceId: link.traceId,
    spanId: link.spanId,
    service: link.service,
    startMs: link.spanStart,
    endMs: endMs !== undefined && link.spanStart !== undefined && endMs >= link.spanStart ? endMs : undefined,
  };
}

export function routeOf(span: TraceSpan): string {
  const route = span.attributes['http.route'];
  return typeof route === 'string' && route !== '' ? route : span.name;
}

export type PlaceResult = { place: SpanPlace } | { problem: 'empty-trace' | 'span-not-in-trace' };

/**
 * Finds the span in its trace. Without a span id the page shows the trace's root span (no parent in
 * the trace; the earliest one when a trace has several roots because spans are missing).
 */
export function locateSpan(trace: Trace, spanId: string | undefined): PlaceResult {
  if (trace.spans.length === 0) {
    return { problem: 'empty-trace' };
  }
  const byId = new Map(trace.spans.map((s) => [s.spanId, s]));
  const span = spanId ? byId.get(spanId) : rootSpan(trace.spans, byId);
  if (!span) {
    return { problem: 'span-not-in-trace' };
  }
  const children = trace.spans.filter((s) => s.parentSpanId === span.spanId).sort((a, b) => a.startMs - b.startMs);
  const startMs = Math.min(...trace.spans.map((s) => s.startMs));
  const endMs = Math.max(...trace.spans.map((s) => s.startMs + s.durationMs));
  const services: string[] = [];
  for (const s of [...trace.spans].sort((a, b) => a.startMs - b.startMs)) {
    if (!services.includes(s.service)) {
      services.push(s.service);
    }
  }
  return {
    place: {
      span,
      parent: span.parentSpanId ? byId.get(span.parentSpanId) : undefined,
      children,
      traceWindow: spanWindow(startMs, endMs),
      services,
    },
  };
}

function rootSpan(spans: TraceSpan[], byId: Map<string, TraceSpan>): TraceSpan | undefined {
  const roots = spans.filter((s) => !s.parentSpanId || !byId.has(s.parentSpanId));
  return [...(roots.length > 0 ? roots : spans)].sort((a, b) => a.startMs - b.startMs)[0];
}

/** The trace store's facts about the span, filling in what the link lacked (the store is the authority). */
export function placeFacts(link: SpanFacts, place: SpanPlace): SpanFacts {
  const { span } = place;
  return {
    traceId: link.traceId,
    spanId: span.spanId,
    service: span.service,
    name: span.name,
    kind: span.kind,
    status: span.status,
    startMs: span.startMs,
    endMs: span.startMs + span.durationMs,
    route: routeOf(span),
  };
}

/** The span's window when its start and end are known. */
export function factsWindow(facts: SpanFacts): TimeWindow | undefined {
  return facts.startMs !== undefined && facts.endMs !== undefined ? spanWindow(facts.startMs, facts.endMs) : undefined;
}

/**
 * Other requests of the same service whose server spans overlap the window: their CPU is mixed into
 * a window profile. Counted once per span id; the span itself does not count.
 */
export function overlappingRequests(spans: TraceSpan[], facts: SpanFacts, window: TimeWindow): number {
  const seen = new Set<string>();
  for (const s of spans) {
    const end = s.startMs + s.durationMs;
    if (
      s.service === facts.service &&
      s.kind === 'server' &&
      s.spanId !== facts.spanId &&
      s.startMs < window.toMs &&
      end > window.fromMs
    ) {
      seen.add(`${s.traceId}/${s.spanId}`);
    }
  }
  return seen.size;
}

/** Trace ids of the route's requests (server spans of the same service and name), at most `limit`. */
export function routeTraceIds(spans: TraceSpan[], facts: SpanFacts, limit: number): string[] {
  const ids = new Set<string>();
  for (const s of spans) {
    const id = normalizeTraceId(s.traceId);
    if (id && s.kind === 'server' && s.service === facts.service && s.name === facts.name && ids.size < limit) {
      ids.add(id);
    }
  }
  return [...ids];
}
