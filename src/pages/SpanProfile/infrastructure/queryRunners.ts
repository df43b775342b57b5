/**
 * The span page's data, all through Scenes query runners: the trace (the span, its parent and
 * children), other requests of the service in the span's window (the overlap count), the route's
 * requests over the page range, and the Parca profile of the chosen view in its exact window.
 */
import type { PanelData } from '@grafana/data';
import { SceneQueryRunner, SceneTimeRange } from '@grafana/scenes';

import type { AppSettings } from '../../../shared/appSettings';
import {
  type SpanSearch,
  TRACES_RUNTIME_DS_TYPE,
  TRACES_RUNTIME_DS_UID,
  type TraceQuery,
} from '../../../shared/traces/types';
import type { PlannedQuery } from '../domain/profileQueries';
import { windowAsTimeRangeState, type TimeWindow } from '../domain/spanWindow';

export const PARCA_DS_TYPE = 'spanflame-parca-datasource';
const TRACES_DS = { uid: TRACES_RUNTIME_DS_UID, type: TRACES_RUNTIME_DS_TYPE };

/** Upper bound of spans asked for when counting overlaps or collecting a route's requests. */
export const SEARCH_LIMIT = 1000;
/** The route view merges at most this many requests (a regex of trace ids; Parca matches it per series). */
export const ROUTE_TRACE_LIMIT = 200;

/** The trace by id: every span of it, so the page can place the span between its parent and children. */
export function buildSpanQueryRunner(traceId: string): SceneQueryRunner {
  const query: TraceQuery = { refId: 'trace', kind: 'trace', traceId };
  return new SceneQueryRunner({ datasource: TRACES_DS, queries: [query] });
}

/**
 * How far before a window the overlap search looks for every request. Trace stores search by span
 * start (Jaeger keeps a span whose start lies in the range; Tempo's search on the same Jaeger
 * likewise), so a request that began before the window and still ran in it is only found by starting
 * earlier. Before that, only requests longer than this can reach the window: a second search asks for
 * those alone, back to OVERLAP_LONG_LOOKBACK_MS, so a busy service does not fill the limit with
 * requests that ended long before. The exact cut (overlappingRequests) is made on the page.
 */
export const OVERLAP_SEARCH_LOOKBACK_MS = 60_000;
export const OVERLAP_LONG_LOOKBACK_MS = 3_600_000;

/** Spans of the service that may overlap a window: other requests whose CPU a window profile mixes in. */
export function buildOverlapQueryRunner(service: string, window: TimeWindow): SceneQueryRunner {
  const recentFrom = window.fromMs - OVERLAP_SEARCH_LOOKBACK_MS;
  const longFrom = window.fromMs - OVERLAP_LONG_LOOKBACK_MS;
  return searchRunner(
    [
      { refId: 'overlap', service, limit: SEARCH_LIMIT, startMs: recentFrom, endMs: window.toMs },
      {
        refId: 'overlap-long',
        service,
        limit: SEARCH_LIMIT,
        minDurationMs: OVERLAP_SEARCH_LOOKBACK_MS,
        startMs: longFrom,
        endMs: recentFrom,
      },
    ],
    { fromMs: longFrom, toMs: window.toMs }
  );
}

/** The route's requests (spans of the same service and name) over the page range. */
export function buildRouteSpansQueryRunner(service: string, name: string, window: TimeWindow): SceneQueryRunner {
  return searchRunner(
    [{ refId: 'route', service, name, limit: ROUTE_TRACE_LIMIT, startMs: window.fromMs, endMs: window.toMs }],
    window
  );
}

/** The profile of a planned query, over its own window exact to the millisecond. */
export function buildSpanProfileQueryRunner(settings: Pick<AppSettings, 'parcaDatasourceUid'>, planned: PlannedQuery) {
  const runner = new SceneQueryRunner({
    datasource: { uid: settings.parcaDatasourceUid, type: PARCA_DS_TYPE },
    queries: [{ ...planned.query, datasource: { uid: settings.parcaDatasourceUid, type: PARCA_DS_TYPE } }],
  });
  return withWindow(runner, planned.window);
}

function withWindow(runner: SceneQueryRunner, window: TimeWindow): SceneQueryRunner {
  runner.setState({ $timeRange: new SceneTimeRange(windowAsTimeRangeState(window)) });
  return runner;
}

type ServerSpanSearch = { refId: string } & Pick<
  SpanSearch,
  'service' | 'name' | 'limit' | 'minDurationMs' | 'startMs' | 'endMs'
>;

/** Searches of the traces runtime datasource for server spans of a service, over `window` in all. */
function searchRunner(searches: ServerSpanSearch[], window: TimeWindow) {
  const queries: TraceQuery[] = searches.map((search) => ({ kind: 'search', spanKind: 'server', ...search }));
  return withWindow(new SceneQueryRunner({ datasource: TRACES_DS, queries }), window);
}

/** Whether a runner's answer is final (done or failed), not loading. */
export function isDone(data: PanelData | undefined): boolean {
  return data !== undefined && (data.state === 'Done' || data.state === 'Error');
}
