/**
 * The Tempo and Jaeger stores against the local stack's real Jaeger v2 and the Tempo stand-in
 * reading it: spans sent over OTLP come back the same through both. The datasource proxy is played
 * by a BackendSrv that maps /api/datasources/proxy/uid/<uid>/ to the store's URL, as Grafana does.
 * Runs with jest.integration.config.js against the stack its stack.env names; calls go out through
 * node:http (jsdom, which @grafana/runtime needs, has no fetch).
 */
import {
  type BackendSrv,
  type BackendSrvRequest,
  type FetchError,
  type FetchResponse,
  setBackendSrv,
} from '@grafana/runtime';
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { Observable } from 'rxjs';

import { JaegerStore } from './jaegerStore';
import { TempoStore } from './tempoStore';
import { type SpanSearch, type TraceSpan, type TraceStore, TraceStoreError } from './types';

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: start the stack (scripts/stack.sh start) and load its stack.env`);
  }
  return value;
}

const URLS: Record<string, string> = {
  tempo: required('SPANFLAME_TEMPO_URL'),
  jaeger: required('SPANFLAME_JAEGER_URL'),
};

/** Grafana's datasource proxy, over the network. */
function installProxy() {
  const fetchVia = <T>(req: BackendSrvRequest) =>
    new Observable<FetchResponse<T>>((subscriber) => {
      const match = /^\/api\/datasources\/proxy\/uid\/([^/]+)(\/.*)$/.exec(req.url);
      const base = match && URLS[match[1]];
      const query = new URLSearchParams(Object.entries(req.params ?? {}).map(([k, v]) => [k, String(v)])).toString();
      const req2 = httpRequest(`${base}${match?.[2]}${query ? `?${query}` : ''}`, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          let data: unknown = text;
          try {
            data = JSON.parse(text);
          } catch {
            // plain text, as Tempo's errors are
          }
          const status = res.statusCode ?? 0;
          if (status >= 400) {
            const error: FetchError = { status, data, config: req };
            subscriber.error(error);
            return;
          }
          subscriber.next({ data: data as T, status, ok: true, config: req } as FetchResponse<T>);
          subscriber.complete();
        });
      });
      req2.on('error', (err) => subscriber.error({ status: 0, data: { message: String(err) }, config: req }));
      req2.end();
      return () => req2.destroy();
    });
  setBackendSrv({ fetch: fetchVia } as unknown as BackendSrv);
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const service = `spanflame-it-${hex(4)}`;
const traceId = hex(16);
const rootId = hex(8);
const slowId = hex(8);
const startNs = BigInt(Date.now() - 10_000) * BigInt(1_000_000);
const ms = (n: number) => BigInt(n) * BigInt(1_000_000);

function otlpSpan(
  spanId: string,
  parent: string | undefined,
  name: string,
  kind: number,
  fromMs: number,
  toMs: number,
  code = 0
) {
  return {
    traceId,
    spanId,
    ...(parent ? { parentSpanId: parent } : {}),
    name,
    kind,
    startTimeUnixNano: String(startNs + ms(fromMs)),
    endTimeUnixNano: String(startNs + ms(toMs)),
    attributes: [{ key: 'http.route', value: { stringValue: name.split(' ')[1] ?? name } }],
    status: code ? { code, message: 'declined' } : {},
  };
}

async function sendSpans() {
  const body = {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [
          {
            scope: { name: 'spanflame-integration' },
            spans: [
              otlpSpan(rootId, undefined, 'GET /cart', 2, 0, 180),
              otlpSpan(slowId, rootId, 'POST /pay', 2, 10, 160, 2),
              otlpSpan(hex(8), rootId, 'GET /price', 2, 165, 175),
              otlpSpan(hex(8), slowId, 'charge', 1, 20, 150),
            ],
          },
        ],
      },
    ],
  };
  const status = await new Promise<number>((resolve, reject) => {
    const req = httpRequest(
      `${required('SPANFLAME_JAEGER_OTLP_HTTP_ENDPOINT')}/v1/traces`,
      { method: 'POST', headers: { 'Content-Type': 'application/json' } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
  expect(status).toBe(200);
}

/** Jaeger's batch processor writes within a moment: ask until the whole trace is there. */
async function whenComplete(store: TraceStore): Promise<TraceSpan[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const { spans } = await store.getTrace(traceId);
      if (spans.length === 4) {
        return spans;
      }
    } catch (err) {
      if (!(err instanceof TraceStoreError && err.kind === 'not-found') || Date.now() > deadline) {
        throw err;
      }
    }
    if (Date.now() > deadline) {
      throw new Error(`trace ${traceId} is incomplete in ${store.kind} after 20 s`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

const byId = (spans: TraceSpan[]) => [...spans].sort((a, b) => a.spanId.localeCompare(b.spanId));

describe('both stores over the stack', () => {
  const tempo = new TempoStore({ uid: 'tempo', storeName: 'Tempo', timeoutMs: 10_000 });
  const jaeger = new JaegerStore({ uid: 'jaeger', storeName: 'Jaeger', timeoutMs: 10_000 });

  beforeAll(async () => {
    installProxy();
    await sendSpans();
  }, 30_000);

  it('give the same trace by id', async () => {
    const [fromJaeger, fromTempo] = [await whenComplete(jaeger), await whenComplete(tempo)];
    expect(byId(fromTempo)).toEqual(byId(fromJaeger));
    const slow = fromTempo.find((s) => s.spanId === slowId);
    expect(slow).toMatchObject({
      service,
      name: 'POST /pay',
      kind: 'server',
      status: 'error',
      parentSpanId: rootId,
      durationMs: 150,
    });
  }, 60_000);

  it('find the same server spans of the service above a duration', async () => {
    await whenComplete(jaeger);
    const search: SpanSearch = {
      service,
      kind: 'server',
      minDurationMs: 100,
      startMs: Date.now() - 60_000,
      endMs: Date.now(),
      limit: 20,
    };
    const [fromTempo, fromJaeger] = await Promise.all([tempo.searchSpans(search), jaeger.searchSpans(search)]);
    const core = (s: TraceSpan) => [s.traceId, s.spanId, s.name, s.kind, s.status, s.startMs, s.durationMs];
    expect(fromTempo.map(core)).toEqual(fromJaeger.map(core));
    expect(fromTempo.map((s) => s.name).sort()).toEqual(['GET /cart', 'POST /pay']);
  }, 60_000);

  it('say an unknown trace id is not found, in both', async () => {
    for (const store of [tempo, jaeger]) {
      await expect(store.getTrace(hex(16))).rejects.toMatchObject({ kind: 'not-found' });
    }
  });
});
