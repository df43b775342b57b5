/**
 * STAND-IN for Grafana's Prometheus datasource front end (AGPL, part of Grafana, not usable here).
 * Like the real one it extends DataSourceWithBackend: queries go to POST /api/ds/query with the
 * datasource's uid, where the preview host runs them against the real Prometheus and answers in
 * Grafana's frame shapes (preview/internal/grafanaapi/promquery.go). Dashboard variables in `expr`
 * are replaced here, as Grafana's front end does; $__interval and friends are left to the host.
 */
import type { DataSourceInstanceSettings, ScopedVars } from '@grafana/data';
import { DataSourceWithBackend, getBackendSrv, getTemplateSrv } from '@grafana/runtime';
import type { DataQuery } from '@grafana/schema';

export interface PromQueryStandIn extends DataQuery {
  expr: string;
  range?: boolean;
  instant?: boolean;
  format?: 'time_series' | 'table' | 'heatmap';
  legendFormat?: string;
  interval?: string;
}

/** Grafana's built-in interval and range variables: the host interpolates them, as Grafana's back end does. */
const HOST_VARIABLES = /^__(rate_interval|interval|range)/;

export class PrometheusStandIn extends DataSourceWithBackend<PromQueryStandIn> {
  constructor(settings: DataSourceInstanceSettings) {
    super(settings);
  }

  filterQuery(query: PromQueryStandIn): boolean {
    return !query.hide && Boolean(query.expr?.trim());
  }

  applyTemplateVariables(query: PromQueryStandIn, scopedVars: ScopedVars): PromQueryStandIn {
    const templateSrv = getTemplateSrv();
    const kept: ScopedVars = {};
    for (const [name, value] of Object.entries(scopedVars ?? {})) {
      if (!HOST_VARIABLES.test(name)) {
        kept[name] = value;
      }
    }
    return {
      ...query,
      expr: templateSrv.replace(query.expr, kept, 'regex'),
      legendFormat: query.legendFormat ? templateSrv.replace(query.legendFormat, kept) : query.legendFormat,
    };
  }

  async testDatasource() {
    const res = await getBackendSrv().get<{ data?: { version?: string } }>(
      `/api/datasources/proxy/uid/${encodeURIComponent(this.uid)}/api/v1/status/buildinfo`
    );
    return { status: 'success', message: `Prometheus ${res.data?.version ?? ''} answers.` };
  }
}
