import { FieldType, toDataFrame } from '@grafana/data';

import type { TraceSpan } from '../../../shared/traces/types';
import { pickSpans, spanRefId, spansWithoutSamples } from './spanSamples';

const span = (id: string, startMs: number, kind: TraceSpan['kind'] = 'server'): TraceSpan => ({
  traceId: id.padStart(32, '0'),
  spanId: id.padStart(16, '0'),
  service: 'checkout',
  name: 'POST /checkout',
  kind,
  status: 'ok',
  startMs,
  durationMs: 5,
  attributes: {},
  resourceAttributes: {},
});

const samples = (refId: string, values: number[]) =>
  toDataFrame({
    refId,
    fields: [
      { name: 'time', type: FieldType.time, values: values.map((_, i) => i * 1000) },
      { name: 'value', type: FieldType.number, values },
    ],
  });

describe('pickSpans', () => {
  it('keeps server spans, newest first, at most the limit', () => {
    const spans = [span('1', 1), span('2', 3, 'client'), span('3', 2), span('4', 4)];
    expect(pickSpans(spans, 2).map((s) => s.spanId.slice(-1))).toEqual(['4', '3']);
  });
});

describe('spansWithoutSamples', () => {
  const spans = [span('a', 1), span('b', 2), span('c', 3)];

  it('counts a span without samples when its answer is empty or all zero', () => {
    const frames = [
      samples(spanRefId(0), [0, 2]),
      samples(spanRefId(1), [0, 0]),
      toDataFrame({ refId: 'span2', fields: [] }),
    ];
    const r = spansWithoutSamples(spans, frames);
    expect(r.checked).toBe(3);
    expect(r.withoutSamples.map((s) => s.spanId.slice(-1))).toEqual(['b', 'c']);
    expect(r.failed).toBe(0);
  });

  it('leaves spans whose lookup failed out of the count and says why', () => {
    const r = spansWithoutSamples(
      spans,
      [samples(spanRefId(0), [1])],
      [{ refId: 'span1', message: 'Parca timed out' }]
    );
    expect(r).toMatchObject({ checked: 2, failed: 1, firstError: 'Parca timed out' });
    expect(r.withoutSamples.map((s) => s.spanId.slice(-1))).toEqual(['c']);
  });
});
