/**
 * The `spanflame-traces` runtime datasource: answers TraceQuery (a trace by id, or a span search)
 * with one frame of spans (spansToFrame) from the trace store picked in the app's settings. Pages
 * query it through a SceneQueryRunner, so loading, cancellation and refresh come from Scenes.
 */
import type { DataQuery } from '@grafana/schema';
import {
  type DataQueryError,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataFrame,
  LoadingState,
} from '@grafana/data';
import { registerRuntimeDataSource, RuntimeDataSource } from '@grafana/scenes';
import { Observable } from 'rxjs';

import type { AppSettings } from '../appSettings';
import { spansToFrame } from './spansFrame';
import { traceStoreFor } from './storeFactory';
import {
  TRACES_RUNTIME_DS_TYPE,
  TRACES_RUNTIME_DS_UID,
  type TraceQuery,
  type TraceStore,
  TraceStoreError,
  type TraceStoreErrorKind,
} from './types';

type StoreSettings = Pick<AppSettings, 'traceDatasourceUid'>;
export type StoreFor = (settings: StoreSettings) => TraceStore;

const ERROR_KINDS: readonly TraceStoreErrorKind[] = [
  'not-found',
  'unreachable',
  'bad-answer',
  'bad-request',
  'not-configured',
];

/** The TraceStoreError kind behind a query error of this datasource, for pages choosing a message. */
export function traceStoreErrorKind(error: DataQueryError | undefined): TraceStoreErrorKind | undefined {
  const kind = error?.data?.error;
  return ERROR_KINDS.find((k) => k === kind);
}

function queryError(refId: string, err: unknown): DataQueryError {
  const e =
    err instanceof TraceStoreError
      ? err
      : new TraceStoreError('bad-answer', `Reading traces failed: ${err instanceof Error ? err.message : String(err)}`);
  return { refId, message: e.message, data: { message: e.message, error: e.kind } };
}

function describeWindow(startMs: number, endMs: number): string {
  return `between ${new Date(startMs).toISOString()} and ${new Date(endMs).toISOString()}`;
}

/**
 * A query as a TraceQuery, or the sentence saying what is wrong with it (queries may come from a
 * URL or a saved dashboard, so their shape is checked, not assumed).
 */
export function asTraceQuery(query: DataQuery): TraceQuery | string {
  const q: Record<string, unknown> = { ...query };
  if (q.kind === 'trace') {
    return typeof q.traceId === 'string' && q.traceId.trim()
      ? (query as TraceQuery)
      : 'A trace query needs a trace id.';
  }
  if (q.kind === 'search') {
    if (typeof q.service !== 'string' || !q.service.trim()) {
      return 'A span search needs a service.';
    }
    if (typeof q.limit !== 'number') {
      return 'A span search needs a limit (the most spans to return).';
    }
    return query as TraceQuery;
  }
  return `The traces datasource answers queries of kind "trace" or "search", not ${JSON.stringify(q.kind ?? null)}.`;
}

// RuntimeDataSource<DataQuery> rather than <TraceQuery>: Scenes' registry holds DataQuery sources, and
// every query is checked with asTraceQuery anyway.
export class TracesRuntimeDataSource extends RuntimeDataSource<DataQuery> {
  constructor(
    private settings: StoreSettings,
    private readonly storeFor: StoreFor = (s) => traceStoreFor(s)
  ) {
    super(TRACES_RUNTIME_DS_TYPE, TRACES_RUNTIME_DS_UID);
  }

  /** The app's settings changed (its config page was saved): later queries use the new store. */
  setSettings(settings: StoreSettings) {
    this.settings = settings;
  }

  query(request: DataQueryRequest<DataQuery>): Observable<DataQueryResponse> {
    return new Observable<DataQueryResponse>((subscriber) => {
      const controller = new AbortController();
      this.run(request, controller.signal).then(
        (response) => {
          if (!controller.signal.aborted) {
            subscriber.next(response);
            subscriber.complete();
          }
        },
        (err: unknown) => subscriber.error(err)
      );
      return () => controller.abort();
    });
  }

  private async run(request: DataQueryRequest<DataQuery>, signal: AbortSignal): Promise<DataQueryResponse> {
    const targets = request.targets.filter((t) => !t.hide);
    let store: TraceStore;
    try {
      store = this.storeFor(this.settings);
    } catch (err) {
      const errors = targets.map((t) => queryError(t.refId, err));
      return { data: [], errors, error: errors[0], state: LoadingState.Error, key: request.requestId };
    }
    const results = await Promise.all(targets.map((t) => this.answer(store, t, request, signal)));
    const data = results.flatMap((r) => ('frame' in r ? [r.frame] : []));
    const errors = results.flatMap((r) => ('error' in r ? [r.error] : []));
    return {
      data,
      ...(errors.length > 0 ? { errors, error: errors[0] } : {}),
      state: errors.length > 0 ? LoadingState.Error : LoadingState.Done,
      key: request.requestId,
    };
  }

  private async answer(
    store: TraceStore,
    target: DataQuery,
    request: DataQueryRequest<DataQuery>,
    signal: AbortSignal
  ): Promise<{ frame: DataFrame } | { error: DataQueryError }> {
    const query = asTraceQuery(target);
    if (typeof query === 'string') {
      return { error: queryError(target.refId, new TraceStoreError('bad-request', query)) };
    }
    try {
      if (query.kind === 'trace') {
        const trace = await store.getTrace(query.traceId, signal);
        return { frame: spansToFrame(trace.spans, query.refId) };
      }
      const startMs = query.startMs ?? request.range.from.valueOf();
      const endMs = query.endMs ?? request.range.to.valueOf();
      const spans = await store.searchSpans(
        {
          service: query.service,
          ...(query.name ? { name: query.name } : {}),
          ...(query.spanKind ? { kind: query.spanKind } : {}),
          ...(query.minDurationMs !== undefined ? { minDurationMs: query.minDurationMs } : {}),
          ...(query.maxDurationMs !== undefined ? { maxDurationMs: query.maxDurationMs } : {}),
          startMs,
          endMs,
          limit: query.limit,
        },
        signal
      );
      const notices =
        spans.length === 0
          ? [
              {
                severity: 'info' as const,
                text: `No ${query.spanKind ? `${query.spanKind} ` : ''}spans of "${query.service}"${query.name ? ` named "${query.name}"` : ''}${
                  query.minDurationMs !== undefined ? ` of ${query.minDurationMs} ms or more` : ''
                } ${describeWindow(startMs, endMs)} in ${store.kind === 'tempo' ? 'Tempo' : 'Jaeger'}.`,
              },
            ]
          : undefined;
      return { frame: spansToFrame(spans, query.refId, notices) };
    } catch (err) {
      return { error: queryError(query.refId, err) };
    }
  }
}

let registered: TracesRuntimeDataSource | undefined;

/**
 * Registers the traces runtime datasource with Scenes once (Scenes refuses a second registration
 * under the same uid); later calls hand it the current settings.
 */
export function registerTracesRuntimeDataSource(settings: StoreSettings): TracesRuntimeDataSource {
  if (registered) {
    registered.setSettings(settings);
    return registered;
  }
  registered = new TracesRuntimeDataSource(settings);
  registerRuntimeDataSource({ dataSource: registered });
  return registered;
}
