/**
 * Computing or waiting? A span's CPU time beside its duration, with the range sampling leaves open.
 *
 * A sampling profiler sees a span's CPU as a number of samples n, one per period (1/hz) of CPU: the
 * CPU is n × period. For parca-agent's `samples:count` the profile's total is n; for CPU nanoseconds
 * (Go's `process_cpu`) the total is already n × period, so n = total ÷ period.
 *
 * Uncertainty: n is treated as a Poisson count, and its exact (Garwood) 95% interval is taken from
 * Byar's approximation (within 1% of the exact bounds from n = 5 up, and n = 0 exact). Poisson is the
 * cautious model: a timer on the CPU clock varies less than that, but an eBPF agent sampling on
 * wall-clock ticks per core, and work split into bursts shorter than a period, vary about that much.
 *
 * Verdict on the span's own CPU (samples labelled with its span_id), as a share of its duration:
 * - computing: the whole 95% interval of the share is at or above COMPUTING_SHARE (50%, the demo's
 *   ground truth definition: own CPU at least half the duration);
 * - waiting: the whole interval is below it;
 * - too few samples: the interval straddles 50% and the span could hold fewer than
 *   MIN_VERDICT_SAMPLES samples even at full CPU (duration × hz), so more data cannot come from it;
 * - borderline: the interval straddles 50% although the span is long enough: it spent about half.
 * The subtree (the trace_id's samples in the span's window, every service) is shown beside it, but
 * does not decide: a span that waited on a busy downstream service still waited.
 *
 * A span with no labelled samples may have run its work unlabelled (a worker pool): then the
 * service's CPU in the span's window bounds its CPU from above, and "waiting" is said only when even
 * that bound stays under half the duration.
 */
import { type CpuUnit, cpuUnitOf } from '../../../shared/parca/cpuUnits';
import type { TraceSpan } from '../../../shared/traces/types';
import { formatMs, MIN_RELIABLE_SAMPLES, shortSpanWarning, type ShortSpanWarning } from './sampling';

/** Two-sided 95%. */
export const VERDICT_Z = 1.96;
const ALPHA = 0.05;
/** Own CPU at or above this share of the duration means computing (as in demo/groundtruth). */
export const COMPUTING_SHARE = 0.5;
/** A span that cannot hold this many samples at full CPU is too short to call when its interval straddles 50%. */
export const MIN_VERDICT_SAMPLES = 20;
/** Waiting children listed at most. */
export const MAX_WAITING_CHILDREN = 5;

/** A 95% interval of a Poisson count observed as n (Garwood, by Byar's approximation). */
export function poissonInterval(n: number): { low: number; high: number } {
  if (!(n > 0)) {
    return { low: 0, high: -Math.log(ALPHA / 2) };
  }
  const z = VERDICT_Z;
  const low = n * Math.pow(1 - 1 / (9 * n) - z / (3 * Math.sqrt(n)), 3);
  const m = n + 1;
  const high = m * Math.pow(1 - 1 / (9 * m) + z / (3 * Math.sqrt(m)), 3);
  return { low: Math.max(0, low), high };
}

/** CPU time measured by sampling, with its 95% range. */
export interface CpuAmount {
  /** Samples behind it. */
  samples: number;
  cpuMs: number;
  lowMs: number;
  highMs: number;
}

/** A profile total in its unit as CPU time; undefined when a count cannot be converted (no frequency). */
export function cpuAmount(total: number, unit: CpuUnit, hz: number | undefined): CpuAmount | undefined {
  if (hz === undefined || !(hz > 0) || !Number.isFinite(total) || total < 0) {
    return undefined;
  }
  const periodMs = 1000 / hz;
  const samples = unit === 'samples' ? total : total / 1e6 / periodMs;
  const { low, high } = poissonInterval(samples);
  return {
    samples,
    cpuMs: unit === 'samples' ? total * periodMs : total / 1e6,
    lowMs: low * periodMs,
    highMs: high * periodMs,
  };
}

export type CpuVerdictKind = 'computing' | 'waiting' | 'too-few-samples' | 'borderline' | 'unattributed' | 'unknown';

export interface CpuVerdict {
  kind: CpuVerdictKind;
  title: string;
  /** "CPU 42 ms of 800 ms (5%): this span mostly waited", or why no verdict. */
  headline: string;
  /** The range and what it rests on. */
  rangeSentence?: string;
  durationMs: number;
  own?: CpuAmount;
  subtree?: CpuAmount;
  /** The service's CPU in the window, when it bounded a span without labelled samples. */
  window?: CpuAmount;
  shortSpan?: ShortSpanWarning;
}

export interface VerdictInputs {
  durationMs: number;
  profileType: string;
  hz?: number;
  /** Total of the span_id query, in the profile's unit. */
  ownTotal: number;
  /** Total of the trace_id query in the span's window, when known. */
  subtreeTotal?: number;
  /** Total of the service's samples in the span's window, when known (asked when ownTotal is 0). */
  windowTotal?: number;
}

const TITLES: Record<CpuVerdictKind, string> = {
  computing: 'Computing: this span mostly used CPU',
  waiting: 'Waiting: this span mostly waited',
  'too-few-samples': 'Too few samples to say whether this span computed or waited',
  borderline: 'About half computing, half waiting',
  unattributed: 'No CPU carries this span: cannot say whether it computed or waited',
  unknown: 'CPU time unknown',
};

