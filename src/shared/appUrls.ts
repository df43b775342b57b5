/**
 * Every URL of the app's pages, built in one place: pages, extension links, correlations and tests
 * use these builders, so a page's query parameters are written once. All state of a page lives in
 * its URL (Scenes' URL sync reads the same keys), so any of these links can be shared.
 *
 * Times: `from`/`to` are the Scenes time range (epoch ms or Grafana's relative syntax); span times
 * are epoch milliseconds and may carry a fraction (Grafana passes span starts in microseconds).
 */
import pluginJson from '../plugin.json';

export const APP_BASE_URL = `/a/${pluginJson.id}`;

/** Where the app's settings page is in Grafana (the app's config page, AppPlugin.addConfigPage). */
export const APP_SETTINGS_URL = `/plugins/${pluginJson.id}`;

export enum ROUTES {
  /** Service overview (the app's home): RED from Beyla beside CPU from Parca. */
  Home = 'home',
  /** One service: tabs RED / Profile / Slow spans / Why slow. */
  Service = 'service',
  /** One span's CPU profile. */
  Span = 'span',
  /** A whole trace: CPU waterfall. */
  Trace = 'trace',
  /** Profiles missing a trace link, and why. */
  Coverage = 'coverage',
  /** Any service's flame graph over a range. */
  FlameGraph = 'flame-graph',
}

export type ServiceTab = 'red' | 'profile' | 'slow-spans' | 'why-slow';
/**
 * What the span page shows: the span's own CPU, the span and what it called, the whole trace by service,
 * or the merged profile of the same route's spans over the time range (for spans too short to profile).
 */
export type SpanView = 'span' | 'subtree' | 'trace' | 'route';

export interface TimeRangeParams {
  from?: string | number;
  to?: string | number;
}

export interface SpanPageParams extends TimeRangeParams {
  traceId: string;
  spanId?: string;
  /** Span start, epoch milliseconds (fractions allowed). */
  spanStart?: number;
  /** Span end, epoch milliseconds (fractions allowed). */
  spanEnd?: number;
  /**
   * Span duration in milliseconds, for callers that know the start and duration but cannot add them
   * (a Grafana correlation fills `startTime` and `duration` from the trace frame). Ignored when spanEnd is set.
   */
  spanDuration?: number;
  service?: string;
  view?: SpanView;
}

function withParams(path: string, params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '' && !(typeof value === 'number' && !Number.isFinite(value))) {
      search.set(key, String(value));
    }
  }
  const query = search.toString();
  return query ? `${APP_BASE_URL}/${path}?${query}` : `${APP_BASE_URL}/${path}`;
}

export function homeUrl(range: TimeRangeParams = {}): string {
  return withParams(ROUTES.Home, { ...range });
}

/**
 * The service page. `route`: the Why slow tab's route (a span name); `minMs`/`maxMs`: the Slow spans
 * tab's duration band in milliseconds (a latency heatmap cell links here with its bucket's bounds);
 * `profileType`: the Profile and Why slow tabs' type, else the first CPU type.
 */
export function serviceUrl(
  p: {
    service: string;
    tab?: ServiceTab;
    route?: string;
    profileType?: string;
    minMs?: number;
    maxMs?: number;
  } & TimeRangeParams
): string {
  return withParams(ROUTES.Service, {
    service: p.service,
    tab: p.tab,
    route: p.route,
    profileType: p.profileType,
    minMs: p.minMs,
    maxMs: p.maxMs,
    from: p.from,
    to: p.to,
  });
}

export function spanUrl(p: SpanPageParams): string {
  return withParams(ROUTES.Span, {
    traceId: p.traceId,
    spanId: p.spanId,
    spanStart: p.spanStart,
    spanEnd: p.spanEnd,
    spanDuration: p.spanEnd === undefined ? p.spanDuration : undefined,
    service: p.service,
    view: p.view,
    from: p.from,
    to: p.to,
  });
}

export function traceUrl(p: { traceId: string } & TimeRangeParams): string {
  return withParams(ROUTES.Trace, { traceId: p.traceId, from: p.from, to: p.to });
}

export function coverageUrl(p: { service?: string } & TimeRangeParams = {}): string {
  return withParams(ROUTES.Coverage, { service: p.service, from: p.from, to: p.to });
}

/**
 * `zoom`: the zoomed frame, names from the root down joined by ";" (SceneFlameGraph's URL form);
 * `traceId`: only the samples taken under that trace (a trace the trace store may not hold).
 */
export function flameGraphUrl(
  p: { profileType?: string; service?: string; zoom?: string; traceId?: string } & TimeRangeParams = {}
): string {
  return withParams(ROUTES.FlameGraph, {
    profileType: p.profileType,
    service: p.service,
    traceId: p.traceId,
    zoom: p.zoom,
    from: p.from,
    to: p.to,
  });
}
