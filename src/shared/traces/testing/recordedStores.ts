/**
 * Test helpers: a BackendSrv that answers the datasource proxy with answers recorded from a real
 * Jaeger v2 and from the Tempo stand-in over it (preview/internal/tempostandin/testdata, written by
 * `go test -tags integration -update` there), and records what the stores asked for.
 */
import {
  type BackendSrv,
  type BackendSrvRequest,
  type FetchError,
  type FetchResponse,
  setBackendSrv,
} from '@grafana/runtime';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Observable } from 'rxjs';

const RECORDINGS = join(__dirname, '../../../../preview/internal/tempostandin/testdata');

export function recorded(name: string): unknown {
  return JSON.parse(readFileSync(join(RECORDINGS, name), 'utf8'));
}

/** The fixture's traces (testdata/otlp-spans.json there), sent at 2026-11-28T12:00:00Z. */
export const FIXTURE = {
  trace: '0af7651916cd43dd8448eb211c80319c',
  fastTrace: '0000000000000000000000000000abcd',
  startMs: 1_795_867_200_000,
  endMs: 1_795_867_260_000,
} as const;

export type Route = (req: BackendSrvRequest) => { status: number; data: unknown } | 'hang' | undefined;

/** Installs a BackendSrv whose fetch answers from the routes (first match), recording requests. */
export function installFakeBackend(routes: Route[]): BackendSrvRequest[] {
  const requests: BackendSrvRequest[] = [];
  const fetch = <T>(req: BackendSrvRequest) =>
    new Observable<FetchResponse<T>>((subscriber) => {
      requests.push(req);
      const answer = routes.map((r) => r(req)).find((a) => a !== undefined);
      if (answer === 'hang') {
        return;
      }
      if (!answer) {
        const error: FetchError = { status: 404, data: { message: `no route for ${req.url}` }, config: req };
        subscriber.error(error);
        return;
      }
      if (answer.status >= 400 || answer.status === 0) {
        const error: FetchError = { status: answer.status, data: answer.data, config: req };
        subscriber.error(error);
        return;
      }
      subscriber.next({ data: answer.data as T, status: answer.status, ok: true, config: req } as FetchResponse<T>);
      subscriber.complete();
    });
  setBackendSrv({ fetch } as unknown as BackendSrv);
  return requests;
}

/** The recorded answers of both stores for the fixture, behind datasources "tempo-uid" and "jaeger-uid". */
export function recordedRoutes(): Route[] {
  const at = (uid: string, path: string) => `/api/datasources/proxy/uid/${uid}${path}`;
  return [
    (r) =>
      r.url === at('tempo-uid', `/api/traces/${FIXTURE.trace}`)
        ? { status: 200, data: recorded('tempo-trace.golden.json') }
        : undefined,
    (r) => (r.url.startsWith(at('tempo-uid', '/api/traces/')) ? { status: 404, data: 'trace not found' } : undefined),
    (r) =>
      r.url === at('tempo-uid', '/api/search')
        ? { status: 200, data: recorded('tempo-search-checkout-slow.golden.json') }
        : undefined,
    (r) =>
      r.url === at('jaeger-uid', `/api/traces/${FIXTURE.trace}`)
        ? { status: 200, data: recorded('jaeger-api-trace.json') }
        : undefined,
    (r) =>
      r.url.startsWith(at('jaeger-uid', '/api/traces/'))
        ? { status: 404, data: { data: null, errors: [{ code: 404, msg: 'trace not found' }] } }
        : undefined,
    (r) =>
      r.url === at('jaeger-uid', '/api/traces')
        ? { status: 200, data: recorded('jaeger-api-search-checkout.json') }
        : undefined,
  ];
}
