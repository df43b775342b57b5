/**
 * Grafana's runRequest, as @grafana/runtime's setRunRequest expects it: what SceneQueryRunner
 * calls to run a panel's queries. Written here from the interface (Grafana's own is not a
 * dependency): it asks the datasource, and turns each answer (or failure) into PanelData, starting
 * with Loading. Unsubscribing cancels the datasource's request, as in Grafana.
 */
import {
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceApi,
  LoadingState,
  type PanelData,
} from '@grafana/data';
import { setRunRequest, toDataQueryError } from '@grafana/runtime';
import { catchError, defer, from, map, type Observable, of, startWith } from 'rxjs';

type QueryFunction = (request: DataQueryRequest) => Observable<DataQueryResponse> | Promise<DataQueryResponse>;

export function previewRunRequest(
  datasource: DataSourceApi,
  request: DataQueryRequest,
  queryFunction?: QueryFunction
): Observable<PanelData> {
  const base = { timeRange: request.range, request };
  const ask: QueryFunction = queryFunction ?? ((r) => datasource.query(r));
  return defer(() => from(ask(request))).pipe(
    map((response): PanelData => {
      const errors = response.errors ?? (response.error ? [response.error] : undefined);
      return {
        ...base,
        state: errors?.length ? LoadingState.Error : (response.state ?? LoadingState.Done),
        series: response.data ?? [],
        errors,
      };
    }),
    catchError((err: unknown) =>
      of<PanelData>({ ...base, state: LoadingState.Error, series: [], errors: [toDataQueryError(err)] })
    ),
    startWith<PanelData>({ ...base, state: LoadingState.Loading, series: [] })
  );
}

export function installRunRequest(): void {
  setRunRequest(previewRunRequest);
}
