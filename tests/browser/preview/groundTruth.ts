/**
 * The demo shop's ground truth for browser tests, read the way demo/groundtruth reads it (the Go
 * tests' module): `<service>.spans.jsonl` (one finished span a line, the last line possibly still
 * being written) and `<service>.meta.json`, in the stack's ground-truth directory
 * (SPANFLAME_GROUND_TRUTH_DIR, from the environment scripts/test.sh exports or the stack's stack.env).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One finished span (demo/groundtruth.Span). */
export interface GroundTruthSpan {
  trace_id: string;
  span_id: string;
  parent_span_id: string;
  service: string;
  name: string;
  kind: 'server' | 'client' | 'internal';
  route: string;
  method: string;
  start_unix_nano: number;
  end_unix_nano: number;
  cpu_ns: number;
  unlabeled_cpu_ns: number;
  cpu_labeled: boolean;
  slow_by?: 'computing' | 'waiting';
  verdict?: string;
}

/** One shop process (demo/groundtruth.Meta), the fields these tests read. */
export interface GroundTruthMeta {
  service: string;
  /** host:port it serves on (and Prometheus scrapes it at: its series' instance label). */
  listen: string;
  /** Route key ("GET /search", "/shop.Payments/Charge") to its hot function's full pprof name. */
  routes: Record<string, string>;
  /** Full pprof names of the functions doing the deliberately unlabeled work (worker pool, background job). */
  unlinked_functions: string[];
  unlabeled_routes?: Record<string, string>;
  slow_routes?: Record<string, string>;
  short_routes?: Record<string, number>;
  /** The configured share of its CPU done without trace labels (0..1). */
  unlinked_cpu_share?: number;
}

export function groundTruthDir(stackDir: string): string {
  const fromEnv = process.env.SPANFLAME_GROUND_TRUTH_DIR;
  if (fromEnv) {
    return fromEnv;
  }
  const env = readFileSync(join(stackDir, 'stack.env'), 'utf8');
  const dir = /^SPANFLAME_GROUND_TRUTH_DIR=["']?([^"'\n]+)/m.exec(env)?.[1];
  if (!dir) {
    throw new Error(`${stackDir}/stack.env names no SPANFLAME_GROUND_TRUTH_DIR`);
  }
  return dir;
}

/** Every recorded span of every service; a last line without its newline is still being written. */
export function readSpans(dir: string): GroundTruthSpan[] {
  const spans: GroundTruthSpan[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.spans.jsonl'))) {
    const lines = readFileSync(join(dir, file), 'utf8').split('\n');
    lines.pop(); // "" after the last newline, or a line still being written
    for (const line of lines) {
      if (line.trim()) {
        spans.push(JSON.parse(line) as GroundTruthSpan);
      }
    }
  }
  return spans;
}

export function readMeta(dir: string): Record<string, GroundTruthMeta> {
  const metas: Record<string, GroundTruthMeta> = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.meta.json'))) {
    const meta = JSON.parse(readFileSync(join(dir, file), 'utf8')) as GroundTruthMeta;
    metas[meta.service] = meta;
  }
  return metas;
}

/** "GET /search" for HTTP server spans, the full method for gRPC ones (groundtruth.Span.RouteKey). */
export function routeKey(s: GroundTruthSpan): string {
  return s.route === '' || s.method === '' ? s.route : `${s.method} ${s.route}`;
}

export const durationMs = (s: GroundTruthSpan) => (s.end_unix_nano - s.start_unix_nano) / 1e6;

/**
 * Spans whose profiles Parca surely holds and whose traces the trace store surely has: finished more
 * than `settledMs` ago (the relay writes a CPU profile when its collection window closes, a scrape
 * later; the shop exports spans every second), and less than `maxAgeMs` ago (the page's default range
 * is the last hour). The latest first.
 */
export function settledSpans(
  spans: GroundTruthSpan[],
  keep: (s: GroundTruthSpan) => boolean,
  settledMs = 45_000,
  maxAgeMs = 30 * 60_000
): GroundTruthSpan[] {
  const now = Date.now() * 1e6;
  return spans
    .filter((s) => s.end_unix_nano < now - settledMs * 1e6 && s.end_unix_nano > now - maxAgeMs * 1e6 && keep(s))
    .sort((a, b) => b.end_unix_nano - a.end_unix_nano);
}

/**
 * Other server spans of the span's service that overlap its window as the page sees it: the trace
 * store keeps microseconds, and the page widens the span outwards to whole milliseconds.
 */
export function overlappingServerSpans(spans: GroundTruthSpan[], span: GroundTruthSpan): number {
  const ms = (nanos: number) => Math.floor(nanos / 1000) / 1000;
  const startUs = Math.floor(span.start_unix_nano / 1000);
  const endUs = startUs + Math.floor((span.end_unix_nano - span.start_unix_nano) / 1000);
  const fromMs = Math.floor(startUs / 1000);
  const toMs = Math.max(Math.ceil(endUs / 1000), fromMs + 1);
  return spans.filter((s) => {
    if (s.service !== span.service || s.kind !== 'server' || s.span_id === span.span_id) {
      return false;
    }
    const start = ms(s.start_unix_nano);
    const end = start + Math.floor((s.end_unix_nano - s.start_unix_nano) / 1000) / 1000;
    return start < toMs && end > fromMs;
  }).length;
}
