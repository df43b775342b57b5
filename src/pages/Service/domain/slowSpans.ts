/**
 * The Slow spans tab's rules: which spans a duration band keeps, what a row calls its route, and
 * how a band travels in the URL (`minMs`, `maxMs`: the URL is the tab's only state).
 */
import type { TraceSpan } from '../../../shared/traces/types';

/** A span duration band in milliseconds; an unset bound is open. */
export interface DurationBand {
  minMs?: number;
  maxMs?: number;
}

export interface ParsedBand {
  band: DurationBand;
  /** What was wrong with the URL's values, as a sentence saying what was done instead. */
  problem?: string;
}

/** Spans the tab asks the trace store for; the table shows the slowest SLOW_SPANS_SHOWN of them. */
export const SLOW_SPANS_SEARCH_LIMIT = 1000;
export const SLOW_SPANS_SHOWN = 100;

function parseBound(name: string, raw: unknown): { value?: number; problem?: string } {
  if (raw === undefined || raw === null || raw === '') {
    return {};
  }
  const value = typeof raw === 'number' ? raw : Number(String(raw).trim());
  if (!Number.isFinite(value) || value < 0) {
    return {
      problem: `The ${name} duration "${String(raw)}" is not a number of milliseconds of 0 or more; it is ignored.`,
    };
  }
  return { value };
}

/** The band from URL values (strings), never throwing: a bad bound is dropped with a sentence why. */
export function parseBand(minRaw: unknown, maxRaw: unknown): ParsedBand {
  const min = parseBound('minimum', minRaw);
  const max = parseBound('maximum', maxRaw);
  const problems = [min.problem, max.problem].filter((p): p is string => Boolean(p));
  let band: DurationBand = {
    ...(min.value !== undefined ? { minMs: min.value } : {}),
    ...(max.value !== undefined ? { maxMs: max.value } : {}),
  };
  if (band.minMs !== undefined && band.maxMs !== undefined && band.minMs > band.maxMs) {
    problems.push(
      `The minimum duration (${band.minMs} ms) is above the maximum (${band.maxMs} ms); showing spans of ${band.minMs} ms or more.`
    );
    band = { minMs: band.minMs };
  }
  return problems.length > 0 ? { band, problem: problems.join(' ') } : { band };
}

export function inBand(durationMs: number, band: DurationBand): boolean {
  return (
    Number.isFinite(durationMs) &&
    (band.minMs === undefined || durationMs >= band.minMs) &&
    (band.maxMs === undefined || durationMs <= band.maxMs)
  );
}

/** "any duration", "250 ms or more", "up to 1000 ms", "between 100 ms and 500 ms". */
export function describeBand(band: DurationBand): string {
  if (band.minMs !== undefined && band.maxMs !== undefined) {
    return `between ${band.minMs} ms and ${band.maxMs} ms`;
  }
  if (band.minMs !== undefined) {
    return `${band.minMs} ms or more`;
  }
  if (band.maxMs !== undefined) {
    return `up to ${band.maxMs} ms`;
  }
  return 'any duration';
}

/** A server span's route: its `http.route`, else its name (gRPC spans are named by their method). */
export function routeOf(span: Pick<TraceSpan, 'name' | 'attributes'>): string {
  const route = span.attributes['http.route'];
  return typeof route === 'string' && route.trim() !== '' ? route : span.name;
}

export interface SlowSpanRows {
  /** The slowest spans in the band, slowest first, at most `shown`. */
  rows: TraceSpan[];
  /** Spans in the band among those the store returned. */
  inBand: number;
}

/**
 * The slowest spans in the band, slowest first. The store filters by the band too, but its bounds
 * may round (Jaeger takes whole units, TraceQL its own duration syntax): the band is applied
 * again here so the table never lists a span outside what the user chose.
 */
export function slowestInBand(spans: TraceSpan[], band: DurationBand, shown = SLOW_SPANS_SHOWN): SlowSpanRows {
  const kept = spans.filter((s) => inBand(s.durationMs, band));
  kept.sort((a, b) => b.durationMs - a.durationMs || a.startMs - b.startMs);
  return { rows: kept.slice(0, shown), inBand: kept.length };
}
