/**
 * Test doubles at the datasource boundary: a traces runtime datasource over a fake TraceStore (the
 * contract the real one implements), and a Parca datasource whose answers depend on the query, so the
 * page's real query runners, time ranges and source choice run unchanged in jest.
 */
import { createDataFrame, type DataQueryRequest, type DataQueryResponse, FieldType, LoadingState } from '@grafana/data';
import { setRunRequest } from '@grafana/runtime';
import { registerRuntimeDataSource, RuntimeDataSource } from '@grafana/scenes';
import { from, map } from 'rxjs';
import type { DataQuery } from '@grafana/schema';

import type { ParcaQuery } from '../../../datasource/types';
import {
  type SpanSearch,
  type Trace,
  type TraceSpan,
  TraceStoreError,
  type TraceStore,
  TRACES_RUNTIME_DS_TYPE,
  TRACES_RUNTIME_DS_UID,
} from '../../../shared/traces/types';

export function spansToFrame(spans: TraceSpan[]) {
  const col = <K extends keyof TraceSpan>(name: K, type: FieldType) => ({
    name,
    type,
    values: spans.map((s) => s[name]),
  });
  return createDataFrame({
    fields: [
      col('traceId', FieldType.string),
      col('spanId', FieldType.string),
      col('parentSpanId', FieldType.string),
      col('service', FieldType.string),
      col('name', FieldType.string),
      col('kind', FieldType.string),
      col('status', FieldType.string),
      col('startMs', FieldType.number),
      col('durationMs', FieldType.number),
      col('attributes', FieldType.other),
      col('resourceAttributes', FieldType.other),
    ],
  });
}

/** A TraceStore over a list of traces; `fail` makes every call throw that error. */
export class FakeTraceStore implements TraceStore {
  readonly kind = 'jaeger' as const;
  traces: Trace[] = [];
  fail?: TraceStoreError;
  searches: SpanSearch[] = [];

  async getTrace(traceId: string): Promise<Trace> {
    if (this.fail) {
      throw this.fail;
    }
    const trace = this.traces.find((t) => t.traceId === traceId);
    if (!trace) {
      throw new TraceStoreError('not-found', `trace ${traceId}: not-found`);
    }
    return trace;
  }

  async searchSpans(search: SpanSearch): Promise<TraceSpan[]> {
    if (this.fail) {
      throw this.fail;
    }
    this.searches.push(search);
    return this.traces
      .flatMap((t) => t.spans)
      .filter(
        (s) =>
          s.service === search.service &&
          (!search.name || s.name === search.name) &&
          s.startMs < search.endMs &&
          s.startMs + s.durationMs > search.startMs
      );
  }
}

class FakeTracesDataSource extends RuntimeDataSource<DataQuery> {
  constructor(readonly store: FakeTraceStore) {
    super(TRACES_RUNTIME_DS_TYPE, TRACES_RUNTIME_DS_UID);
  }

  async query(request: DataQueryRequest<DataQuery>): Promise<DataQueryResponse> {
    // Read loosely: the contract's search arm cannot be typed (see infrastructure/queryRunners.ts).
    const q = request.targets[0] as unknown as Omit<Partial<SpanSearch>, 'kind'> & { kind: string; traceId?: string };
    try {
      const spans =
        q.kind === 'trace'
          ? (await this.store.getTrace(q.traceId as string)).spans
          : await this.store.searchSpans({
              service: q.service as string,
              name: q.name,
              limit: q.limit ?? 100,
              startMs: q.startMs ?? request.range.from.valueOf(),
              endMs: q.endMs ?? request.range.to.valueOf(),
            });
      return { data: [spansToFrame(spans)], state: LoadingState.Done };
    } catch (err) {
      return { data: [], state: LoadingState.Error, errors: [{ message: (err as Error).message }] };
    }
  }
}

export interface ParcaCall {
  query: ParcaQuery;
  fromMs: number;
  toMs: number;
}

/** Answers a profile of `total` for a query, 0 for an empty profile, or an error sentence. */
export type ParcaAnswer = (call: ParcaCall) => number | { error: string };

class FakeParcaDataSource extends RuntimeDataSource<DataQuery> {
  calls: ParcaCall[] = [];
  answer: ParcaAnswer = () => 0;

  constructor(uid: string) {
    super('spanflame-parca-datasource', uid);
  }

  async query(request: DataQueryRequest<DataQuery>): Promise<DataQueryResponse> {
    const call = {
      query: request.targets[0] as ParcaQuery,
      fromMs: request.range.from.valueOf(),
      toMs: request.range.to.valueOf(),
    };
    this.calls.push(call);
    const answer = this.answer(call);
    if (typeof answer !== 'number') {
      return { data: [], state: LoadingState.Error, errors: [{ message: answer.error, status: 502 }] };
    }
    const rows = answer > 0 ? [answer, answer] : [];
    const frame = createDataFrame({
      fields: [
        { name: 'level', type: FieldType.number, values: rows.map((_, i) => i) },
        { name: 'value', type: FieldType.number, values: rows },
        { name: 'self', type: FieldType.number, values: rows.map((v, i) => (i === 0 ? 0 : v)) },
        { name: 'label', type: FieldType.string, values: rows.map((_, i) => (i === 0 ? 'total' : 'main.work')) },
      ],
      meta: { preferredVisualisationType: 'flamegraph' },
    });
    return { data: [frame], state: LoadingState.Done };
  }
}

let registered: { store: FakeTraceStore; parca: FakeParcaDataSource } | undefined;

/** Registers the doubles once per test file (Scenes keeps runtime datasources for the process). */
export function fakeDatasources(parcaUid = 'spanflame-parca') {
  if (!registered) {
    const store = new FakeTraceStore();
    const parca = new FakeParcaDataSource(parcaUid);
    registerRuntimeDataSource({ dataSource: new FakeTracesDataSource(store) });
    registerRuntimeDataSource({ dataSource: parca });
    registered = { store, parca };
    // Grafana's runRequest, cut to what a query runner needs: the datasource's answer as panel data.
    setRunRequest((ds, request) =>
      from(Promise.resolve(ds.query(request) as Promise<DataQueryResponse>)).pipe(
        map((response) => ({
          state: response.state ?? LoadingState.Done,
          series: response.data,
          errors: response.errors,
          timeRange: request.range,
        }))
      )
    );
  }
  return registered;
}
