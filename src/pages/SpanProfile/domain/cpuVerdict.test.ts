import { span, T0 } from '../testing/spans';
import {
  cpuAmount,
  judgeCpu,
  MIN_VERDICT_SAMPLES,
  poissonInterval,
  waitingChildren,
  type VerdictInputs,
} from './cpuVerdict';

const GO_CPU = 'process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta';
const AGENT = 'parca_agent:samples:count:cpu:nanoseconds:delta';
const MS = 1e6;

describe('poissonInterval', () => {
  // Exact (Garwood) 95% bounds from chi-square quantiles: 0.5·χ²(0.025, 2n) and 0.5·χ²(0.975, 2n+2).
  it.each([
    [0, 0, 3.689],
    [1, 0.0253, 5.572],
    [5, 1.6235, 11.668],
    [10, 4.7954, 18.39],
    [20, 12.217, 30.885],
    [100, 81.364, 121.63],
  ])('n = %d lies within 1%% of the exact bounds', (n, low, high) => {
    const got = poissonInterval(n);
    expect(got.high).toBeCloseTo(high, 1);
    expect(Math.abs(got.high - high) / high).toBeLessThan(0.01);
    if (n >= 5) {
      expect(Math.abs(got.low - low) / low).toBeLessThan(0.01);
    } else {
      expect(got.low).toBeGreaterThanOrEqual(0);
      expect(got.low).toBeLessThan(Math.max(low, 0.03));
    }
  });

  it('narrows relative to n as n grows', () => {
    const width = (n: number) => (poissonInterval(n).high - poissonInterval(n).low) / n;
    expect(width(4)).toBeGreaterThan(width(40));
    expect(width(40)).toBeGreaterThan(width(400));
  });
});

describe('cpuAmount', () => {
  it('turns agent sample counts into CPU with the sampling period', () => {
    const a = cpuAmount(19, 'samples', 19);
    expect(a?.samples).toBe(19);
    expect(a?.cpuMs).toBeCloseTo(1000);
  });

  it('reads Go nanoseconds as CPU, and counts their samples with the period', () => {
    const a = cpuAmount(380 * MS, 'nanoseconds', 100);
    expect(a?.cpuMs).toBeCloseTo(380);
    expect(a?.samples).toBeCloseTo(38);
    expect(a?.lowMs).toBeGreaterThan(260);
    expect(a?.highMs).toBeLessThan(530);
  });

  it('cannot convert without a frequency', () => {
    expect(cpuAmount(10, 'samples', undefined)).toBeUndefined();
  });
});

function judge(p: Partial<VerdictInputs> & Pick<VerdictInputs, 'durationMs' | 'ownTotal'>) {
  return judgeCpu({ profileType: GO_CPU, hz: 100, ...p });
}

