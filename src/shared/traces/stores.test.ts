import { JaegerStore } from './jaegerStore';
import { TempoStore } from './tempoStore';
import { FIXTURE, installFakeBackend, recordedRoutes, type Route } from './testing/recordedStores';
import { type SpanSearch, type TraceSpan, TraceStoreError } from './types';

const tempo = () => new TempoStore({ uid: 'tempo-uid', storeName: 'Tempo', timeoutMs: 2000 });
const jaeger = () => new JaegerStore({ uid: 'jaeger-uid', storeName: 'Jaeger', timeoutMs: 2000 });

const byId = (spans: TraceSpan[]) => [...spans].sort((a, b) => a.spanId.localeCompare(b.spanId));

const slowCheckout: SpanSearch = {
  service: 'checkout',
  kind: 'server',
  minDurationMs: 100,
  startMs: FIXTURE.startMs,
  endMs: FIXTURE.endMs,
  limit: 20,
};

async function failure(p: Promise<unknown>): Promise<TraceStoreError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(TraceStoreError);
    return err as TraceStoreError;
  }
  throw new Error('expected a TraceStoreError');
}

describe('Tempo and Jaeger stores on the same recorded spans', () => {
  beforeEach(() => installFakeBackend(recordedRoutes()));

  it('give the same trace by id, every field', async () => {
    const [fromTempo, fromJaeger] = await Promise.all([
      tempo().getTrace(FIXTURE.trace),
      jaeger().getTrace(FIXTURE.trace),
    ]);
    expect(fromTempo.spans).toHaveLength(3);
    expect(byId(fromTempo.spans)).toEqual(byId(fromJaeger.spans));
  });

  it('read the checkout span exactly as it was sent', async () => {
    const { spans } = await tempo().getTrace(FIXTURE.trace);
    const checkout = spans.find((s) => s.spanId === '53995c3f42cd8ad8');
    expect(checkout).toEqual({
      traceId: FIXTURE.trace,
      spanId: '53995c3f42cd8ad8',
      parentSpanId: '00f067aa0ba902b7',
      service: 'checkout',
      name: 'POST /checkout',
      kind: 'server',
      status: 'error',
      startMs: 1_795_867_200_010,
      durationMs: 230.123,
      attributes: {
        'http.route': '/checkout',
        'http.response.status_code': 500,
        'cart.value': 41.5,
        'cart.express': true,
        note: 'a "quoted" \\ value',
      },
      resourceAttributes: { 'service.name': 'checkout', 'service.namespace': 'shop' },
    });
    expect(spans.find((s) => s.spanId === 'b7ad6b7169203331')?.parentSpanId).toBeUndefined();
  });

  it('find the same slow server spans of a service', async () => {
    const [fromTempo, fromJaeger] = await Promise.all([
      tempo().searchSpans(slowCheckout),
      jaeger().searchSpans(slowCheckout),
    ]);
    const core = (s: TraceSpan) => [s.traceId, s.spanId, s.service, s.name, s.kind, s.status, s.startMs, s.durationMs];
    expect(fromTempo.map(core)).toEqual([
      [FIXTURE.trace, '53995c3f42cd8ad8', 'checkout', 'POST /checkout', 'server', 'error', 1_795_867_200_010, 230.123],
    ]);
    expect(fromJaeger.map(core)).toEqual(fromTempo.map(core));
    expect(fromTempo[0].attributes).toEqual({ 'http.route': '/checkout', 'http.response.status_code': 500 });
  });

  it('Jaeger: cuts whole traces down to the searched spans (kind, duration, window)', async () => {
    const fast = await jaeger().searchSpans({ ...slowCheckout, minDurationMs: undefined, maxDurationMs: 99 });
    expect(fast.map((s) => s.spanId)).toEqual(['0000000000001234']);
    const internal = await jaeger().searchSpans({ ...slowCheckout, kind: 'internal', minDurationMs: undefined });
    expect(internal.map((s) => s.name)).toEqual(['price cart']);
    const before = await jaeger().searchSpans({
      ...slowCheckout,
      minDurationMs: undefined,
      kind: undefined,
      endMs: FIXTURE.startMs + 5,
    });
    expect(before).toEqual([]);
  });
});

describe('what the stores ask for', () => {
  it('Tempo: TraceQL with the search, start and end in Unix seconds, end after start', async () => {
    const requests = installFakeBackend(recordedRoutes());
    await tempo().searchSpans({ ...slowCheckout, name: 'POST /checkout', startMs: 1000.4, endMs: 1000.6 });
    expect(requests[0].url).toBe('/api/datasources/proxy/uid/tempo-uid/api/search');
    expect(requests[0].params).toEqual({
      q: '{ resource.service.name = "checkout" && kind = server && name = "POST /checkout" && duration >= 100ms } | select(status, kind, span.http.route, span.http.response.status_code)',
      start: 1,
      end: 2,
      limit: 20,
      spss: 20,
    });
  });

  it('Jaeger: service, operation, microsecond window and durations', async () => {
    const requests = installFakeBackend(recordedRoutes());
    await jaeger().searchSpans({ ...slowCheckout, name: 'POST /checkout', maxDurationMs: 250.5 });
    expect(requests[0].url).toBe('/api/datasources/proxy/uid/jaeger-uid/api/traces');
    expect(requests[0].params).toEqual({
      service: 'checkout',
      operation: 'POST /checkout',
      start: FIXTURE.startMs * 1000,
      end: FIXTURE.endMs * 1000,
      minDuration: '100ms',
      maxDuration: '250.5ms',
      limit: 20,
    });
  });
});

