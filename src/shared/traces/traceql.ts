/**
 * The TraceQL the app sends to Tempo: one spanset filter built from a SpanSearch, values escaped,
 * never pasted in. preview/internal/tempostandin understands exactly this subset.
 */
import type { SpanSearch } from './types';

/** A TraceQL string literal: quotes, backslashes and control characters escaped. */
export function traceqlString(value: string): string {
  const escaped = value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t');
  return `"${escaped}"`;
}

/** A TraceQL duration: whole milliseconds as "ms", anything finer in whole microseconds. */
export function traceqlDuration(ms: number): string {
  if (Number.isInteger(ms)) {
    return `${ms}ms`;
  }
  return `${Math.round(ms * 1000)}us`;
}

/** What the app selects with every search: the fields its span lists show. */
export const SEARCH_SELECT = ['status', 'kind', 'span.http.route', 'span.http.response.status_code'] as const;

export function buildSpanSearchTraceQL(search: SpanSearch): string {
  const conditions = [`resource.service.name = ${traceqlString(search.service)}`];
  if (search.kind) {
    conditions.push(`kind = ${search.kind}`);
  }
  if (search.name) {
    conditions.push(`name = ${traceqlString(search.name)}`);
  }
  if (search.minDurationMs !== undefined) {
    conditions.push(`duration >= ${traceqlDuration(search.minDurationMs)}`);
  }
  if (search.maxDurationMs !== undefined) {
    conditions.push(`duration <= ${traceqlDuration(search.maxDurationMs)}`);
  }
  return `{ ${conditions.join(' && ')} } | select(${SEARCH_SELECT.join(', ')})`;
}
