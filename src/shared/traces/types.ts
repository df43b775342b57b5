/**
 * The app's view of a trace store (Tempo or Jaeger), whichever the user picked in the app's settings.
 *
 * Contract between the trace-store clients (src/shared/traces/: one implementation per API, reached
 * through Grafana's datasource proxy) and the pages. Pages never call a store directly: they query the
 * `spanflame-traces` runtime datasource (Scenes' RuntimeDataSource) with a `TraceQuery` through a
 * SceneQueryRunner, so loading, cancellation and refresh come from Scenes, and read the answer back
 * with `spansFromFrame`.
 */
import type { DataQuery } from '@grafana/schema';

export type SpanKind = 'server' | 'client' | 'internal' | 'producer' | 'consumer' | 'unspecified';
export type SpanStatus = 'ok' | 'error' | 'unset';
export type AttributeValue = string | number | boolean;

export interface TraceSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  /** The resource's `service.name`. */
  service: string;
  /** Span name, e.g. "GET /checkout" or "/shop.Payments/Charge". */
  name: string;
  kind: SpanKind;
  status: SpanStatus;
  /** Start, epoch milliseconds with the store's precision kept as a fraction (µs stores give .001). */
  startMs: number;
  durationMs: number;
  attributes: Record<string, AttributeValue>;
  resourceAttributes: Record<string, AttributeValue>;
}

export interface Trace {
  traceId: string;
  spans: TraceSpan[];
}

/** Spans of one service in a window, for slow-span lists and overlap counts. */
export interface SpanSearch {
  service: string;
  /** Span name (Jaeger's operation), e.g. "GET /checkout". */
  name?: string;
  /** Only server spans (the default for every caller today). */
  kind?: SpanKind;
  minDurationMs?: number;
  maxDurationMs?: number;
  /** Window, epoch ms. */
  startMs: number;
  endMs: number;
  /** Upper bound on spans returned; stores cap it further. */
  limit: number;
}

/** One store API. Implementations: Tempo (HTTP API, TraceQL) and Jaeger (HTTP query API). */
export interface TraceStore {
  readonly kind: 'tempo' | 'jaeger';
  /** Throws TraceStoreError: 'not-found' for an unknown trace id. */
  getTrace(traceId: string, signal?: AbortSignal): Promise<Trace>;
  searchSpans(search: SpanSearch, signal?: AbortSignal): Promise<TraceSpan[]>;
}

export type TraceStoreErrorKind = 'not-found' | 'unreachable' | 'bad-answer' | 'bad-request' | 'not-configured';

/** A failure with a sentence that says what to check, in the style of pkg/parcaapi/errors.go. */
export class TraceStoreError extends Error {
  constructor(
    readonly kind: TraceStoreErrorKind,
    message: string
  ) {
    super(message);
    this.name = 'TraceStoreError';
  }
}

/** uid under which the app registers its trace runtime datasource with Scenes. */
export const TRACES_RUNTIME_DS_UID = 'spanflame-traces';
export const TRACES_RUNTIME_DS_TYPE = 'spanflame-traces';

/**
 * A query of the traces runtime datasource. Every answer is one frame of spans (see spansFromFrame).
 * A search's window defaults to the query runner's time range; its span kind is `spanKind`, because
 * `kind` names the query's own kind.
 */
export type TraceQuery = DataQuery &
  (
    | { kind: 'trace'; traceId: string }
    | ({ kind: 'search' } & Omit<SpanSearch, 'startMs' | 'endMs' | 'kind'> & {
          spanKind?: SpanKind;
          startMs?: number;
          endMs?: number;
        })
  );