describe('failures say what to check', () => {
  it('an unknown trace id is not-found, naming the id and the datasource', async () => {
    installFakeBackend(recordedRoutes());
    for (const store of [tempo(), jaeger()]) {
      const err = await failure(store.getTrace('ffff'));
      expect(err.kind).toBe('not-found');
      expect(err.message).toContain('Trace 0000000000000000000000000000ffff is not in');
    }
  });

  it('a trace id that is not hex is a bad request before any call', async () => {
    const requests = installFakeBackend(recordedRoutes());
    const err = await failure(tempo().getTrace('not a trace'));
    expect(err.kind).toBe('bad-request');
    expect(requests).toHaveLength(0);
  });

  it('an unreachable store is unreachable, naming the datasource and what to check', async () => {
    installFakeBackend([() => ({ status: 502, data: { message: 'Bad Gateway' } })]);
    const err = await failure(jaeger().getTrace(FIXTURE.trace));
    expect(err.kind).toBe('unreachable');
    expect(err.message).toMatch(
      /Jaeger could not be reached through the Jaeger datasource "jaeger-uid".*Check that Jaeger is running/
    );
  });

  it("a refused query is a bad request carrying the store's sentence", async () => {
    installFakeBackend([() => ({ status: 400, data: 'TraceQL at character 3: field "x" is not supported' })]);
    const err = await failure(tempo().searchSpans(slowCheckout));
    expect(err.kind).toBe('bad-request');
    expect(err.message).toContain('field "x" is not supported');
  });

  it('an answer of another shape is a bad answer, not NaN spans', async () => {
    installFakeBackend([() => ({ status: 200, data: '<html>login</html>' })]);
    expect((await failure(tempo().getTrace(FIXTURE.trace))).kind).toBe('bad-answer');
    installFakeBackend([
      () => ({
        status: 200,
        data: { traces: [{ traceID: 'abc', spanSets: [{ spans: [{ spanID: '1', startTimeUnixNano: 'soon' }] }] }] },
      }),
    ]);
    expect((await failure(tempo().searchSpans(slowCheckout))).kind).toBe('bad-answer');
  });

  it('a search that cannot match anything is refused with every reason', async () => {
    installFakeBackend(recordedRoutes());
    const err = await failure(
      tempo().searchSpans({ ...slowCheckout, service: ' ', endMs: 0, limit: 0, maxDurationMs: 5 })
    );
    expect(err.kind).toBe('bad-request');
    expect(err.message).toMatch(/name a service.*end is after its start.*limit above 0.*no more than the maximum/);
  });

  it('a store that does not answer times out', async () => {
    installFakeBackend([() => 'hang']);
    const store = new TempoStore({ uid: 'tempo-uid', storeName: 'Tempo', timeoutMs: 50 });
    const err = await failure(store.getTrace(FIXTURE.trace));
    expect(err.kind).toBe('unreachable');
    expect(err.message).toContain('did not answer within');
  });

  it('an aborted call stops at once', async () => {
    installFakeBackend([() => 'hang']);
    const controller = new AbortController();
    const pending = jaeger().getTrace(FIXTURE.trace, controller.signal);
    controller.abort();
    expect((await failure(pending)).message).toContain('was cancelled');
  });
});

describe('Tempo search answers as Tempo writes them', () => {
  const answer =
    (traces: unknown): Route =>
    () => ({ status: 200, data: { traces } });

  it('reads trace ids without leading zeros and the older single spanSet', async () => {
    installFakeBackend([
      answer([
        {
          traceID: 'abcd',
          spanSet: {
            spans: [
              {
                spanID: '0000000000001234',
                name: 'POST /checkout',
                startTimeUnixNano: '1795867201000000000',
                durationNanos: '150000000',
                attributes: [{ key: 'kind', value: { stringValue: 'server' } }],
              },
            ],
          },
        },
      ]),
    ]);
    const spans = await tempo().searchSpans(slowCheckout);
    expect(spans.map((s) => [s.traceId, s.spanId, s.kind, s.durationMs])).toEqual([
      [FIXTURE.fastTrace, '0000000000001234', 'server', 150],
    ]);
  });

  it('an answer without traces is an empty list', async () => {
    installFakeBackend([() => ({ status: 200, data: { metrics: {} } })]);
    await expect(tempo().searchSpans(slowCheckout)).resolves.toEqual([]);
  });
});
