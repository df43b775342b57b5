import { execFileSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import {
  durationQuantile,
  errorRate,
  errorRatio,
  errorsByStatus,
  HTTP_SERVER,
  latencyBuckets,
  legendOf,
  rateByRoute,
  requestRate,
  requestsByDurationBucketOverRange,
  RPC_SERVER_CURRENT,
} from './redQueries';

const checkout = { serviceLabel: 'service_name', service: 'checkout' };
const checkoutRate = (family: string) =>
  `(sum by(service_name) (rate(${family}_count{service_name="checkout"}[$__rate_interval])))`;
const HTTP = checkoutRate('http_server_request_duration_seconds');
const RPC = `(${checkoutRate('rpc_server_call_duration_seconds')} or ${checkoutRate('rpc_server_duration_seconds')})`;
/** (http + rpc) or http or rpc, where rpc = current or legacy. */
const EXPECTED_CHECKOUT_RATE = `((${HTTP} + ${RPC}) or ${HTTP}) or ${RPC}`;
const nasty = 'we"ird\\svc\nname';

/** Every query a page can send, for one scope. */
function allQueries(scope: { serviceLabel: string; service?: string }): string[] {
  return [
    requestRate(scope),
    errorRate(scope),
    errorRatio(scope),
    durationQuantile(0.5, scope),
    durationQuantile(0.95, scope),
    durationQuantile(0.99, scope),
    rateByRoute(scope),
    errorsByStatus(scope),
    latencyBuckets(scope),
    requestsByDurationBucketOverRange(scope),
  ];
}

/**
 * Prometheus' own parser (promtool, installed by scripts/setup.sh) reads every query back. `$__rate_interval`
 * is Grafana's, replaced by Grafana before a query reaches Prometheus, so it is replaced here too.
 */
function promtoolAccepts(queries: string[]): void {
  const dir = mkdtempSync(join(tmpdir(), 'promql-'));
  try {
    const rules = {
      groups: [
        {
          name: 'spanflame',
          rules: queries.map((q, i) => ({
            record: `spanflame:q${i}`,
            expr: q.split('$__rate_interval').join('1m').split('$__range').join('10m'),
          })),
        },
      ],
    };
    const file = join(dir, 'rules.json');
    // YAML is a superset of JSON: the JSON encoding keeps newlines and quotes in the expressions exact.
    writeFileSync(file, JSON.stringify(rules));
    execFileSync('promtool', ['check', 'rules', file], { stdio: 'pipe' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('RED queries over Beyla metrics', () => {
  it('counts HTTP requests and both gRPC generations, preferring the current one', () => {
    expect(requestRate(checkout)).toBe(EXPECTED_CHECKOUT_RATE);
    const q = requestRate(checkout);
    expect(q).toContain('rate(http_server_request_duration_seconds_count{service_name="checkout"}[$__rate_interval])');
    expect(q).toContain('rate(rpc_server_call_duration_seconds_count{service_name="checkout"}[$__rate_interval])');
    expect(q).toContain('rate(rpc_server_duration_seconds_count{service_name="checkout"}[$__rate_interval])');
    // current generation on the left of `or`: it wins where a service has both
    expect(q.indexOf('rpc_server_call_duration_seconds_count')).toBeLessThan(
      q.indexOf('rpc_server_duration_seconds_count')
    );
  });

  it('counts as errors HTTP 5xx, gRPC codes other than OK (current) and other than 0 (legacy)', () => {
    const q = errorRate(checkout);
    expect(q).toContain(
      'http_server_request_duration_seconds_count{service_name="checkout",http_response_status_code=~"5.."}'
    );
    expect(q).toContain(
      'rpc_server_call_duration_seconds_count{service_name="checkout",rpc_response_status_code!="OK"}'
    );
    expect(q).toContain('rpc_server_duration_seconds_count{service_name="checkout",rpc_grpc_status_code!="0"}');
  });

  it('gives an error ratio of zero, not nothing, to a service without errors', () => {
    const q = errorRatio(checkout);
    expect(q).toMatch(/^\(\(.*rpc_grpc_status_code!="0".*\) or \(\(.*\) \* \(0\)\)\) \/ \(.*\)$/);
  });

  it('takes duration quantiles from the buckets of every family, by le', () => {
    for (const phi of [0.5, 0.95, 0.99]) {
      const q = durationQuantile(phi, checkout);
      expect(q.startsWith(`histogram_quantile(${phi}, `)).toBe(true);
      expect(q).toContain(
        'sum by(service_name, le) (rate(http_server_request_duration_seconds_bucket{service_name="checkout"}[$__rate_interval]))'
      );
      expect(q).toContain(
        'sum by(service_name, le) (rate(rpc_server_call_duration_seconds_bucket{service_name="checkout"}[$__rate_interval]))'
      );
      expect(q).toContain(
        'sum by(service_name, le) (rate(rpc_server_duration_seconds_bucket{service_name="checkout"}[$__rate_interval]))'
      );
    }
    expect(() => durationQuantile(95, checkout)).toThrow('between 0 and 1');
  });

  it("splits by route and by status with each family's own labels", () => {
    expect(rateByRoute(checkout)).toContain(
      'sum by(service_name, http_route) (rate(http_server_request_duration_seconds_count'
    );
    expect(rateByRoute(checkout)).toContain(
      'sum by(service_name, rpc_method) (rate(rpc_server_call_duration_seconds_count'
    );
    expect(errorsByStatus(checkout)).toContain(
      'sum by(service_name, rpc_grpc_status_code) (rate(rpc_server_duration_seconds_count'
    );
    expect(errorsByStatus(checkout)).toContain(
      'sum by(service_name, rpc_response_status_code) (rate(rpc_server_call_duration_seconds_count'
    );
    expect(legendOf((f) => f.routeLabel)).toBe('{{http_route}}{{rpc_method}}');
    expect(legendOf((f) => f.statusLabel)).toBe(
      '{{http_response_status_code}}{{rpc_response_status_code}}{{rpc_grpc_status_code}}'
    );
    expect(HTTP_SERVER.routeLabel).toBe('http_route');
    expect(RPC_SERVER_CURRENT.statusLabel).toBe('rpc_response_status_code');
  });

  it('lists every service when no service is chosen, under the configured label', () => {
    const q = requestRate({ serviceLabel: 'app' });
    expect(q).toContain('sum by(app) (rate(http_server_request_duration_seconds_count[$__rate_interval]))');
    expect(q).not.toContain('{');
  });

  it('counts requests per duration bucket over the whole range, HTTP and both gRPC generations', () => {
    const q = requestsByDurationBucketOverRange(checkout);
    const http =
      'sum by(le) (increase(http_server_request_duration_seconds_bucket{service_name="checkout"}[$__range]))';
    expect(q).toContain(http);
    expect(q).toContain('increase(rpc_server_call_duration_seconds_bucket{service_name="checkout"}[$__range])');
    expect(q).toContain('increase(rpc_server_duration_seconds_bucket{service_name="checkout"}[$__range])');
    expect(q).not.toContain('$__rate_interval');
  });

  it('escapes quotes, backslashes and newlines in service names', () => {
    const q = requestRate({ serviceLabel: 'service_name', service: nasty });
    expect(q).toContain('{service_name="we\\"ird\\\\svc\\nname"}');
    expect(q).not.toContain('\n');
    for (const query of allQueries({ serviceLabel: 'service_name', service: nasty })) {
      expect(query).not.toContain(nasty);
    }
  });

  it('writes queries Prometheus parses, with ordinary and hostile service names', () => {
    expect(() =>
      promtoolAccepts([
        ...allQueries(checkout),
        ...allQueries({ serviceLabel: 'service_name' }),
        ...allQueries({ serviceLabel: 'service_name', service: nasty }),
        ...allQueries({ serviceLabel: 'job', service: '"}) or vector(1) #' }),
      ])
    ).not.toThrow();
  });
});
