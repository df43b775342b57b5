/**
 * The services overview (the app's home) and a service's RED tab, against the real Prometheus scraping the
 * demo shop (frontend -> checkout -> payments; checkout and payments also serve gRPC, checkout in Beyla's older
 * metric names, payments in the current ones). Grafana's table, time series and heatmap panels are AGPL: the
 * preview host draws them with stand-ins that say what they drew (preview/web/src/panels/).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { APIRequestContext, Locator, Page } from '@playwright/test';

import { expect, stackURLs, test, withAppSettings } from './fixtures';
import { groundTruthDir, readMeta } from './groundTruth';

const SHOT_DIR = 'tests/browser/artifacts/preview';
const STACK_DIR = process.env.SPANFLAME_PREVIEW_STACK_DIR ?? '/tmp/sf-preview-stack';
// Queries through the host's stand-ins to Prometheus and the trace store, on a loaded machine.
const DATA_TIMEOUT = 120_000;
const RANGE_MINUTES = 10;
const RANGE = `from=now-${RANGE_MINUTES}m&to=now`;
/** Every server request, HTTP and both generations of gRPC, as Beyla names them (../shared/FACTS.md). */
const REQUEST_COUNTS = 'http_server_request_duration_seconds_count|rpc_server_(call_)?duration_seconds_count';

/** The demo's services, as the stack wrote them (the way tests/integration reads them). */
function demoServices(): string[] {
  const fromEnv = process.env.SPANFLAME_SHOP_SERVICES;
  const env = fromEnv ? '' : readFileSync(join(STACK_DIR, 'stack.env'), 'utf8');
  const list = fromEnv ?? /^SPANFLAME_SHOP_SERVICES=(.+)$/m.exec(env)?.[1] ?? '';
  return list.split(',').filter(Boolean);
}

/** One instant query on the stack's Prometheus: value by service. */
async function promByService(request: APIRequestContext, query: string): Promise<Record<string, number>> {
  const res = await request.get(`${stackURLs().prometheus}/api/v1/query`, { params: { query } });
  expect(res.ok(), `Prometheus answered ${query}`).toBe(true);
  const body = (await res.json()) as {
    data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
  };
  return Object.fromEntries(body.data.result.map((r) => [r.metric.service_name, Number(r.value[1])]));
}

/**
 * A series' mean over the page's range, the way the overview reads it: rates of short windows averaged over the
 * range's steps, gaps skipped (a stack younger than the range has fewer steps, not lower rates).
 */
const rangeMean = (expr: string) => `avg_over_time((${expr})[${RANGE_MINUTES}m:15s])`;

/** The overview table's rows as { column header: cell text }, read from the grid TableNG renders. */
async function overviewRows(table: Locator): Promise<Record<string, Record<string, string>>> {
  const rows = await table.evaluate((element) => {
    const headers = [...element.querySelectorAll('[role="columnheader"]')].map((h) => h.textContent?.trim() ?? '');
    return [...element.querySelectorAll('[role="row"]')]
      .map((row) => [...row.querySelectorAll('[role="gridcell"]')].map((c) => c.textContent?.trim() ?? ''))
      .filter((cells) => cells.length > 0)
      .map((cells) => Object.fromEntries(headers.map((h, i) => [h, cells[i] ?? ''])));
  });
  return Object.fromEntries(rows.map((r) => [r.Service, r]));
}

/** The number a cell shows ("2.70 req/s", "3.1%"), NaN when it shows none. */
const figure = (text: string | undefined) => Number.parseFloat(text ?? '');

/** A scene's VizPanel by its title (Grafana's PanelChrome test id). */
const vizPanel = (page: Page, title: string) => page.getByTestId(`data-testid Panel header ${title}`);

/** Names of the series a panel's stand-in drew, once it drew any; the panel shows no error. */
async function drawnSeries(page: Page, title: string, standIn: string): Promise<string[]> {
  const panel = vizPanel(page, title);
  const drawn = panel.getByTestId(standIn);
  await expect(drawn, `${title} draws series`).toHaveAttribute('data-series-count', /^[1-9]/, {
    timeout: DATA_TIMEOUT,
  });
  await expect(panel.getByTestId('data-testid Panel status error'), `${title} shows no error`).toHaveCount(0);
  return JSON.parse((await drawn.getAttribute('data-series-names')) ?? '[]');
}

