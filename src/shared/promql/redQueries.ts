/**
 * RED queries (rate, errors, duration) over the metrics Beyla exports, built with Grafana's typed PromQL
 * builder (`@grafana/promql-builder`, Apache-2.0). Label values (service names) go through the builder's
 * matchers, which quote them as JSON strings: `"`, `\` and newlines come out as `\"`, `\\` and `\n`, which
 * PromQL's Go-style string literals read back unchanged. Nothing a user typed is ever pasted into a query.
 *
 * Families (../../../../shared/FACTS.md, "Beyla metrics"):
 * - HTTP server: `http_server_request_duration_seconds`, route `http_route`, status `http_response_status_code`;
 *   errors are 5xx.
 * - gRPC server, Beyla >= 3.23: `rpc_server_call_duration_seconds`, `rpc_method`, `rpc_response_status_code`;
 *   errors are codes other than "OK".
 * - gRPC server, earlier Beyla: `rpc_server_duration_seconds`, `rpc_method`, `rpc_grpc_status_code`;
 *   errors are codes other than "0".
 *
 * How the two gRPC generations are chosen: by what Prometheus holds, inside the query, with `or`
 * (`current or legacy`, after aggregating each by the same labels). A service emitting only one generation
 * gets that one; a service caught emitting both (Beyla upgraded mid-range) counts the current one only, never
 * twice. No extra lookup of metric names is needed, so the panels need no second round trip.
 * HTTP and gRPC are then added per series with `(a + b) or a or b`, which keeps a service that has only
 * one of them (plain `a + b` would drop it).
 */
import {
  type Builder,
  type Expr,
  add,
  div,
  histogramQuantile,
  increase,
  mul,
  n,
  or,
  rate,
  sum,
  vector,
  type VectorExprBuilder,
} from '@grafana/promql-builder';

export const RATE_INTERVAL = '$__rate_interval';
/** Grafana's whole-range variable: an instant query over it counts what happened in the range. */
export const RANGE_INTERVAL = '$__range';

/** One Beyla histogram family and how its labels name a route, a status and an error. */
export interface MetricFamily {
  /** Histogram base name: `_count` and `_bucket` are appended. */
  metric: string;
  routeLabel: string;
  statusLabel: string;
  /** Adds the matcher that keeps only failed requests. */
  onlyErrors: (selector: VectorExprBuilder) => VectorExprBuilder;
}

export const HTTP_SERVER: MetricFamily = {
  metric: 'http_server_request_duration_seconds',
  routeLabel: 'http_route',
  statusLabel: 'http_response_status_code',
  onlyErrors: (v) => v.labelMatchRegexp('http_response_status_code', '5..'),
};

export const RPC_SERVER_CURRENT: MetricFamily = {
  metric: 'rpc_server_call_duration_seconds',
  routeLabel: 'rpc_method',
  statusLabel: 'rpc_response_status_code',
  onlyErrors: (v) => v.labelNeq('rpc_response_status_code', 'OK'),
};

export const RPC_SERVER_LEGACY: MetricFamily = {
  metric: 'rpc_server_duration_seconds',
  routeLabel: 'rpc_method',
  statusLabel: 'rpc_grpc_status_code',
  onlyErrors: (v) => v.labelNeq('rpc_grpc_status_code', '0'),
};

/** Which services a query covers: one (`service` set) or all, one series per service. */
export interface RedScope {
  /** The label naming a service (app settings: serviceLabel); a valid label name, checked there. */
  serviceLabel: string;
  service?: string;
}

type Grouping = (family: MetricFamily) => string[];

function selector(family: MetricFamily, suffix: '_count' | '_bucket', scope: RedScope, errors: boolean) {
  let v = vector(family.metric + suffix);
  if (scope.service !== undefined) {
    v = v.label(scope.serviceLabel, scope.service);
  }
  return (errors ? family.onlyErrors(v) : v).range(RATE_INTERVAL);
}

/** `sum by (…) (rate(<family><suffix>{…}[$__rate_interval]))` */
function familyRate(
  family: MetricFamily,
  suffix: '_count' | '_bucket',
  scope: RedScope,
  by: string[],
  errors: boolean
) {
  return sum(rate(selector(family, suffix, scope, errors))).by(by);
}

