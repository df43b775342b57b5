import { FieldType, toDataFrame } from '@grafana/data';

import { readDurationBuckets, shortRequestShare } from './shortRequests';

const series = (le: string, value: number) =>
  toDataFrame({
    fields: [
      { name: 'Time', type: FieldType.time, values: [1000] },
      { name: 'Value', type: FieldType.number, values: [value], labels: { le } },
    ],
  });

describe('readDurationBuckets', () => {
  it('reads a frame per le (time series format) and adds HTTP and gRPC buckets of the same bound', () => {
    const frames = [series('0.01', 30), series('+Inf', 100), series('0.01', 10), series('+Inf', 20)];
    expect(readDurationBuckets(frames)).toEqual([
      { le: 0.01, count: 40 },
      { le: Infinity, count: 120 },
    ]);
  });

  it('reads a table frame with an le column', () => {
    const table = toDataFrame({
      fields: [
        { name: 'le', type: FieldType.string, values: ['0.05', '+Inf'] },
        { name: 'Value #A', type: FieldType.number, values: [5, 10] },
      ],
    });
    expect(readDurationBuckets([table])).toEqual([
      { le: 0.05, count: 5 },
      { le: Infinity, count: 10 },
    ]);
  });

  it('ignores series without le and values that are not numbers', () => {
    const noLe = toDataFrame({ fields: [{ name: 'Value', type: FieldType.number, values: [3] }] });
    expect(readDurationBuckets([noLe, series('abc', 1), series('0.1', NaN)])).toEqual([]);
  });
});

describe('shortRequestShare', () => {
  const buckets = [
    { le: 0.005, count: 10 },
    { le: 0.01, count: 30 },
    { le: 0.05, count: 70 },
    { le: 0.0526, count: 74 },
    { le: Infinity, count: 100 },
  ];

  it('is exact when the sampling period is a bucket bound (100 Hz = 10 ms, 19 Hz = 52.6 ms)', () => {
    expect(shortRequestShare(buckets, 1 / 100)).toEqual({
      share: 30,
      total: 100,
      periodSeconds: 0.01,
      interpolated: false,
    });
    expect(shortRequestShare(buckets, 0.0526)?.share).toBeCloseTo(74);
  });

  it('interpolates inside the bucket that holds the period', () => {
    const r = shortRequestShare(buckets, 0.03);
    expect(r?.interpolated).toBe(true);
    expect(r?.share).toBeCloseTo(50);
  });

  it('counts from zero below the first bound', () => {
    expect(shortRequestShare(buckets, 0.0025)?.share).toBeCloseTo(5);
  });

  it('has no share without requests', () => {
    expect(shortRequestShare([], 0.01)).toBeUndefined();
    expect(shortRequestShare([{ le: Infinity, count: 0 }], 0.01)).toBeUndefined();
    expect(shortRequestShare(buckets, 0)).toBeUndefined();
  });
});
