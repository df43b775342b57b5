import { spansFromFrame, spansToFrame } from './spansFrame';
import type { TraceSpan } from './types';

const span = (over: Partial<TraceSpan>): TraceSpan => ({
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: '53995c3f42cd8ad8',
  service: 'checkout',
  name: 'POST /checkout',
  kind: 'server',
  status: 'ok',
  startMs: 1_795_867_200_010.001,
  durationMs: 230.123,
  attributes: { 'http.route': '/checkout', 'http.response.status_code': 200, ok: true },
  resourceAttributes: { 'service.name': 'checkout' },
  ...over,
});

describe('spans frame', () => {
  it('gives back exactly the spans it was made of, parents and fractions of a ms included', () => {
    const spans = [
      span({}),
      span({ spanId: '0000000000005678', parentSpanId: '53995c3f42cd8ad8', kind: 'internal', status: 'error' }),
    ];
    const frame = spansToFrame(spans, 'A');
    expect(frame.refId).toBe('A');
    expect(frame.length).toBe(2);
    expect(spansFromFrame(frame)).toEqual(spans);
  });

  it('carries a notice when given one (an empty search says why it is empty)', () => {
    const frame = spansToFrame([], 'A', [{ severity: 'info', text: 'No spans' }]);
    expect(frame.meta?.notices).toEqual([{ severity: 'info', text: 'No spans' }]);
    expect(spansFromFrame(frame)).toEqual([]);
  });

  it('reads no spans from a frame of another shape', () => {
    expect(spansFromFrame(undefined)).toEqual([]);
    expect(spansFromFrame({ fields: [], length: 0 })).toEqual([]);
  });
});
