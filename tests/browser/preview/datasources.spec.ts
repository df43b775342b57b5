import { expect, test } from './fixtures';

/**
 * The provisioned Prometheus, Tempo and Jaeger datasources in the preview host, used the way the
 * app's scenes use them: by uid through @grafana/runtime's DataSourceSrv (the host's stand-in front
 * ends) and through Grafana's datasource proxy, against the stack's real Prometheus and Jaeger.
 */

interface SeriesSummary {
  labels: Record<string, string>;
  displayName?: string;
  lastValue: number;
}

test('a Prometheus query by uid gets one series per service, with labels and legend, from the real Prometheus', async ({
  page,
}) => {
  await page.goto('/a/spanflame-app/home');
  const series = await page.evaluate(async (): Promise<SeriesSummary[]> => {
    const system = (window as unknown as { System: { import<T>(id: string): Promise<T> } }).System;
    const runtime = await system.import<typeof import('@grafana/runtime')>('@grafana/runtime');
    const data = await system.import<typeof import('@grafana/data')>('@grafana/data');
    const rxjs = await system.import<typeof import('rxjs')>('rxjs');
    const ds = await runtime.getDataSourceSrv().get({ type: 'prometheus', uid: 'spanflame-prometheus' });
    const to = data.dateTime();
    const from = data.dateTime(to.valueOf() - 5 * 60_000);
    const res = await rxjs.lastValueFrom(
      ds.query({
        requestId: 'browser-test',
        interval: '15s',
        intervalMs: 15_000,
        range: { from, to, raw: { from: 'now-5m', to: 'now' } },
        scopedVars: {},
        targets: [
          {
            refId: 'A',
            expr: 'sum by (service_name) (rate(http_server_request_duration_seconds_count[$__rate_interval]))',
            range: true,
            legendFormat: '{{service_name}}',
          } as never,
        ],
        timezone: 'browser',
        app: 'explore',
        startTime: Date.now(),
      } as never) as never
    );
    return (
      res as {
        data: Array<{
          fields: Array<{
            name: string;
            labels?: Record<string, string>;
            config: { displayNameFromDS?: string };
            values: number[];
          }>;
        }>;
      }
    ).data.map((frame) => {
      const value = frame.fields.find((f) => f.name === 'Value')!;
      return {
        labels: value.labels ?? {},
        displayName: value.config.displayNameFromDS,
        lastValue: value.values[value.values.length - 1],
      };
    });
  });
  const services = series.map((s) => s.labels.service_name).sort();
  expect(services).toEqual(['checkout', 'frontend', 'payments']);
  for (const s of series) {
    expect(s.displayName).toBe(s.labels.service_name);
    expect(s.lastValue).toBeGreaterThan(0);
  }
});

test("Tempo and Jaeger answer through Grafana's datasource proxy with the same checkout spans", async ({
  page,
  request,
}) => {
  await page.goto('/a/spanflame-app/home');
  const services = await (await request.get('/api/datasources/proxy/uid/spanflame-jaeger/api/services')).json();
  expect(services.data).toEqual(expect.arrayContaining(['frontend', 'checkout', 'payments']));

  const end = Math.floor(Date.now() / 1000);
  const search = await request.get('/api/datasources/proxy/uid/spanflame-tempo/api/search', {
    params: { q: '{ resource.service.name = "checkout" && kind = server }', start: end - 120, end, limit: 5, spss: 1 },
  });
  expect(search.status()).toBe(200);
  const { traces } = await search.json();
  expect(traces.length).toBeGreaterThan(0);
  const traceId: string = traces[0].traceID.padStart(32, '0');
  const spanId: string = traces[0].spanSets[0].spans[0].spanID;
  const fromJaeger = await (
    await request.get(`/api/datasources/proxy/uid/spanflame-jaeger/api/traces/${traceId}`)
  ).json();
  expect(fromJaeger.data[0].spans.map((s: { spanID: string }) => s.spanID)).toContain(spanId);

  // The stand-in front ends test their connection through the proxy, as Grafana's "Save & test" would.
  const results = await page.evaluate(async () => {
    const system = (window as unknown as { System: { import<T>(id: string): Promise<T> } }).System;
    const runtime = await system.import<typeof import('@grafana/runtime')>('@grafana/runtime');
    const srv = runtime.getDataSourceSrv();
    return Promise.all(
      ['spanflame-tempo', 'spanflame-jaeger'].map(async (uid) => (await srv.get(uid)).testDatasource())
    );
  });
  expect(results.map((r) => r.status)).toEqual(['success', 'success']);
});
