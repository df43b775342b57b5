import type { Trace, TraceSpan } from '../../../shared/traces/types';

export const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
export const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);

/** A span with defaults; times in ms from T0. */
export function span(p: Partial<TraceSpan> & { spanId: string; at?: number; ms?: number }): TraceSpan {
  const { at = 0, ms = 100, ...rest } = p;
  return {
    traceId: TRACE_ID,
    service: 'checkout',
    name: 'GET /checkout',
    kind: 'server',
    status: 'ok',
    startMs: T0 + at,
    durationMs: ms,
    attributes: {},
    resourceAttributes: {},
    ...rest,
  };
}

/** frontend → checkout (server) → payments (client → server); a second root-less orphan is absent. */
export function demoTrace(): Trace {
  return {
    traceId: TRACE_ID,
    spans: [
      span({ spanId: 'aaaaaaaaaaaaaaa1', service: 'frontend', name: 'GET /', at: 0, ms: 900 }),
      span({
        spanId: 'bbbbbbbbbbbbbbb2',
        parentSpanId: 'aaaaaaaaaaaaaaa1',
        at: 10.25,
        ms: 800.5,
        attributes: { 'http.route': '/checkout' },
      }),
      span({
        spanId: 'ccccccccccccccc3',
        parentSpanId: 'bbbbbbbbbbbbbbb2',
        kind: 'client',
        name: 'POST /charge',
        at: 500,
        ms: 200,
      }),
      span({
        spanId: 'ddddddddddddddd4',
        parentSpanId: 'bbbbbbbbbbbbbbb2',
        kind: 'internal',
        name: 'price',
        at: 20,
        ms: 50,
      }),
      span({
        spanId: 'eeeeeeeeeeeeeee5',
        parentSpanId: 'ccccccccccccccc3',
        service: 'payments',
        name: 'POST /charge',
        at: 510,
        ms: 180,
      }),
    ],
  };
}