/** Sums two vectors series by series, keeping series that only one side has. */
function addKeepingMissing(a: Builder<Expr>, b: Builder<Expr>): Builder<Expr> {
  return or(or(add(a, b), a), b);
}

/**
 * HTTP plus gRPC (current generation, else legacy), each aggregated by `group(family)`.
 * Groupings that differ by family (http_route vs rpc_method) simply give disjoint series.
 */
function acrossFamilies(suffix: '_count' | '_bucket', scope: RedScope, group: Grouping, errors: boolean) {
  const http = familyRate(HTTP_SERVER, suffix, scope, group(HTTP_SERVER), errors);
  const rpc = or(
    familyRate(RPC_SERVER_CURRENT, suffix, scope, group(RPC_SERVER_CURRENT), errors),
    familyRate(RPC_SERVER_LEGACY, suffix, scope, group(RPC_SERVER_LEGACY), errors)
  );
  return addKeepingMissing(http, rpc);
}

function byService(scope: RedScope, extra: string[] = []): string[] {
  return [scope.serviceLabel, ...extra];
}

/** Requests per second, one series per service. */
export function requestRate(scope: RedScope): string {
  return acrossFamilies('_count', scope, () => byService(scope), false).toString();
}

/** Failed requests per second (HTTP 5xx, gRPC not OK), one series per service. */
export function errorRate(scope: RedScope): string {
  return acrossFamilies('_count', scope, () => byService(scope), true).toString();
}

/**
 * Share of requests that failed, 0..1, one series per service. A service without any failed request has no
 * error series at all; `or requests * 0` turns that into 0 instead of a missing value.
 */
export function errorRatio(scope: RedScope): string {
  const requests = acrossFamilies('_count', scope, () => byService(scope), false);
  const errors = acrossFamilies('_count', scope, () => byService(scope), true);
  return div(or(errors, mul(requests, n(0))), requests).toString();
}

/** The `q` quantile (0..1) of request duration in seconds, one series per service. */
export function durationQuantile(q: number, scope: RedScope): string {
  if (!(q > 0 && q < 1)) {
    throw new RangeError(`A quantile must be between 0 and 1 (exclusive); got ${q}.`);
  }
  return histogramQuantile(
    q,
    acrossFamilies('_bucket', scope, () => byService(scope, ['le']), false)
  ).toString();
}

/** Requests per second by route: series carry `http_route` (HTTP) or `rpc_method` (gRPC). */
export function rateByRoute(scope: RedScope): string {
  return acrossFamilies('_count', scope, (f) => byService(scope, [f.routeLabel]), false).toString();
}

/** Failed requests per second by status code; series carry the family's status label. */
export function errorsByStatus(scope: RedScope): string {
  return acrossFamilies('_count', scope, (f) => byService(scope, [f.statusLabel]), true).toString();
}

/** Requests per second in each duration bucket (`le`), for a heatmap (Prometheus target format "heatmap"). */
export function latencyBuckets(scope: RedScope): string {
  return acrossFamilies('_bucket', scope, () => ['le'], false).toString();
}

/** Legend that names a series by whichever family's label it carries. */
export function legendOf(labels: (family: MetricFamily) => string): string {
  const names = new Set([HTTP_SERVER, RPC_SERVER_CURRENT, RPC_SERVER_LEGACY].map(labels));
  return [...names].map((name) => `{{${name}}}`).join('');
}

/**
 * Requests in each cumulative duration bucket (`le`) over the whole time range, for an instant query:
 * `sum by (le) (increase(<family>_bucket{…}[$__range]))`, HTTP plus gRPC. With the `+Inf` bucket as the
 * total it says what share of requests were shorter than a duration (the coverage page's short requests).
 */
export function requestsByDurationBucketOverRange(scope: RedScope): string {
  const overRange = (family: MetricFamily) => {
    let v = vector(family.metric + '_bucket');
    if (scope.service !== undefined) {
      v = v.label(scope.serviceLabel, scope.service);
    }
    return sum(increase(v.range(RANGE_INTERVAL))).by(['le']);
  };
  return addKeepingMissing(
    overRange(HTTP_SERVER),
    or(overRange(RPC_SERVER_CURRENT), overRange(RPC_SERVER_LEGACY))
  ).toString();
}