/** A route key of the shop's record ("GET /search", "/shop.Payments/Charge") as Beyla labels it. */
const routeLabel = (key: string) => key.slice(key.indexOf(' ') + 1);

test.describe('services', () => {
  // The app's provisioned settings name Prometheus and the trace store; make sure.
  withAppSettings({ prometheusDatasourceUid: 'spanflame-prometheus', traceDatasourceUid: 'spanflame-tempo' });

  test("the overview lists every demo service with Prometheus' request rate, and errors where it fails", async ({
    page,
    request,
  }) => {
    const services = demoServices();
    expect(services).toEqual(expect.arrayContaining(['frontend', 'checkout', 'payments']));
    await page.goto(`/a/spanflame-app/home?${RANGE}`);
    const table = page.getByTestId('standin-table');
    for (const service of services) {
      await expect
        .poll(async () => figure((await overviewRows(table))[service]?.['Requests/s']), {
          message: `${service}'s request rate`,
          timeout: DATA_TIMEOUT,
        })
        .toBeGreaterThan(0);
    }
    const rows = await overviewRows(table);
    const requests = `sum by (service_name) (rate({__name__=~"${REQUEST_COUNTS}"}[1m]))`;
    const rates = await promByService(request, rangeMean(requests));
    for (const service of services) {
      const shown = figure(rows[service]['Requests/s']);
      expect(rates[service], `Prometheus' rate of ${service}`).toBeGreaterThan(0);
      expect(
        Math.abs(shown - rates[service]) / rates[service],
        `${service}: ${shown} shown, ${rates[service]} in Prometheus`
      ).toBeLessThan(0.25);
      expect(figure(rows[service]['p95 duration']), `${service}'s p95`).toBeGreaterThan(0);
    }

    // The demo fails a share of frontend's GET /search and checkout's GET /orders with HTTP 503 (and answers
    // 502 above a failed call), and payments' gRPC Charge with UNAVAILABLE (demo/shop/internal/service/routes.go).
    const fiveXx = await promByService(
      request,
      `sum by (service_name) (increase(http_server_request_duration_seconds_count{http_response_status_code=~"5.."}[${RANGE_MINUTES}m]))`
    );
    const failing = Object.keys(fiveXx).filter((s) => fiveXx[s] > 0);
    expect(failing, 'services Prometheus saw answer 5xx').toEqual(expect.arrayContaining(['frontend', 'checkout']));
    for (const service of [...failing, 'payments']) {
      expect(figure(rows[service].Errors), `${service}'s errors: ${rows[service].Errors}`).toBeGreaterThan(0);
    }
    await page.screenshot({ path: `${SHOT_DIR}/services-overview.png`, fullPage: true });

    // A row opens the service's page, on its RED tab.
    await table.getByRole('link', { name: 'payments', exact: true }).click();
    await expect(page).toHaveURL(/\/a\/spanflame-app\/service\?.*service=payments/);
    await expect(page.getByRole('tab', { name: 'RED' })).toBeVisible();
  });

  // Checkout answers gRPC in Beyla's older metric names, payments in the current ones; frontend serves HTTP only.
  const failedStatus: Record<string, string[]> = {
    frontend: ['503'],
    // The older generation labels gRPC statuses by number ("8"): the panel names it as the current one does.
    checkout: ['503', 'RESOURCE_EXHAUSTED'],
    payments: ['UNAVAILABLE'],
  };
  for (const service of Object.keys(failedStatus)) {
    test(`every RED panel of ${service} draws its series`, async ({ page }) => {
      const meta = readMeta(groundTruthDir(STACK_DIR))[service];
      const routes = Object.keys({ ...meta.routes, ...meta.unlabeled_routes }).map(routeLabel);
      await page.goto(`/a/spanflame-app/service?service=${service}&${RANGE}`);
      expect(await drawnSeries(page, 'Requests by route', 'standin-timeseries')).toEqual(
        expect.arrayContaining(routes)
      );
      expect(await drawnSeries(page, 'Errors by status', 'standin-timeseries')).toEqual(
        expect.arrayContaining(failedStatus[service])
      );
      expect(await drawnSeries(page, 'Duration p50 / p95 / p99', 'standin-timeseries')).toEqual(['p50', 'p95', 'p99']);
      expect((await drawnSeries(page, 'Latency', 'standin-heatmap')).length).toBeGreaterThan(1);
      await page.screenshot({ path: `${SHOT_DIR}/service-red-${service}.png`, fullPage: true });
    });
  }

  test('a latency heatmap row opens the Slow spans tab with its duration band', async ({ page, request }) => {
    await page.goto(`/a/spanflame-app/service?service=frontend&${RANGE}`);
    const drawn = await drawnSeries(page, 'Latency', 'standin-heatmap');
    const heatmap = vizPanel(page, 'Latency').getByTestId('standin-heatmap');
    // The slowest bounded bucket with requests in a few time steps (so the range still holds some when the
    // Slow spans tab asks a moment later): where a user looks for slow requests.
    const bySpeed = drawn.filter((le) => Number.isFinite(Number(le))).sort((a, b) => Number(b) - Number(a));
    let chosen: string | undefined;
    for (const le of bySpeed) {
      if ((await heatmap.locator(`rect[data-bucket="${le}"]`).count()) >= 3) {
        chosen = le;
        break;
      }
    }
    expect(chosen, `a bucket of ${drawn.join(', ')} with requests in 3 steps`).toBeDefined();
    const upper = Number(chosen);
    // Its lower bound is the next lower bucket Prometheus holds for frontend, drawn or not.
    const les = await request.get(`${stackURLs().prometheus}/api/v1/label/le/values`, {
      params: { 'match[]': 'http_server_request_duration_seconds_bucket{service_name="frontend"}' },
    });
    const bounds = ((await les.json()) as { data: string[] }).data.map(Number).filter((b) => b < upper);
    const lower = Math.max(...bounds);
    const band = { minMs: Math.round(lower * 1e6) / 1e3, maxMs: Math.round(upper * 1e6) / 1e3 };

    // A cell in the middle of the range: the newest step is still filling and the oldest leaves the range
    // first when the page's "now" moves on.
    const cells = heatmap.locator(`rect[data-bucket="${chosen}"]`);
    const cell = cells.nth(Math.floor((await cells.count()) / 2));
    await cell.click();
    const link = heatmap
      .getByTestId('standin-heatmap-tooltip')
      .getByRole('link', { name: `Slow spans between ${band.minMs} ms and ${band.maxMs} ms` });
    await expect(link).toBeVisible();
    await page.screenshot({ path: `${SHOT_DIR}/service-heatmap-band-link.png`, fullPage: true });
    // The full-page screenshot resizes the page, and a re-render may close the pinned tooltip as Grafana's
    // does; a user would click the cell again.
    await expect(async () => {
      if (!(await link.isVisible())) {
        await cell.click({ timeout: 5_000 });
      }
      await link.click({ timeout: 5_000 });
    }).toPass({ timeout: DATA_TIMEOUT });

    // The Slow spans tab, with the band and the page's range in the URL.
    await expect(page).toHaveURL(/\/a\/spanflame-app\/service\?/);
    const opened = new URL(page.url());
    expect(Object.fromEntries(opened.searchParams)).toMatchObject({
      service: 'frontend',
      tab: 'slow-spans',
      minMs: String(band.minMs),
      maxMs: String(band.maxMs),
      from: `now-${RANGE_MINUTES}m`,
      to: 'now',
    });
    await expect(page.getByTestId('slow-spans-summary')).toContainText(
      `between ${band.minMs} ms and ${band.maxMs} ms`,
      { timeout: DATA_TIMEOUT }
    );
    // The requests the heatmap counted in that band are listed, and nothing outside it.
    const durations = page.getByTestId('slow-span-duration');
    await expect(durations.first()).toBeVisible({ timeout: DATA_TIMEOUT });
    const listed = await durations.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-ms'))));
    expect(listed.length).toBeGreaterThan(0);
    for (const ms of listed) {
      expect(ms).toBeGreaterThanOrEqual(band.minMs);
      expect(ms).toBeLessThanOrEqual(band.maxMs);
    }
    await page.screenshot({ path: `${SHOT_DIR}/service-slow-spans-from-heatmap.png`, fullPage: true });
  });
});