export function judgeCpu(i: VerdictInputs): CpuVerdict {
  const base = { durationMs: i.durationMs, shortSpan: shortSpanWarning(i.durationMs, i.hz) };
  const unknown = (headline: string): CpuVerdict => ({ ...base, kind: 'unknown', title: TITLES.unknown, headline });
  const unit = cpuUnitOf(i.profileType);
  if (!unit) {
    return unknown(
      `"${i.profileType}" profiles do not measure CPU time: pick a CPU profile type to compare with the duration.`
    );
  }
  if (!(i.durationMs > 0)) {
    return unknown('The span has no duration to compare its CPU with.');
  }
  const own = cpuAmount(i.ownTotal, unit, i.hz);
  if (!own) {
    return unknown(
      "Without the sampling frequency of this profile type, its samples cannot be turned into CPU time: add it on the app's configuration page."
    );
  }
  const subtree = i.subtreeTotal === undefined ? undefined : cpuAmount(i.subtreeTotal, unit, i.hz);
  const window = own.samples === 0 && i.windowTotal !== undefined ? cpuAmount(i.windowTotal, unit, i.hz) : undefined;
  const d = i.durationMs;
  const kind = decide(own, window, d, i.hz as number);
  const headline =
    `CPU ${formatMs(own.cpuMs)} of ${formatMs(d)} (${percent(own.cpuMs / d)})` + HEADLINE_ENDS[kind](own, window, d);
  return {
    ...base,
    kind,
    title: TITLES[kind],
    headline,
    rangeSentence: rangeSentence(own, d),
    own,
    subtree,
    window,
  };
}

function decide(own: CpuAmount, window: CpuAmount | undefined, durationMs: number, hz: number): CpuVerdictKind {
  const limit = COMPUTING_SHARE * durationMs;
  if (own.lowMs >= limit) {
    return 'computing';
  }
  // Unlabelled work is not in `own`: with no labelled samples, all of the service's CPU in the window is the bound.
  const highMs = own.samples === 0 && window ? Math.max(own.highMs, window.highMs) : own.highMs;
  if (highMs < limit) {
    return 'waiting';
  }
  if ((durationMs * hz) / 1000 < MIN_VERDICT_SAMPLES) {
    return 'too-few-samples';
  }
  return own.samples === 0 ? 'unattributed' : 'borderline';
}

type HeadlineEnd = (own: CpuAmount, window: CpuAmount | undefined, durationMs: number) => string;

const HEADLINE_ENDS: Record<CpuVerdictKind, HeadlineEnd> = {
  computing: () => ': this span mostly computed.',
  waiting: (own, window) => {
    if (window) {
      return `: this span mostly waited (even all of its service's CPU in its window, ${formatMs(window.cpuMs)}, is under half).`;
    }
    return own.samples === 0
      ? ': this span mostly waited, unless its work ran without its labels (no samples carry its span_id).'
      : ': this span mostly waited.';
  },
  'too-few-samples': (_own, _w, d) => `: too few samples to say in ${formatMs(d)}.`,
  borderline: () => ': about half of its time went to CPU.',
  unattributed: (_own, window) =>
    `: no samples carry its span_id, and its service used ${window ? formatMs(window.cpuMs) : 'more'} of CPU in its window, so its work may have run unlabelled (a worker pool).`,
  unknown: () => '.',
};

function rangeSentence(own: CpuAmount, durationMs: number): string {
  const n = own.samples;
  const count = n === Math.round(n) ? String(n) : n.toFixed(1);
  const range = `${formatMs(own.lowMs)} and ${formatMs(own.highMs)} (${percent(own.lowMs / durationMs)} to ${percent(
    own.highMs / durationMs
  )} of the duration)`;
  const few = n < MIN_RELIABLE_SAMPLES * 3 ? ' Few samples make a wide range.' : '';
  return `From ${count} sample${n === 1 ? '' : 's'}: the span's CPU lies between ${range}, 95% of the time.${few}`;
}

function percent(share: number): string {
  const p = share * 100;
  return `${p < 1 && p > 0 ? p.toFixed(1) : Math.round(p)}%`;
}

export interface WaitingChild {
  span: TraceSpan;
  /** The child's time inside the parent span. */
  coveredMs: number;
}

/**
 * Where a waiting span's time went: its child spans (downstream calls), longest inside the span
 * first, and how much of the span their union covers (overlapping children count once).
 */
export function waitingChildren(
  parent: Pick<TraceSpan, 'startMs' | 'durationMs'>,
  children: TraceSpan[],
  limit = MAX_WAITING_CHILDREN
): { children: WaitingChild[]; coveredMs: number; more: number } {
  const from = parent.startMs;
  const to = parent.startMs + parent.durationMs;
  const clipped = children
    .map((span) => ({
      span,
      start: Math.max(from, span.startMs),
      end: Math.min(to, span.startMs + span.durationMs),
    }))
    .filter((c) => c.end > c.start);
  let coveredMs = 0;
  let reach = -Infinity;
  for (const c of [...clipped].sort((a, b) => a.start - b.start)) {
    const start = Math.max(c.start, reach);
    if (c.end > start) {
      coveredMs += c.end - start;
      reach = c.end;
    }
  }
  const sorted = clipped
    .map((c) => ({ span: c.span, coveredMs: c.end - c.start }))
    .sort((a, b) => b.coveredMs - a.coveredMs || a.span.startMs - b.span.startMs);
  return { children: sorted.slice(0, limit), coveredMs, more: Math.max(0, sorted.length - limit) };
}
