import { DataFrame, Field, FieldType, createDataFrame } from '@grafana/data';

/** refIds of the overview's queries; the join reads each frame's meaning from its refId. */
export enum OverviewQuery {
  Rate = 'rate',
  ErrorRatio = 'errors',
  P95 = 'p95',
  Cpu = 'cpu',
}

/** Column names of the overview table (the table's overrides and the tests use them). */
export const COLUMNS = {
  service: 'Service',
  rate: 'Requests/s',
  rateTrend: 'Requests/s trend',
  errors: 'Errors',
  errorsTrend: 'Errors trend',
  p95: 'p95 duration',
  p95Trend: 'p95 trend',
  cpu: 'CPU',
  missing: 'Missing',
} as const;

export const ONLY_IN_PARCA = 'No Beyla RED metrics in Prometheus';
export const ONLY_IN_PROMETHEUS = 'No CPU profiles in Parca';

interface Series {
  times: number[];
  values: Array<number | null>;
  unit?: string;
}

interface ServiceRow {
  service: string;
  series: Partial<Record<OverviewQuery, Series>>;
}

function seriesOf(frame: DataFrame, serviceLabel: string): Array<{ service: string; series: Series }> {
  const time = frame.fields.find((f) => f.type === FieldType.time);
  if (!time) {
    return [];
  }
  return frame.fields
    .filter((f): f is Field<number | null> => f.type === FieldType.number)
    .flatMap((field) => {
      const service = field.labels?.[serviceLabel];
      if (service === undefined) {
        return [];
      }
      return [{ service, series: { times: time.values as number[], values: field.values, unit: field.config.unit } }];
    });
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/**
 * Mean of the finite values: the series' figure over the whole range, gaps skipped (null when it has none).
 * Not the last value: over a short rate window the last point of a rare event (a 3 % error share) is zero
 * more often than not, so a failing service would read 0 %.
 */
function rangeMean(series: Series | undefined): number | null {
  const values = (series?.values ?? []).filter(isFiniteNumber);
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

/**
 * Share of the range's requests that failed: each step's error ratio weighted by that step's request rate
 * (both series come from the same range query, so their steps coincide). Without rates, the plain mean.
 */
function rangeErrorRatio(row: ServiceRow): number | null {
  const ratio = row.series[OverviewQuery.ErrorRatio];
  const rate = row.series[OverviewQuery.Rate];
  if (!ratio || !rate) {
    return rangeMean(ratio);
  }
  const rateAt = new Map(rate.times.map((t, i) => [t, rate.values[i]]));
  let errors = 0;
  let requests = 0;
  ratio.times.forEach((t, i) => {
    const share = ratio.values[i];
    const perSecond = rateAt.get(t);
    if (isFiniteNumber(share) && isFiniteNumber(perSecond)) {
      errors += share * perSecond;
      requests += perSecond;
    }
  });
  return requests > 0 ? errors / requests : rangeMean(ratio);
}

/** A small time series for the table's sparkline cell (Grafana draws a `frame`-typed cell as a sparkline). */
function trend(series: Series | undefined): DataFrame | null {
  if (!series) {
    return null;
  }
  return createDataFrame({
    fields: [
      { name: 'time', type: FieldType.time, values: series.times },
      { name: 'value', type: FieldType.number, values: series.values },
    ],
  });
}

function missingNote(row: ServiceRow): string {
  const hasRed = [OverviewQuery.Rate, OverviewQuery.ErrorRatio, OverviewQuery.P95].some((q) => row.series[q]);
  if (!hasRed) {
    return ONLY_IN_PARCA;
  }
  return row.series[OverviewQuery.Cpu] ? '' : ONLY_IN_PROMETHEUS;
}

/**
 * Joins the overview's series (Beyla RED from Prometheus, CPU from Parca) into one row per service, the union
 * of both sides: a service only one side knows still gets a row, and its "Missing" cell says what the other
 * side lacks. Rows whose service name does not contain `search` (case-insensitive) are left out.
 */
export function joinServiceRows(frames: DataFrame[], serviceLabel: string, search = ''): DataFrame {
  const rows = new Map<string, ServiceRow>();
  for (const frame of frames) {
    const query = frame.refId as OverviewQuery;
    if (!Object.values(OverviewQuery).includes(query)) {
      continue;
    }
    for (const { service, series } of seriesOf(frame, serviceLabel)) {
      const row = rows.get(service) ?? { service, series: {} };
      row.series[query] = series;
      rows.set(service, row);
    }
  }
  const needle = search.trim().toLowerCase();
  const kept = [...rows.values()]
    .filter((row) => row.service.toLowerCase().includes(needle))
    .sort((a, b) => a.service.localeCompare(b.service));

  const cpuUnit = kept.find((row) => row.series[OverviewQuery.Cpu])?.series[OverviewQuery.Cpu]?.unit;
  const overRange = (q: OverviewQuery) => kept.map((r) => rangeMean(r.series[q]));
  const trends = (q: OverviewQuery) => kept.map((r) => trend(r.series[q]));
  return createDataFrame({
    refId: 'services',
    name: 'services',
    fields: [
      { name: COLUMNS.service, type: FieldType.string, values: kept.map((r) => r.service) },
      {
        name: COLUMNS.rate,
        type: FieldType.number,
        config: { unit: 'reqps', decimals: 2 },
        values: overRange(OverviewQuery.Rate),
      },
      { name: COLUMNS.rateTrend, type: FieldType.frame, values: trends(OverviewQuery.Rate) },
      {
        name: COLUMNS.errors,
        type: FieldType.number,
        config: { unit: 'percentunit', decimals: 1 },
        values: kept.map(rangeErrorRatio),
      },
      { name: COLUMNS.errorsTrend, type: FieldType.frame, values: trends(OverviewQuery.ErrorRatio) },
      { name: COLUMNS.p95, type: FieldType.number, config: { unit: 's' }, values: overRange(OverviewQuery.P95) },
      { name: COLUMNS.p95Trend, type: FieldType.frame, values: trends(OverviewQuery.P95) },
      { name: COLUMNS.cpu, type: FieldType.number, config: { unit: cpuUnit }, values: overRange(OverviewQuery.Cpu) },
      { name: COLUMNS.missing, type: FieldType.string, values: kept.map(missingNote) },
    ],
  });
}
