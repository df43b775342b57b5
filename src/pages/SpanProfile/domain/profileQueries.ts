/**
 * The Parca queries behind each view of the span page, and the window each runs over.
 *
 * - span: samples labelled with the span's span_id (its own CPU), in the span's window;
 * - subtree: samples labelled with its trace_id in the span's window, across services (the span and
 *   what it called);
 * - trace: samples labelled with its trace_id over the whole trace, one flame graph node per service;
 * - route: the same route's requests over the page's time range (for spans too short to profile);
 * - the window fallback: all of the service's samples in the profiles that cover the span's window.
 *
 * Every query carries its window as the query runner's time range: the backend reads the range with
 * millisecond precision (pkg/integration/window_test.go holds that 120 ms windows stay apart). But
 * Parca stamps a profile with the start of its collection window, not each sample with its own time,
 * so a span's samples sit in a profile stamped up to one collection window before the span started:
 * the span's queries start that much earlier (stampedWindow).
 */
import { formatSelector, type LabelMatcher } from '../../../datasource/selector';
import { type ParcaQuery, QueryType } from '../../../datasource/types';
import type { SpanView } from '../../../shared/appUrls';
import type { SpanFacts } from './spanPlace';
import type { TimeWindow } from './spanWindow';

export interface PlannedQuery {
  query: ParcaQuery;
  window: TimeWindow;
  /** Whether the query selects by trace_id/span_id labels (an empty answer then means unlabelled work, too). */
  labelled: boolean;
}

export interface QueryInputs {
  facts: SpanFacts;
  /** The span's own window. */
  spanWindow: TimeWindow;
  /** The trace's window, when the trace store answered. */
  traceWindow?: TimeWindow;
  /** The page's time range, for the route view. */
  pageWindow: TimeWindow;
  serviceLabel: string;
  profileType: string;
  /** Trace ids of the route's requests over the page range (route view). */
  routeTraceIds?: string[];
}

/**
 * How far before a span its samples can be stamped: one collection window of the longest usual kind
 * (a scraped Go CPU profile covers the scrape's `seconds`, 10 s by default; the local stack's relay
 * collects 5 s). Labelled queries lose nothing by it, their labels keep other requests out; the
 * window fallback takes in that much more of the service's CPU and says so.
 */
export const PROFILE_STAMP_LOOKBACK_MS = 10_000;

/** The window to ask Parca for to get every profile that covers `window` (see PROFILE_STAMP_LOOKBACK_MS). */
export function stampedWindow(window: TimeWindow): TimeWindow {
  return { fromMs: window.fromMs - PROFILE_STAMP_LOOKBACK_MS, toMs: window.toMs };
}

/**
 * Where to look up the profile types before the first query: the page's range, widened to every
 * profile that can hold the span's or the trace's samples (stampedWindow). A link can make the
 * page's range as narrow as the trace itself (the trace view's header passes the trace's own
 * sub-second range), and Parca stamps a CPU profile with the start of its collection window: in such
 * a range it may hold no CPU profile at all, and the page would pick another type or none.
 */
export function profileTypesWindow(page: TimeWindow, ...windows: Array<TimeWindow | undefined>): TimeWindow {
  let { fromMs, toMs } = page;
  for (const w of windows) {
    if (w) {
      fromMs = Math.min(fromMs, stampedWindow(w).fromMs);
      toMs = Math.max(toMs, w.toMs);
    }
  }
  return { fromMs, toMs };
}

/** Node trimming off: a span's profile is small, and a dropped node would hide what the span did. */
const KEEP_EVERY_NODE = 0;

function profileQuery(refId: string, profileType: string, rest: Partial<ParcaQuery>): ParcaQuery {
  return {
    refId,
    queryType: QueryType.Profile,
    profileType,
    labelSelector: '{}',
    nodeTrimThreshold: KEEP_EVERY_NODE,
    ...rest,
  };
}

/** The labelled query of a view; undefined when the view cannot be asked yet (route ids or span id unknown). */
export function viewQuery(view: SpanView, p: QueryInputs): PlannedQuery | undefined {
  const { facts } = p;
  switch (view) {
    case 'span':
      if (!facts.spanId) {
        return undefined;
      }
      return {
        query: profileQuery('span', p.profileType, { traceId: facts.traceId, spanId: facts.spanId }),
        window: stampedWindow(p.spanWindow),
        labelled: true,
      };
    case 'subtree':
      return {
        query: profileQuery('subtree', p.profileType, { traceId: facts.traceId }),
        window: stampedWindow(p.spanWindow),
        labelled: true,
      };
    case 'trace':
      return {
        query: profileQuery('trace', p.profileType, { traceId: facts.traceId, groupBy: [p.serviceLabel] }),
        window: stampedWindow(p.traceWindow ?? p.spanWindow),
        labelled: true,
      };
    case 'route':
      return routeQuery(p);
  }
}

function routeQuery(p: QueryInputs): PlannedQuery | undefined {
  if (!p.facts.service || !p.routeTraceIds || p.routeTraceIds.length === 0) {
    return undefined;
  }
  const matchers: LabelMatcher[] = [
    { name: p.serviceLabel, operator: '=', value: p.facts.service },
    { name: 'trace_id', operator: '=~', value: `(${p.routeTraceIds.join('|')})` },
  ];
  return {
    query: profileQuery('route', p.profileType, { labelSelector: formatSelector(matchers) }),
    window: p.pageWindow,
    labelled: true,
  };
}

/**
 * The fallback: all of the service's CPU in the profiles that cover the span's window (from one
 * collection window before it). Undefined without a service.
 */
export function windowQuery(p: QueryInputs): PlannedQuery | undefined {
  if (!p.facts.service) {
    return undefined;
  }
  return {
    query: profileQuery('window', p.profileType, {
      labelSelector: formatSelector([{ name: p.serviceLabel, operator: '=', value: p.facts.service }]),
    }),
    window: stampedWindow(p.spanWindow),
    labelled: false,
  };
}

/** Views whose empty answer falls back to the service's window (the others have no single service window). */
export function viewFallsBackToWindow(view: SpanView): boolean {
  return view === 'span' || view === 'subtree';
}

export const SPAN_VIEWS: Array<{ value: SpanView; label: string; description: string }> = [
  { value: 'span', label: 'This span', description: "Samples labelled with this span's span_id: its own CPU" },
  {
    value: 'subtree',
    label: 'Span and children',
    description: "Samples labelled with this trace's trace_id inside the span's window, in every service",
  },
  { value: 'trace', label: 'Whole trace', description: "Samples labelled with this trace's trace_id, by service" },
  {
    value: 'route',
    label: 'Same route',
    description: "The merged profile of this route's requests over the time range",
  },
];

export function parseSpanView(raw: unknown): SpanView {
  return SPAN_VIEWS.some((v) => v.value === raw) ? (raw as SpanView) : 'span';
}
