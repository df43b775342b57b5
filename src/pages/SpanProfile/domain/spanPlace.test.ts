import { demoTrace, span, T0, TRACE_ID } from '../testing/spans';
import { factsWindow, linkFacts, locateSpan, overlappingRequests, placeFacts, routeTraceIds } from './spanPlace';

describe('locateSpan', () => {
  it('finds the span, its parent and its children, earliest first', () => {
    const found = locateSpan(demoTrace(), 'bbbbbbbbbbbbbbb2');
    if (!('place' in found)) {
      throw new Error('not found');
    }
    expect(found.place.span.name).toBe('GET /checkout');
    expect(found.place.parent?.spanId).toBe('aaaaaaaaaaaaaaa1');
    expect(found.place.children.map((c) => c.spanId)).toEqual(['ddddddddddddddd4', 'ccccccccccccccc3']);
    expect(found.place.services).toEqual(['frontend', 'checkout', 'payments']);
    expect(found.place.traceWindow).toEqual({ fromMs: T0, toMs: T0 + 900 });
  });

  it('shows the root span when the link names no span', () => {
    const found = locateSpan(demoTrace(), undefined);
    expect('place' in found && found.place.span.spanId).toBe('aaaaaaaaaaaaaaa1');
  });

  it('says when the span is not in the trace, or the trace is empty', () => {
    expect(locateSpan(demoTrace(), 'ffffffffffffffff')).toEqual({ problem: 'span-not-in-trace' });
    expect(locateSpan({ traceId: TRACE_ID, spans: [] }, undefined)).toEqual({ problem: 'empty-trace' });
  });
});

describe('facts', () => {
  it('takes start and duration from a correlation link, and ignores an end before the start', () => {
    expect(linkFacts({ traceId: TRACE_ID, spanStart: 100.5, spanDuration: 20 }).endMs).toBe(120.5);
    expect(linkFacts({ traceId: TRACE_ID, spanStart: 100, spanEnd: 150, spanDuration: 5 }).endMs).toBe(150);
    expect(linkFacts({ traceId: TRACE_ID, spanStart: 100, spanEnd: 50 }).endMs).toBeUndefined();
  });

  it("prefers the trace store's facts, with the route from http.route", () => {
    const found = locateSpan(demoTrace(), 'bbbbbbbbbbbbbbb2');
    if (!('place' in found)) {
      throw new Error('not found');
    }
    const facts = placeFacts(linkFacts({ traceId: TRACE_ID, service: 'wrong' }), found.place);
    expect(facts).toMatchObject({ service: 'checkout', route: '/checkout', startMs: T0 + 10.25, endMs: T0 + 810.75 });
    expect(factsWindow(facts)).toEqual({ fromMs: T0 + 10, toMs: T0 + 811 });
  });
});

describe('overlappingRequests', () => {
  const facts = { traceId: TRACE_ID, spanId: 'bbbbbbbbbbbbbbb2', service: 'checkout' };
  const window = { fromMs: T0, toMs: T0 + 100 };

  it("counts other server spans of the service that overlap the window, once each, never the span's own", () => {
    const spans = [
      span({ spanId: 'bbbbbbbbbbbbbbb2', at: 0, ms: 100 }),
      span({ traceId: 'other1', spanId: '1111111111111111', at: -50, ms: 60 }),
      span({ traceId: 'other1', spanId: '1111111111111111', at: -50, ms: 60 }),
      span({ traceId: 'other2', spanId: '2222222222222222', at: 99, ms: 500 }),
      span({ traceId: 'other3', spanId: '3333333333333333', at: 100, ms: 5 }),
      span({ traceId: 'other4', spanId: '4444444444444444', at: -10, ms: 10 }),
      span({ traceId: 'other5', spanId: '5555555555555555', at: 10, ms: 10, kind: 'client' }),
      span({ traceId: 'other6', spanId: '6666666666666666', at: 10, ms: 10, service: 'payments' }),
    ];
    expect(overlappingRequests(spans, facts, window)).toBe(2);
  });
});

describe('routeTraceIds', () => {
  it("collects the trace ids of the route's server spans of the same service, up to the limit", () => {
    const facts = { traceId: TRACE_ID, service: 'checkout', name: 'GET /checkout' };
    const spans = [
      span({ traceId: '00000000000000000000000000000001', spanId: '1111111111111111' }),
      span({ traceId: '00000000000000000000000000000001', spanId: '1111111111111112' }),
      span({ traceId: '00000000000000000000000000000002', spanId: '2222222222222222', name: 'GET /cart' }),
      span({ traceId: '00000000000000000000000000000003', spanId: '3333333333333333', kind: 'client' }),
      span({ traceId: '00000000000000000000000000000004', spanId: '4444444444444444', service: 'payments' }),
      span({ traceId: 'not hex', spanId: '5555555555555555' }),
      span({ traceId: '00000000000000000000000000000006', spanId: '6666666666666666' }),
    ];
    expect(routeTraceIds(spans, facts, 10)).toEqual([
      '00000000000000000000000000000001',
      '00000000000000000000000000000006',
    ]);
    expect(routeTraceIds(spans, facts, 1)).toEqual(['00000000000000000000000000000001']);
  });
});
