import { createDataFrame, FieldType } from '@grafana/data';
import { sceneGraph } from '@grafana/scenes';

import { T0, TRACE_ID } from '../testing/spans';
import type { PlannedQuery } from '../domain/profileQueries';
import { exploreUrl, pprofUrl, profileTotal } from './profileLinks';
import {
  buildOverlapQueryRunner,
  OVERLAP_LONG_LOOKBACK_MS,
  OVERLAP_SEARCH_LOOKBACK_MS,
  buildRouteSpansQueryRunner,
  buildSpanProfileQueryRunner,
  buildSpanQueryRunner,
} from './queryRunners';

const planned: PlannedQuery = {
  query: {
    refId: 'span',
    queryType: 'profile' as PlannedQuery['query']['queryType'],
    profileType: 'parca_agent:samples:count:cpu:nanoseconds:delta',
    labelSelector: '{}',
    traceId: TRACE_ID,
    spanId: 'bbbbbbbbbbbbbbb2',
  },
  window: { fromMs: T0 + 10, toMs: T0 + 131 },
  labelled: true,
};

describe('query runners', () => {
  it('asks the traces runtime datasource for the trace by id', () => {
    const runner = buildSpanQueryRunner(TRACE_ID);
    expect(runner.state.datasource).toEqual({ uid: 'spanflame-traces', type: 'spanflame-traces' });
    expect(runner.state.queries).toEqual([{ refId: 'trace', kind: 'trace', traceId: TRACE_ID }]);
  });

  it("runs the profile query on the settings' Parca datasource over the exact window", () => {
    const runner = buildSpanProfileQueryRunner({ parcaDatasourceUid: 'my-parca' }, planned);
    expect(runner.state.datasource).toEqual({ uid: 'my-parca', type: 'spanflame-parca-datasource' });
    expect(runner.state.queries[0]).toMatchObject({ traceId: TRACE_ID, spanId: 'bbbbbbbbbbbbbbb2' });
    const range = sceneGraph.getTimeRange(runner).state.value;
    expect(range.from.valueOf()).toBe(T0 + 10);
    expect(range.to.valueOf()).toBe(T0 + 131);
  });

  it('searches the service from before the window for overlaps, and the route over the page range', () => {
    const overlap = buildOverlapQueryRunner('checkout', planned.window);
    // Stores search by span start: a request that began earlier and still ran is found from before.
    expect(overlap.state.queries[0]).toMatchObject({
      kind: 'search',
      service: 'checkout',
      startMs: T0 + 10 - OVERLAP_SEARCH_LOOKBACK_MS,
      endMs: T0 + 131,
    });
    // Before that, only requests long enough to reach the window.
    expect(overlap.state.queries[1]).toMatchObject({
      kind: 'search',
      service: 'checkout',
      minDurationMs: OVERLAP_SEARCH_LOOKBACK_MS,
      startMs: T0 + 10 - OVERLAP_LONG_LOOKBACK_MS,
      endMs: T0 + 10 - OVERLAP_SEARCH_LOOKBACK_MS,
    });
    const route = buildRouteSpansQueryRunner('checkout', 'GET /checkout', planned.window);
    expect(route.state.queries[0]).toMatchObject({ kind: 'search', service: 'checkout', name: 'GET /checkout' });
    expect(sceneGraph.getTimeRange(route).state.value.from.valueOf()).toBe(T0 + 10);
  });
});

describe('profile links', () => {
  it('downloads the same selection as pprof, with the ids and exact window', () => {
    const url = new URL(pprofUrl('spanflame-parca', planned, '/grafana')!, 'http://host');
    expect(url.pathname).toBe('/grafana/api/datasources/uid/spanflame-parca/resources/pprof');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      profileType: planned.query.profileType,
      labelSelector: '{}',
      traceId: TRACE_ID,
      spanId: 'bbbbbbbbbbbbbbb2',
      from: String(T0 + 10),
      to: String(T0 + 131),
    });
  });

  it('opens Explore on the Parca datasource with the query and window', () => {
    const url = new URL(exploreUrl('spanflame-parca', planned), 'http://host');
    expect(url.pathname).toBe('/explore');
    const panes = JSON.parse(url.searchParams.get('panes')!);
    expect(panes.spanflame.datasource).toBe('spanflame-parca');
    expect(panes.spanflame.range).toEqual({ from: String(T0 + 10), to: String(T0 + 131) });
    expect(panes.spanflame.queries[0]).toMatchObject({
      refId: 'A',
      traceId: TRACE_ID,
      spanId: 'bbbbbbbbbbbbbbb2',
      datasource: { uid: 'spanflame-parca', type: 'spanflame-parca-datasource' },
    });
  });

  it("reads a profile's total from its root, 0 when empty, undefined without a profile", () => {
    const frame = (values: number[]) =>
      createDataFrame({
        fields: [
          { name: 'level', type: FieldType.number, values: values.map((_, i) => i) },
          { name: 'value', type: FieldType.number, values },
        ],
        meta: { preferredVisualisationType: 'flamegraph' },
      });
    expect(profileTotal([frame([42, 30])])).toBe(42);
    expect(profileTotal([frame([])])).toBe(0);
    expect(profileTotal([])).toBeUndefined();
  });
});
