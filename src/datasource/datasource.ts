import { CoreApp, DataSourceInstanceSettings } from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv } from '@grafana/runtime';
import type { ScopedVars } from '@grafana/data';

import { DEFAULT_QUERY, ParcaOptions, ParcaQuery } from './types';

/** Front half of spanflame-parca-datasource: every query goes to the Go backend. */
export class ParcaDataSource extends DataSourceWithBackend<ParcaQuery, ParcaOptions> {
  constructor(instanceSettings: DataSourceInstanceSettings<ParcaOptions>) {
    super(instanceSettings);
  }

  getDefaultQuery(_: CoreApp): Partial<ParcaQuery> {
    return DEFAULT_QUERY;
  }

  applyTemplateVariables(query: ParcaQuery, scopedVars: ScopedVars): ParcaQuery {
    const templateSrv = getTemplateSrv();
    const interpolate = (value?: string) => (value ? templateSrv.replace(value, scopedVars) : value);
    return {
      ...query,
      profileType: interpolate(query.profileType),
      labelSelector: interpolate(query.labelSelector),
      traceId: interpolate(query.traceId),
      spanId: interpolate(query.spanId),
    };
  }

  filterQuery(query: ParcaQuery): boolean {
    return !query.hide && Boolean(query.profileType);
  }
}
