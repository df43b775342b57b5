import { noSamplesReasons, parcaProblem, traceStoreErrorKind, traceStoreProblem } from './messages';

describe('noSamplesReasons', () => {
  it('puts a span shorter than the sampling period first', () => {
    const reasons = noSamplesReasons({
      durationMs: 20,
      hz: 19,
      service: 'checkout',
      serviceLabel: 'service_name',
      labelled: true,
    });
    expect(reasons[0]).toContain('shorter than the sampling period (53 ms at 19 Hz)');
    expect(reasons[1]).toContain('worker');
    expect(reasons[2]).toContain('service_name="checkout"');
  });

  it('leaves out what cannot be the cause', () => {
    const reasons = noSamplesReasons({
      durationMs: 500,
      hz: 19,
      service: 'checkout',
      serviceLabel: 'service_name',
      labelled: false,
    });
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toContain('No profiler');
  });
});

describe('failures', () => {
  it('gives each failure its own sentence naming what to check', () => {
    const id = '0af7651916cd43dd8448eb211c80319c';
    const sentences = (['not-found', 'unreachable', 'not-configured', 'bad-request', 'bad-answer'] as const).map((k) =>
      traceStoreProblem(k, id)
    );
    expect(new Set(sentences).size).toBe(5);
    expect(sentences[0]).toContain(id);
    expect(sentences[0]).toContain('retention');
    expect(sentences[1]).toContain('Save & test');
    expect(sentences[2]).toContain('configuration page');
    expect(parcaProblem('connection refused', 'spanflame-parca')).toContain('"spanflame-parca"');
  });

  it('reads the kind of a trace store failure from the query error', () => {
    expect(traceStoreErrorKind({ message: 'trace abc: not-found' })).toBe('not-found');
    expect(traceStoreErrorKind({ message: 'Trace not found', status: 404 })).toBe('not-found');
    expect(traceStoreErrorKind({ message: 'dial tcp: connection refused' })).toBe('unreachable');
    expect(traceStoreErrorKind({ status: 400 })).toBe('bad-request');
  });
});
