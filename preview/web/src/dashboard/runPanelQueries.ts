/**
 * Runs a dashboard panel's targets as Grafana's panel query runner would, minus what the preview
 * host leaves out (caching, transformations, expressions, streaming, shared queries): each
 * target goes to its datasource (the target's, else the panel's) through that datasource's own
 * query(), which for a backend datasource posts to /api/ds/query. A datasource the host does not
 * serve becomes that target's error, which the panel shows.
 */
import {
  CoreApp,
  type DataQuery,
  type DataQueryError,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceRef,
  type DataFrame,
  LoadingState,
  type PanelData,
  rangeUtil,
  type RawTimeRange,
  toDataFrame,
} from '@grafana/data';
import { from, lastValueFrom } from 'rxjs';

import { dataSourceSrv } from '../services';

export interface DashboardPanelJSON {
  id?: number;
  type: string;
  title?: string;
  description?: string;
  gridPos?: { x: number; y: number; w: number; h: number };
  datasource?: DataSourceRef | null;
  targets?: Array<DataQuery & { hide?: boolean }>;
  options?: Record<string, unknown>;
  fieldConfig?: { defaults: Record<string, unknown>; overrides: unknown[] };
  maxDataPoints?: number;
  interval?: string;
}

function errorMessage(err: unknown): string {
  const e = err as { data?: { message?: string }; message?: string; statusText?: string };
  return e?.data?.message ?? e?.message ?? e?.statusText ?? String(err);
}

export async function runPanelQueries(
  panel: DashboardPanelJSON,
  rawRange: RawTimeRange,
  widthPx: number,
  dashboardUID: string,
  signal: AbortSignal
): Promise<PanelData> {
  const range = rangeUtil.convertRawToRange(rawRange);
  const targets = (panel.targets ?? []).filter((t) => !t.hide);
  const maxDataPoints = panel.maxDataPoints ?? Math.max(100, Math.round(widthPx));
  const { interval, intervalMs } = rangeUtil.calculateInterval(range, maxDataPoints, panel.interval);
  // Group targets by datasource: one request per datasource, as the mixed datasource does.
  const groups = new Map<string, { ref: DataSourceRef | null | undefined; targets: DataQuery[] }>();
  for (const target of targets) {
    const ref = target.datasource ?? panel.datasource;
    const key = ref?.uid ?? '';
    const group = groups.get(key) ?? { ref, targets: [] };
    group.targets.push({ ...target, datasource: ref ?? undefined });
    groups.set(key, group);
  }
  const series: DataFrame[] = [];
  const errors: DataQueryError[] = [];
  await Promise.all(
    [...groups.values()].map(async ({ ref, targets: queries }) => {
      try {
        const ds = await dataSourceSrv.get(ref);
        const request: DataQueryRequest = {
          requestId: `panel-${panel.id ?? 0}-${ref?.uid ?? 'default'}`,
          app: CoreApp.Dashboard,
          dashboardUID,
          panelId: panel.id,
          interval,
          intervalMs,
          maxDataPoints,
          range,
          rangeRaw: rawRange,
          scopedVars: {
            __interval: { text: interval, value: interval },
            __interval_ms: { text: String(intervalMs), value: intervalMs },
          },
          targets: queries.filter((q) => !ds.filterQuery || ds.filterQuery(q)),
          timezone: 'browser',
          startTime: Date.now(),
        };
        if (request.targets.length === 0) {
          return;
        }
        const result = ds.query(request);
        const response: DataQueryResponse = await lastValueFrom(from(result));
        if (signal.aborted) {
          return;
        }
        series.push(...response.data.map((d) => toDataFrame(d)));
        // eslint-disable-next-line @typescript-eslint/no-deprecated
        errors.push(...(response.errors ?? (response.error ? [response.error] : [])));
      } catch (err) {
        for (const q of queries) {
          errors.push({ refId: q.refId, message: errorMessage(err) });
        }
      }
    })
  );
  return {
    series,
    errors: errors.length ? errors : undefined,
    state: errors.length ? LoadingState.Error : LoadingState.Done,
    timeRange: range,
  };
}
