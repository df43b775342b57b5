import { frameFrom } from '../../../components/FlameGraph/testing/frames';
import type { TraceSpan } from '../../../shared/traces/types';
import { readTraceCpu, traceProfileType } from './traceCpu';
import { accountedMs, buildWaterfall, profileWindow } from './waterfall';

const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);
const TRACE = '0af7651916cd43dd8448eb211c80319c';

function span(spanId: string, at: number, ms: number, rest: Partial<TraceSpan> = {}): TraceSpan {
  return {
    traceId: TRACE,
    spanId,
    service: 'checkout',
    name: 'POST /checkout',
    kind: 'server',
    status: 'ok',
    startMs: T0 + at,
    durationMs: ms,
    attributes: {},
    resourceAttributes: {},
    ...rest,
  };
}

const spans = [
  span('bbbbbbbbbbbbbbb2', 10, 800, { parentSpanId: 'aaaaaaaaaaaaaaa1' }),
  span('aaaaaaaaaaaaaaa1', 0, 1000, { service: 'frontend', name: 'GET /' }),
  span('ccccccccccccccc3', 500, 200, { parentSpanId: 'bbbbbbbbbbbbbbb2', service: 'payments' }),
  span('ddddddddddddddd4', 20, 50, { parentSpanId: 'bbbbbbbbbbbbbbb2' }),
];

// CPU nanoseconds under label groups, as the backend answers a profile grouped by span_id.
const grouped = frameFrom(
  [
    'total',
    0,
    [
      ['span_id=bbbbbbbbbbbbbbb2', 0, [['shop.checkout', 300e6]]],
      ['span_id=ccccccccccccccc3', 0, [['shop.charge', 150e6]]],
      ['span_id=9999999999999999', 0, [['shop.gone', 5e6]]],
      ['(no labels)', 0, [['runtime.gc', 20e6]]],
    ],
  ],
  { unit: 'ns', enumLabels: true }
);

describe('readTraceCpu', () => {
  it('reads each span group of the grouped profile, and the samples without a span_id', () => {
    const cpu = readTraceCpu([grouped]);
    expect(cpu.total).toBe(475e6);
    expect(Object.fromEntries(cpu.bySpan)).toEqual({
      bbbbbbbbbbbbbbb2: 300e6,
      ccccccccccccccc3: 150e6,
      '9999999999999999': 5e6,
    });
    expect(cpu.withoutSpan).toBe(20e6);
  });

  it('reads an empty answer as no CPU', () => {
    expect(readTraceCpu([]).total).toBe(0);
  });

  it('refuses a profile that is not grouped (a function under the root)', () => {
    expect(() => readTraceCpu([frameFrom(['total', 0, [['main', 5, [['f', 1]]]]])])).toThrow(/not grouped by span_id/);
  });
});

describe('buildWaterfall', () => {
  const w = buildWaterfall(spans, readTraceCpu([grouped]), 1e-6);

  it('orders spans as a tree: parents above children, siblings by start', () => {
    expect(w.rows.map((r) => [r.span.spanId, r.depth])).toEqual([
      ['aaaaaaaaaaaaaaa1', 0],
      ['bbbbbbbbbbbbbbb2', 1],
      ['ddddddddddddddd4', 2],
      ['ccccccccccccccc3', 2],
    ]);
  });

  it('places each bar on the trace axis and fills it with the span’s own CPU', () => {
    const checkout = w.rows[1];
    expect(checkout.offset).toBeCloseTo(0.01);
    expect(checkout.width).toBeCloseTo(0.8);
    expect(checkout.cpuMs).toBeCloseTo(300);
    expect(checkout.cpuShare).toBeCloseTo(300 / 800);
    expect(w.rows[0].cpuMs).toBe(0);
  });

  it('sums CPU per service, largest first', () => {
    expect(w.services.map((s) => [s.service, Math.round(s.cpuMs), s.spans])).toEqual([
      ['checkout', 300, 2],
      ['payments', 150, 1],
      ['frontend', 0, 1],
    ]);
  });

  it('keeps CPU it cannot draw apart, so everything adds up to the total', () => {
    expect(w.withoutSpanMs).toBeCloseTo(20);
    expect(w.unknownSpanMs).toBeCloseTo(5);
    expect(w.unknownSpans).toBe(1);
    expect(accountedMs(w)).toBeCloseTo(w.totalMs);
    expect(w.totalMs).toBeCloseTo(475);
  });

  it('survives a cycle of parents without losing spans', () => {
    const loop = [
      span('aaaaaaaaaaaaaaa1', 0, 10, { parentSpanId: 'bbbbbbbbbbbbbbb2' }),
      span('bbbbbbbbbbbbbbb2', 1, 5, { parentSpanId: 'aaaaaaaaaaaaaaa1' }),
    ];
    expect(buildWaterfall(loop, readTraceCpu([]), 1).rows).toHaveLength(2);
  });

  it('asks Parca over the trace’s window with a margin for profile timestamps', () => {
    expect(profileWindow(w)).toEqual({ fromMs: T0 - 60_000, toMs: T0 + 1000 + 60_000 });
  });
});

describe('the trace page’s profile type', () => {
  const settings = { samplingHz: { parca_agent: 19, process_cpu: 100 } };
  it('picks a delta CPU type it can convert', () => {
    const type = (id: string, delta: boolean) => ({
      id,
      name: id.split(':')[0],
      sampleType: id.split(':')[1],
      sampleUnit: id.split(':')[2],
      periodType: id.split(':')[3],
      periodUnit: id.split(':')[4],
      delta,
    });
    expect(
      traceProfileType(
        [
          type('memory:inuse_space:bytes:space:bytes', false),
          type('process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta', true),
        ],
        settings
      )
    ).toBe('process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta');
    expect(traceProfileType([type('memory:inuse_space:bytes:space:bytes', false)], settings)).toBeUndefined();
  });
});
