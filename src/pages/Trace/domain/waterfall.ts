/**
 * The waterfall: the trace's spans in tree order (each parent above its children, siblings by
 * start), each placed on the trace's time axis with its own CPU, and the trace's CPU per service.
 *
 * CPU that cannot be put in a bar is kept apart, never dropped, so the bars and the rest always add
 * up to the trace's total: samples without a span_id, and samples whose span_id is not a span the
 * trace store returned (a span it has not received yet, or one it dropped).
 */
import type { TraceSpan } from '../../../shared/traces/types';
import type { TraceCpuTotals } from './traceCpu';

export interface WaterfallRow {
  span: TraceSpan;
  depth: number;
  /** Where the bar starts and how wide it is, as shares of the trace's duration. */
  offset: number;
  width: number;
  /** The span's own CPU (samples carrying its span_id). */
  cpuMs: number;
  /** CPU over duration; above 1 when the span's work ran on several cores at once. */
  cpuShare: number;
}

export interface ServiceCpu {
  service: string;
  cpuMs: number;
  spans: number;
}

export interface Waterfall {
  startMs: number;
  durationMs: number;
  rows: WaterfallRow[];
  services: ServiceCpu[];
  totalMs: number;
  /** Samples of the trace without a span_id. */
  withoutSpanMs: number;
  /** Samples whose span_id the trace store does not list. */
  unknownSpanMs: number;
  unknownSpans: number;
}

/** Spans in tree order with their depth; spans whose parent is missing start trees of their own. */
function treeOrder(spans: TraceSpan[]): Array<{ span: TraceSpan; depth: number }> {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string, TraceSpan[]>();
  const roots: TraceSpan[] = [];
  for (const span of spans) {
    if (span.parentSpanId && ids.has(span.parentSpanId) && span.parentSpanId !== span.spanId) {
      children.set(span.parentSpanId, [...(children.get(span.parentSpanId) ?? []), span]);
    } else {
      roots.push(span);
    }
  }
  const byStart = (a: TraceSpan, b: TraceSpan) => a.startMs - b.startMs || a.spanId.localeCompare(b.spanId);
  const out: Array<{ span: TraceSpan; depth: number }> = [];
  const seen = new Set<string>();
  // Iterative, so a deep trace cannot overflow the stack; `seen` guards against a cycle of parents.
  const stack = [...roots]
    .sort(byStart)
    .reverse()
    .map((span) => ({ span, depth: 0 }));
  while (stack.length > 0) {
    const next = stack.pop() as { span: TraceSpan; depth: number };
    if (seen.has(next.span.spanId)) {
      continue;
    }
    seen.add(next.span.spanId);
    out.push(next);
    const kids = [...(children.get(next.span.spanId) ?? [])].sort(byStart).reverse();
    stack.push(...kids.map((span) => ({ span, depth: next.depth + 1 })));
  }
  // A cycle leaves spans no root reaches: show them at the top level rather than lose them.
  out.push(...spans.filter((s) => !seen.has(s.spanId)).map((span) => ({ span, depth: 0 })));
  return out;
}

export function buildWaterfall(spans: TraceSpan[], cpu: TraceCpuTotals, msPerUnit: number): Waterfall {
  const startMs = Math.min(...spans.map((s) => s.startMs));
  const endMs = Math.max(...spans.map((s) => s.startMs + s.durationMs));
  const durationMs = spans.length > 0 ? Math.max(endMs - startMs, 0) : 0;
  const services = new Map<string, ServiceCpu>();
  const listed = new Set<string>();
  const rows = treeOrder(spans).map(({ span, depth }) => {
    const cpuMs = (cpu.bySpan.get(span.spanId) ?? 0) * msPerUnit;
    listed.add(span.spanId);
    const service = services.get(span.service) ?? { service: span.service, cpuMs: 0, spans: 0 };
    services.set(span.service, { ...service, cpuMs: service.cpuMs + cpuMs, spans: service.spans + 1 });
    return {
      span,
      depth,
      offset: durationMs > 0 ? (span.startMs - startMs) / durationMs : 0,
      width: durationMs > 0 ? span.durationMs / durationMs : 1,
      cpuMs,
      cpuShare: span.durationMs > 0 ? cpuMs / span.durationMs : 0,
    };
  });
  let unknownSpanMs = 0;
  let unknownSpans = 0;
  for (const [spanId, value] of cpu.bySpan) {
    if (!listed.has(spanId)) {
      unknownSpanMs += value * msPerUnit;
      unknownSpans++;
    }
  }
  return {
    startMs: spans.length > 0 ? startMs : 0,
    durationMs,
    rows,
    services: [...services.values()].sort((a, b) => b.cpuMs - a.cpuMs || a.service.localeCompare(b.service)),
    totalMs: cpu.total * msPerUnit,
    withoutSpanMs: cpu.withoutSpan * msPerUnit,
    unknownSpanMs,
    unknownSpans,
  };
}

/** Sum of the bars plus what lies outside them: equals totalMs when the answer is consistent. */
export function accountedMs(w: Waterfall): number {
  return w.rows.reduce((sum, r) => sum + r.cpuMs, 0) + w.withoutSpanMs + w.unknownSpanMs;
}

/**
 * The Parca window for the trace: the trace's time plus a margin on each side. The trace_id matcher
 * does the selecting; the window only bounds the search, and a profile's timestamp is when its
 * collection started (the demo relays 5 s CPU profiles), which can be seconds before a span in it.
 */
export const PROFILE_MARGIN_MS = 60_000;

export function profileWindow(w: Pick<Waterfall, 'startMs' | 'durationMs'>): { fromMs: number; toMs: number } {
  return {
    fromMs: Math.floor(w.startMs - PROFILE_MARGIN_MS),
    toMs: Math.ceil(w.startMs + w.durationMs + PROFILE_MARGIN_MS),
  };
}
