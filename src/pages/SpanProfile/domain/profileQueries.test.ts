import { T0, TRACE_ID } from '../testing/spans';
import {
  parseSpanView,
  PROFILE_STAMP_LOOKBACK_MS,
  profileTypesWindow,
  stampedWindow,
  viewQuery,
  windowQuery,
  type QueryInputs,
} from './profileQueries';

const CPU = 'parca_agent:samples:count:cpu:nanoseconds:delta';
const inputs: QueryInputs = {
  facts: { traceId: TRACE_ID, spanId: 'bbbbbbbbbbbbbbb2', service: 'checkout' },
  spanWindow: { fromMs: T0 + 10, toMs: T0 + 811 },
  traceWindow: { fromMs: T0, toMs: T0 + 900 },
  pageWindow: { fromMs: T0 - 900_000, toMs: T0 + 900_000 },
  serviceLabel: 'service_name',
  profileType: CPU,
  routeTraceIds: ['00000000000000000000000000000001', '00000000000000000000000000000002'],
};

describe('viewQuery', () => {
  it("asks for the span's own samples in the profiles that cover its window", () => {
    expect(viewQuery('span', inputs)).toEqual({
      query: expect.objectContaining({
        queryType: 'profile',
        profileType: CPU,
        traceId: TRACE_ID,
        spanId: 'bbbbbbbbbbbbbbb2',
      }),
      // Parca stamps a profile with the start of its collection window: ask from one window earlier.
      window: { fromMs: T0 + 10 - PROFILE_STAMP_LOOKBACK_MS, toMs: T0 + 811 },
      labelled: true,
    });
  });

  it("asks for the trace's samples in the span's window across services for the subtree", () => {
    const planned = viewQuery('subtree', inputs);
    expect(planned?.query).toMatchObject({ traceId: TRACE_ID, labelSelector: '{}' });
    expect(planned?.query.spanId).toBeUndefined();
    expect(planned?.window).toEqual(stampedWindow(inputs.spanWindow));
  });

  it('groups the whole trace by the service label over the trace window', () => {
    const planned = viewQuery('trace', inputs);
    expect(planned?.query).toMatchObject({ traceId: TRACE_ID, groupBy: ['service_name'] });
    expect(planned?.window).toEqual(stampedWindow(inputs.traceWindow!));
  });

  it("merges the route's requests of the service over the page range", () => {
    const planned = viewQuery('route', inputs);
    expect(planned?.query.labelSelector).toBe(
      '{service_name="checkout", trace_id=~"(00000000000000000000000000000001|00000000000000000000000000000002)"}'
    );
    expect(planned?.window).toEqual(inputs.pageWindow);
    expect(viewQuery('route', { ...inputs, routeTraceIds: [] })).toBeUndefined();
  });

  it('cannot ask for a span without its id', () => {
    expect(viewQuery('span', { ...inputs, facts: { traceId: TRACE_ID } })).toBeUndefined();
  });
});

describe('windowQuery', () => {
  it("selects all of the service's samples in the span's window, escaping the name", () => {
    const planned = windowQuery({ ...inputs, facts: { ...inputs.facts, service: 'a"b' } });
    expect(planned?.query.labelSelector).toBe('{service_name="a\\"b"}');
    expect(planned?.query.traceId).toBeUndefined();
    expect(planned?.window).toEqual(stampedWindow(inputs.spanWindow));
    expect(planned?.labelled).toBe(false);
    expect(windowQuery({ ...inputs, facts: { traceId: TRACE_ID } })).toBeUndefined();
  });
});

describe('profileTypesWindow', () => {
  it("widens a page range as narrow as the trace to the profiles that can hold the trace's samples", () => {
    // The trace view's header links with the trace's own range: no CPU profile may be stamped inside it.
    const trace = { fromMs: T0, toMs: T0 + 900 };
    expect(profileTypesWindow(trace, inputs.spanWindow, trace)).toEqual({
      fromMs: T0 - PROFILE_STAMP_LOOKBACK_MS,
      toMs: T0 + 900,
    });
  });

  it('keeps a page range that already covers them, and skips unknown windows', () => {
    expect(profileTypesWindow(inputs.pageWindow, inputs.spanWindow, undefined)).toEqual(inputs.pageWindow);
  });
});

it('reads a view from the URL, defaulting to the span', () => {
  expect(parseSpanView('trace')).toBe('trace');
  expect(parseSpanView('bogus')).toBe('span');
  expect(parseSpanView(undefined)).toBe('span');
});
