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

/** Last value that is a finite number, else null (a service with a gap at the end still shows its last figure). */
function lastValue(series: Series | undefined): number | null {
  for (let i = (series?.values.length ?? 0) - 1; i >= 0; i--) {
    const v = series!.values[i];
    if (typeof v === 'number' && Number.isFinite(v)) {
      return v;
    }
  }
  return null;
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
  const last = (q: OverviewQuery) => kept.map((r) => lastValue(r.series[q]));
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
        values: last(OverviewQuery.Rate),
      },
      { name: COLUMNS.rateTrend, type: FieldType.frame, values: trends(OverviewQuery.Rate) },
      {
        name: COLUMNS.errors,
        type: FieldType.number,
        config: { unit: 'percentunit', decimals: 1 },
        values: last(OverviewQuery.ErrorRatio),
      },
      { name: COLUMNS.errorsTrend, type: FieldType.frame, values: trends(OverviewQuery.ErrorRatio) },
      { name: COLUMNS.p95, type: FieldType.number, config: { unit: 's' }, values: last(OverviewQuery.P95) },
      { name: COLUMNS.p95Trend, type: FieldType.frame, values: trends(OverviewQuery.P95) },
      { name: COLUMNS.cpu, type: FieldType.number, config: { unit: cpuUnit }, values: last(OverviewQuery.Cpu) },
      { name: COLUMNS.missing, type: FieldType.string, values: kept.map(missingNote) },
    ],
  });
}
