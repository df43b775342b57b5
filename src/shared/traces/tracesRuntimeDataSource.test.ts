import { type DataQueryRequest, type DataQueryResponse, dateTime, LoadingState } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';
import { firstValueFrom } from 'rxjs';

import { spansFromFrame } from './spansFrame';
import { traceStoreErrorKind, TracesRuntimeDataSource } from './tracesRuntimeDataSource';
import { type SpanSearch, type TraceSpan, type TraceStore, TraceStoreError, TRACES_RUNTIME_DS_UID } from './types';

const span: TraceSpan = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: '53995c3f42cd8ad8',
  service: 'checkout',
  name: 'POST /checkout',
  kind: 'server',
  status: 'error',
  startMs: 1000,
  durationMs: 230,
  attributes: {},
  resourceAttributes: { 'service.name': 'checkout' },
};

function request(...targets: object[]): DataQueryRequest<DataQuery> {
  return {
    requestId: 'r1',
    targets: targets as DataQuery[],
    range: { from: dateTime(1000), to: dateTime(61_000), raw: { from: 'now-1m', to: 'now' } },
  } as unknown as DataQueryRequest<DataQuery>;
}

class FakeStore implements TraceStore {
  readonly kind = 'tempo' as const;
  searches: SpanSearch[] = [];
  signals: AbortSignal[] = [];
  constructor(private readonly behaviour: 'answer' | 'empty' | 'hang' = 'answer') {}
  async getTrace(traceId: string) {
    if (traceId !== span.traceId) {
      throw new TraceStoreError('not-found', `Trace ${traceId} is not in Tempo.`);
    }
    return { traceId, spans: [span] };
  }
  searchSpans(search: SpanSearch, signal?: AbortSignal) {
    this.searches.push(search);
    if (signal) {
      this.signals.push(signal);
    }
    if (this.behaviour === 'hang') {
      return new Promise<TraceSpan[]>(() => {});
    }
    return Promise.resolve(this.behaviour === 'empty' ? [] : [span]);
  }
}

describe('traces runtime datasource', () => {
  it('answers a trace query with one frame of spans', async () => {
    const ds = new TracesRuntimeDataSource({ traceDatasourceUid: 'x' }, () => new FakeStore());
    expect(ds.uid).toBe(TRACES_RUNTIME_DS_UID);
    const res = await firstValueFrom(ds.query(request({ refId: 'A', kind: 'trace', traceId: span.traceId })));
    expect(res.state).toBe(LoadingState.Done);
    expect(spansFromFrame(res.data[0])).toEqual([span]);
  });

  it("searches the query runner's time range unless the query names a window", async () => {
    const store = new FakeStore();
    const ds = new TracesRuntimeDataSource({ traceDatasourceUid: 'x' }, () => store);
    await firstValueFrom(
      ds.query(
        request({ refId: 'A', kind: 'search', service: 'checkout', spanKind: 'server', minDurationMs: 100, limit: 5 })
      )
    );
    await firstValueFrom(
      ds.query(request({ refId: 'B', kind: 'search', service: 'checkout', startMs: 5, endMs: 9, limit: 5 }))
    );
    expect(store.searches).toEqual([
      {
        service: 'checkout',
        kind: 'server',
        minDurationMs: 100,
        startMs: 1000,
        endMs: 61_000,
        limit: 5,
        name: undefined,
      },
      { service: 'checkout', startMs: 5, endMs: 9, limit: 5 },
    ]);
  });

  it('an empty search is an empty frame with its reason, not an error', async () => {
    const ds = new TracesRuntimeDataSource({ traceDatasourceUid: 'x' }, () => new FakeStore('empty'));
    const res = await firstValueFrom(
      ds.query(
        request({ refId: 'A', kind: 'search', service: 'checkout', spanKind: 'server', minDurationMs: 100, limit: 5 })
      )
    );
    expect(res.errors).toBeUndefined();
    expect(res.data[0].length).toBe(0);
    expect(res.data[0].meta?.notices?.[0].text).toBe(
      'No server spans of "checkout" of 100 ms or more between 1970-01-01T00:00:01.000Z and 1970-01-01T00:01:01.000Z in Tempo.'
    );
  });

  it('errors keep their kind and sentence, per query', async () => {
    const ds = new TracesRuntimeDataSource({ traceDatasourceUid: 'x' }, () => new FakeStore());
    const res: DataQueryResponse = await firstValueFrom(
      ds.query(
        request(
          { refId: 'A', kind: 'trace', traceId: 'ffff' },
          { refId: 'B', kind: 'trace', traceId: span.traceId },
          { refId: 'C', kind: 'flame' }
        )
      )
    );
    expect(res.state).toBe(LoadingState.Error);
    expect(res.data).toHaveLength(1);
    expect(res.errors?.map((e) => [e.refId, traceStoreErrorKind(e), e.message])).toEqual([
      ['A', 'not-found', 'Trace ffff is not in Tempo.'],
      ['C', 'bad-request', 'The traces datasource answers queries of kind "trace" or "search", not "flame".'],
    ]);
  });

  it('says what to set up when no trace datasource is chosen', async () => {
    const ds = new TracesRuntimeDataSource({}, () => {
      throw new TraceStoreError('not-configured', 'No trace datasource is chosen.');
    });
    const res = await firstValueFrom(ds.query(request({ refId: 'A', kind: 'trace', traceId: span.traceId })));
    expect(traceStoreErrorKind(res.errors?.[0])).toBe('not-configured');
  });

  it('unsubscribing (Scenes cancelling the query) aborts the store call', () => {
    const store = new FakeStore('hang');
    const ds = new TracesRuntimeDataSource({ traceDatasourceUid: 'x' }, () => store);
    const subscription = ds.query(request({ refId: 'A', kind: 'search', service: 'checkout', limit: 5 })).subscribe();
    return Promise.resolve().then(() => {
      expect(store.signals[0].aborted).toBe(false);
      subscription.unsubscribe();
      expect(store.signals[0].aborted).toBe(true);
    });
  });
});
