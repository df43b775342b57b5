/**
 * The span's time window, exact to the millisecond, and the ids the page takes from its URL.
 *
 * Span times arrive with sub-millisecond fractions (Grafana passes microseconds; Tempo stores
 * nanoseconds). Grafana's query API and the Spanflame backend carry epoch milliseconds, so the window
 * is widened outwards to whole milliseconds: it always contains the whole span, and never more than
 * a millisecond on either side. A window of zero length is widened to one millisecond (the backend
 * rejects empty ranges).
 */
import { dateTime, type TimeRange } from '@grafana/data';

export interface TimeWindow {
  /** Epoch milliseconds, whole. */
  fromMs: number;
  /** Epoch milliseconds, whole, greater than fromMs. */
  toMs: number;
}

export function spanWindow(startMs: number, endMs: number): TimeWindow {
  const fromMs = Math.floor(startMs);
  const toMs = Math.max(Math.ceil(endMs), fromMs + 1);
  return { fromMs, toMs };
}

/**
 * A window as a Scenes time range state. SceneTimeRange evaluates its `from`/`to` with Grafana's
 * date math, which reads ISO 8601 (with milliseconds) but not bare epoch-millisecond strings.
 */
export function windowAsTimeRangeState(window: TimeWindow): { from: string; to: string } {
  return { from: new Date(window.fromMs).toISOString(), to: new Date(window.toMs).toISOString() };
}

/** A window as an absolute time range, for calls that take one (the profile-type lookup). */
export function windowAsTimeRange(window: TimeWindow): TimeRange {
  const from = dateTime(window.fromMs);
  const to = dateTime(window.toMs);
  return { from, to, raw: { from, to } };
}

export function windowDurationMs(window: TimeWindow): number {
  return window.toMs - window.fromMs;
}

const HEX = /^[0-9a-f]+$/;

/**
 * A trace id as Parca's labels carry it: 32 lower-case hex characters. A 64-bit (16 hex) id, as old
 * Jaeger clients send, is left-padded with zeros the way W3C trace context does.
 */
export function normalizeTraceId(raw: string | undefined): string | undefined {
  const id = (raw ?? '').trim().toLowerCase();
  if (!HEX.test(id) || (id.length !== 32 && id.length !== 16)) {
    return undefined;
  }
  return id.padStart(32, '0');
}

/** A span id: 16 lower-case hex characters, or undefined. */
export function normalizeSpanId(raw: string | undefined): string | undefined {
  const id = (raw ?? '').trim().toLowerCase();
  return HEX.test(id) && id.length === 16 ? id : undefined;
}

/** What to tell a person whose link carries a malformed trace id. */
export function badTraceIdMessage(raw: string | undefined): string {
  if (!raw || raw.trim() === '') {
    return 'No trace id in the link: open this page from a span in Grafana\'s trace view, or add "traceId=<32 hex characters>" to the URL.';
  }
  return `"${raw}" is not a trace id: a trace id is 32 hexadecimal characters (0-9, a-f), e.g. 0af7651916cd43dd8448eb211c80319c.`;
}
