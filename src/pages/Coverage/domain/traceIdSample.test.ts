import { FieldType, toDataFrame } from '@grafana/data';

import { readTraceIdSample, traceIdWindow, traceRefId, tracesNotStored, TRACE_ID_WINDOW_MS } from './traceIdSample';
import { SETTLE_MS } from './spanSamples';

const id = (c: string) => c.repeat(32);

const traceIdsFrame = (ids: string[], values: number[], inRange?: number) =>
  toDataFrame({
    name: 'trace ids by value',
    meta: inRange === undefined ? undefined : { custom: { traceIdsInRange: inRange, limit: 20 } },
    fields: [
      { name: 'traceId', type: FieldType.string, values: ids },
      { name: 'value', type: FieldType.number, values },
    ],
  });

const spansOf = (refId: string, rows: number) =>
  toDataFrame({ refId, fields: [{ name: 'traceId', type: FieldType.string, values: Array(rows).fill('x') }] });

describe('traceIdWindow', () => {
  it('is the last five minutes of the range, ending SETTLE_MS before it', () => {
    const to = 10 * 60_000;
    expect(traceIdWindow(0, to)).toEqual({ fromMs: to - SETTLE_MS - TRACE_ID_WINDOW_MS, toMs: to - SETTLE_MS });
  });
  it('stays inside a short range and never ends before it starts', () => {
    expect(traceIdWindow(0, 2 * 60_000)).toEqual({ fromMs: 0, toMs: 2 * 60_000 - SETTLE_MS });
    expect(traceIdWindow(1000, 2000)).toEqual({ fromMs: 1000, toMs: 1001 });
  });
});

describe('readTraceIdSample', () => {
  it("reads the backend's trace ids, their CPU, and how many the window held", () => {
    expect(readTraceIdSample([traceIdsFrame([id('a'), id('b')], [50, 40], 812)])).toEqual({
      traceIds: [
        { traceId: id('a'), value: 50 },
        { traceId: id('b'), value: 40 },
      ],
      inWindow: 812,
    });
  });
  it('drops what is not a trace id, and reads an empty answer as no trace ids', () => {
    expect(readTraceIdSample([traceIdsFrame(['nothex', id('c')], [1, 2])])).toEqual({
      traceIds: [{ traceId: id('c'), value: 2 }],
      inWindow: 1,
    });
    expect(readTraceIdSample([toDataFrame({ name: 'trace ids by value', fields: [] })])).toEqual({
      traceIds: [],
      inWindow: 0,
    });
  });
});

describe('tracesNotStored', () => {
  const sample = {
    traceIds: [id('a'), id('b'), id('c'), id('d')].map((traceId) => ({ traceId, value: 1 })),
    inWindow: 30,
  };
  const notFound = (refId: string) => ({ refId, message: 'no such trace', data: { error: 'not-found' } });
  it('counts a trace the store answers "not found" for, or answers without spans, as missing', () => {
    const r = tracesNotStored(
      sample,
      [spansOf(traceRefId(0), 3), spansOf(traceRefId(2), 0), spansOf(traceRefId(3), 1)],
      [notFound(traceRefId(1))]
    );
    expect(r.checked).toBe(4);
    expect(r.missing.map((t) => t.traceId[0])).toEqual(['b', 'c']);
    expect(r.found.map((t) => t.traceId[0])).toEqual(['a', 'd']);
    expect(r.failed).toBe(0);
    expect(r.inWindow).toBe(30);
  });
  it('leaves lookups that failed otherwise out of the count and says why', () => {
    const r = tracesNotStored(
      sample,
      [spansOf(traceRefId(0), 1)],
      [
        { refId: traceRefId(1), message: 'Jaeger timed out', data: { error: 'unreachable' } },
        { refId: traceRefId(2), message: 'Jaeger timed out', data: { error: 'unreachable' } },
        notFound(traceRefId(3)),
      ]
    );
    expect(r).toMatchObject({ checked: 2, failed: 2, firstError: 'Jaeger timed out' });
    expect(r.missing.map((t) => t.traceId[0])).toEqual(['d']);
  });
});
