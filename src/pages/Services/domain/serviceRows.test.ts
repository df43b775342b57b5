import { DataFrame, FieldType, createDataFrame } from '@grafana/data';

import { COLUMNS, joinServiceRows, ONLY_IN_PARCA, ONLY_IN_PROMETHEUS, OverviewQuery } from './serviceRows';

function series(refId: OverviewQuery, service: string, values: Array<number | null>, unit?: string): DataFrame {
  return createDataFrame({
    refId,
    fields: [
      { name: 'Time', type: FieldType.time, values: values.map((_, i) => 1000 * i) },
      { name: 'Value', type: FieldType.number, values, labels: { service_name: service }, config: { unit } },
    ],
  });
}

function column(frame: DataFrame, name: string): unknown[] {
  const field = frame.fields.find((f) => f.name === name);
  if (!field) {
    throw new Error(`no column ${name}`);
  }
  return field.values;
}

describe('joinServiceRows', () => {
  const frames = [
    series(OverviewQuery.Rate, 'frontend', [9, 10]),
    series(OverviewQuery.Rate, 'checkout', [5, 6]),
    series(OverviewQuery.ErrorRatio, 'checkout', [0.1, 0.03]),
    series(OverviewQuery.P95, 'checkout', [0.2, 0.25]),
    series(OverviewQuery.Cpu, 'checkout', [3e8, 4e8], 'ns'),
    series(OverviewQuery.Cpu, 'batch-job', [1e8, null], 'ns'),
  ];

  it('shows every service either side knows, saying what the other side lacks', () => {
    const table = joinServiceRows(frames, 'service_name');
    expect(column(table, COLUMNS.service)).toEqual(['batch-job', 'checkout', 'frontend']);
    expect(column(table, COLUMNS.missing)).toEqual([ONLY_IN_PARCA, '', ONLY_IN_PROMETHEUS]);
  });

  it('shows each figure over the whole range, skipping gaps', () => {
    const table = joinServiceRows(frames, 'service_name');
    expect(column(table, COLUMNS.rate)).toEqual([null, 5.5, 9.5]);
    expect(column(table, COLUMNS.p95)).toEqual([null, 0.225, null]);
    expect(column(table, COLUMNS.cpu)).toEqual([1e8, 3.5e8, null]);
    expect(table.fields.find((f) => f.name === COLUMNS.cpu)?.config.unit).toBe('ns');
  });

  it("weighs each step's error share by its requests, so failures before a quiet end still count", () => {
    const table = joinServiceRows(frames, 'service_name');
    // checkout: 0.1 × 5 + 0.03 × 6 failed per second out of 11.
    expect(column(table, COLUMNS.errors)[1]).toBeCloseTo(0.68 / 11);
    const quietEnd = [series(OverviewQuery.Rate, 'pay', [4, 4]), series(OverviewQuery.ErrorRatio, 'pay', [0.5, 0])];
    expect(column(joinServiceRows(quietEnd, 'service_name'), COLUMNS.errors)).toEqual([0.25]);
    expect(column(table, COLUMNS.errors)[0]).toBeNull();
  });

  it('keeps the whole series of each service for its sparkline', () => {
    const table = joinServiceRows(frames, 'service_name');
    const trends = column(table, COLUMNS.rateTrend) as Array<DataFrame | null>;
    expect(trends[0]).toBeNull();
    expect(trends[1]?.fields[1].values).toEqual([5, 6]);
  });

  it('filters by a case-insensitive part of the service name', () => {
    expect(column(joinServiceRows(frames, 'service_name', ' CHECK '), COLUMNS.service)).toEqual(['checkout']);
    expect(column(joinServiceRows(frames, 'service_name', 'nothing-like-it'), COLUMNS.service)).toEqual([]);
  });

  it('reads services from the configured label only', () => {
    expect(column(joinServiceRows(frames, 'job'), COLUMNS.service)).toEqual([]);
  });
});
