import type { TraceSpan } from '../../../shared/traces/types';

/** A server span of frontend's GET /search, `i` making its ids unique. */
export function searchSpan(i: number, durationMs: number, rest: Partial<TraceSpan> = {}): TraceSpan {
  const hex = i.toString(16).padStart(8, '0');
  return {
    traceId: `${hex}${'a'.repeat(24)}`,
    spanId: `${hex}${'b'.repeat(8)}`,
    service: 'frontend',
    name: 'GET /search',
    kind: 'server',
    status: 'ok',
    startMs: Date.UTC(2026, 10, 28, 12, 0, 0) + i * 100,
    durationMs,
    attributes: { 'http.route': '/search' },
    resourceAttributes: {},
    ...rest,
  };
}
