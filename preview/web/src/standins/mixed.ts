/**
 * STAND-IN for Grafana's Mixed datasource ("-- Mixed --", part of Grafana, not of any npm package): each query
 * names its own datasource, runs there, and the answers come back together. Scenes use it when one runner asks
 * several datasources (the services overview asks Prometheus and Parca). Each datasource's failure is reported
 * as that datasource's queries' errors; the others still answer.
 * Left out: expressions, and the per-datasource streaming keys Grafana's runRequest merges.
 */
import {
  type DataQueryError,
  type DataQueryRequest,
  type DataQueryResponse,
  DataSourceApi,
  type DataSourceInstanceSettings,
  LoadingState,
  PluginType,
} from '@grafana/data';
import { getDataSourceSrv, toDataQueryError } from '@grafana/runtime';
import type { DataQuery } from '@grafana/schema';
import { groupBy } from 'lodash';
import { catchError, combineLatest, defer, from, map, mergeMap, type Observable, of, startWith } from 'rxjs';

export const MIXED_UID = '-- Mixed --';

/** The instance settings Grafana's boot data gives the Mixed datasource. */
export const MIXED_SETTINGS: DataSourceInstanceSettings = {
  id: -100,
  uid: MIXED_UID,
  type: 'mixed',
  name: MIXED_UID,
  access: 'proxy',
  readOnly: true,
  jsonData: {},
  meta: {
    id: 'mixed',
    name: 'Mixed (preview host stand-in)',
    type: PluginType.datasource,
    module: 'core:plugin/mixed',
    baseUrl: '',
    mixed: true,
    info: {
      author: { name: 'Spanflame preview host' },
      description: "Stand-in for Grafana's Mixed datasource",
      links: [],
      logos: { small: '', large: '' },
      screenshots: [],
      updated: '',
      version: '',
    },
  },
};

function runOn(
  uid: string,
  targets: DataQuery[],
  request: DataQueryRequest,
  index: number
): Observable<DataQueryResponse> {
  // Each datasource's request gets its own requestId, as in Grafana: a shared one would cancel the others.
  const own = { ...request, targets, requestId: `${request.requestId}_${index}` };
  return defer(() => from(getDataSourceSrv().get(targets[0].datasource ?? uid))).pipe(
    mergeMap((ds) => from(ds.query(own))),
    catchError((err: unknown) => {
      const error = toDataQueryError(err);
      const errors: DataQueryError[] = targets.map((t) => ({ ...error, refId: t.refId }));
      return of<DataQueryResponse>({ data: [], errors, state: LoadingState.Error });
    }),
    startWith<DataQueryResponse>({ data: [], state: LoadingState.Loading })
  );
}

export class MixedStandIn extends DataSourceApi<DataQuery> {
  constructor(settings: DataSourceInstanceSettings = MIXED_SETTINGS) {
    super(settings);
  }

  query(request: DataQueryRequest<DataQuery>): Observable<DataQueryResponse> {
    const byDatasource = groupBy(
      request.targets.filter((t) => !t.hide),
      (t) => t.datasource?.uid ?? ''
    );
    const runs = Object.entries(byDatasource).map(([uid, targets], i) => runOn(uid, targets, request, i));
    if (runs.length === 0) {
      return of({ data: [], state: LoadingState.Done });
    }
    return combineLatest(runs).pipe(
      map((responses): DataQueryResponse => {
        const errors = responses.flatMap((r) => r.errors ?? (r.error ? [r.error] : []));
        const loading = responses.some((r) => r.state === LoadingState.Loading);
        return {
          data: responses.flatMap((r) => r.data),
          errors: errors.length ? errors : undefined,
          // Partial failures still show the other datasources' data: Done, with the errors beside it.
          state: loading ? LoadingState.Loading : LoadingState.Done,
        };
      })
    );
  }

  async testDatasource() {
    return { status: 'success', message: 'The Mixed datasource runs each query on its own datasource.' };
  }
}