describe('judgeCpu on spans shaped like the demo', () => {
  it('a 400 ms span with 380 ms of CPU at 100 Hz computed', () => {
    const v = judge({ durationMs: 400, ownTotal: 380 * MS });
    expect(v.kind).toBe('computing');
    expect(v.headline).toBe('CPU 380 ms of 400 ms (95%): this span mostly computed.');
    expect(v.rangeSentence).toContain('From 38 samples');
    expect(v.shortSpan).toBeUndefined();
  });

  it('a 400 ms span with 2 ms of CPU at 100 Hz waited', () => {
    const v = judge({ durationMs: 400, ownTotal: 2 * MS });
    expect(v.kind).toBe('waiting');
    expect(v.headline).toMatch(/^CPU 2 ms of 400 ms \(0\.5%\): this span mostly waited/);
  });

  it('a 400 ms span with no labelled samples waits only if its service was quiet in its window', () => {
    expect(judge({ durationMs: 400, ownTotal: 0, windowTotal: 60 * MS }).kind).toBe('waiting');
    const busy = judge({ durationMs: 400, ownTotal: 0, windowTotal: 350 * MS });
    expect(busy.kind).toBe('unattributed');
    expect(busy.headline).toContain('350 ms');
    expect(busy.headline).toContain('unlabelled');
  });

  it('says a waiting span without labelled samples may have run unlabelled when no window bound is known', () => {
    const v = judge({ durationMs: 400, ownTotal: 0 });
    expect(v.kind).toBe('waiting');
    expect(v.headline).toContain('unless its work ran without its labels');
  });

  it('a 30 ms span at 19 Hz holds too few samples, and says so with its range and the short-span warning', () => {
    for (const samples of [0, 1]) {
      const v = judgeCpu({ durationMs: 30, ownTotal: samples, profileType: AGENT, hz: 19 });
      expect(v.kind).toBe('too-few-samples');
      expect(v.headline).toContain('too few samples to say in 30 ms');
      expect(v.rangeSentence).toContain('Few samples make a wide range');
      expect(v.own?.highMs).toBeGreaterThan(30);
      expect(v.shortSpan?.sentence).toContain('19 Hz');
    }
  });

  it('a computing span at 19 Hz still needs enough samples to say so', () => {
    // 400 ms at 19 Hz holds at most 7.6 samples: 7 samples leave a range from under to over half.
    const v = judgeCpu({ durationMs: 400, ownTotal: 7, profileType: AGENT, hz: 19 });
    expect(v.kind).toBe('too-few-samples');
    // Two seconds of CPU-bound work at 19 Hz (38 samples) is enough.
    expect(judgeCpu({ durationMs: 2000, ownTotal: 36, profileType: AGENT, hz: 19 }).kind).toBe('computing');
  });

  it('a long span that spent about half of its time on CPU is borderline, not too short', () => {
    const v = judge({ durationMs: 1000, ownTotal: 50 * 10 * MS });
    expect((1000 * 100) / 1000).toBeGreaterThanOrEqual(MIN_VERDICT_SAMPLES);
    expect(v.kind).toBe('borderline');
  });

  it('keeps the subtree beside the own CPU without letting it decide', () => {
    // The span waited 400 ms on a downstream that computed 380 ms: the span itself waited.
    const v = judge({ durationMs: 400, ownTotal: 10 * MS, subtreeTotal: 390 * MS });
    expect(v.kind).toBe('waiting');
    expect(v.subtree?.cpuMs).toBeCloseTo(390);
  });

  it('explains why there is no verdict', () => {
    expect(
      judgeCpu({ durationMs: 400, ownTotal: 5, profileType: 'memory:alloc_space:bytes:space:bytes' })
    ).toMatchObject({ kind: 'unknown', headline: expect.stringContaining('do not measure CPU time') });
    expect(judgeCpu({ durationMs: 400, ownTotal: 5, profileType: AGENT, hz: undefined })).toMatchObject({
      kind: 'unknown',
      headline: expect.stringContaining('sampling frequency'),
    });
    expect(judge({ durationMs: 0, ownTotal: 5 })).toMatchObject({
      kind: 'unknown',
      headline: expect.stringContaining('no duration'),
    });
  });

  it('never writes NaN', () => {
    for (const ownTotal of [0, 1, 1e9]) {
      for (const durationMs of [0.5, 30, 400]) {
        const v = judge({ durationMs, ownTotal });
        expect(`${v.headline} ${v.rangeSentence}`).not.toMatch(/NaN|Infinity|undefined/);
      }
    }
  });
});

describe('waitingChildren', () => {
  const parent = span({ spanId: 'p000000000000001', at: 0, ms: 400 });

  it('lists the children longest first, clipped to the parent, and counts overlaps once', () => {
    const db = span({ spanId: 'c000000000000001', parentSpanId: parent.spanId, at: 10, ms: 100, name: 'db' });
    const pay = span({ spanId: 'c000000000000002', parentSpanId: parent.spanId, at: 150, ms: 200, name: 'pay' });
    const cache = span({ spanId: 'c000000000000003', parentSpanId: parent.spanId, at: 60, ms: 20, name: 'cache' });
    const late = span({ spanId: 'c000000000000004', parentSpanId: parent.spanId, at: 380, ms: 100, name: 'late' });
    const w = waitingChildren(parent, [db, pay, cache, late]);
    // cache and late both cover 20 ms: the earlier one first.
    expect(w.children.map((c) => c.span.name)).toEqual(['pay', 'db', 'cache', 'late']);
    expect(w.children.find((c) => c.span.name === 'late')?.coveredMs).toBe(20);
    // db [10,110] ∪ cache [60,80] ∪ pay [150,350] ∪ late [380,400]
    expect(w.coveredMs).toBe(100 + 200 + 20);
    expect(w.more).toBe(0);
  });

  it('drops children outside the span and caps the list', () => {
    const kids = Array.from({ length: 7 }, (_, k) =>
      span({ spanId: `c00000000000000${k}`, parentSpanId: parent.spanId, at: k * 50, ms: 10 + k })
    );
    const outside = span({ spanId: 'c0000000000000ff', at: 500, ms: 50 });
    const w = waitingChildren(parent, [...kids, outside], 5);
    expect(w.children).toHaveLength(5);
    expect(w.more).toBe(2);
    expect(w.children[0].span.durationMs).toBe(16);
    expect(w.children.every((c) => c.span.startMs < T0 + 400)).toBe(true);
  });

  it('is empty for a span without children', () => {
    expect(waitingChildren(parent, [])).toEqual({ children: [], coveredMs: 0, more: 0 });
  });
});
