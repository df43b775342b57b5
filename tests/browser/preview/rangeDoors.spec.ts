import { dateTime, type PluginExtensionPanelContext } from '@grafana/data';
import type { Page } from '@playwright/test';

import type { ExploreToolbarContext } from '../../../src/extensions/grafanaContexts';
import { configureRangeProfileLink } from '../../../src/extensions/links';
import { expect, test } from './fixtures';
import { CPU, functionsMatching, PAGE_TIMEOUT, truth } from './spanPage';

// The doors from Explore's toolbar and a dashboard panel's menu (#11): the flame graph of the
// service and time range in view, checked against the demo's ground truth of which route's hot
// function runs in which service.
const SHOT_DIR = 'tests/browser/artifacts/preview';
const RANGE_MS = 5 * 60_000;

test.beforeEach(() => test.setTimeout(600_000));

/** The hot functions of a service's routes, and of every other service's. */
function hotFunctions(service: string) {
  const { metas } = truth();
  expect(metas[service], `the ground truth describes ${service}`).toBeTruthy();
  const own = Object.values(metas[service].routes);
  const others = Object.values(metas)
    .filter((m) => m.service !== service)
    .flatMap((m) => Object.values(m.routes));
  return { own, others };
}

/** Opens a door's path and checks the flame graph page shows that service's CPU in that range. */
async function expectServiceProfile(page: Page, path: string | undefined, service: string, range: [number, number]) {
  expect(path).toMatch(/^\/a\/spanflame-app\/flame-graph\?/);
  const params = new URL(path as string, 'http://host').searchParams;
  expect([Number(params.get('from')), Number(params.get('to'))]).toEqual(range);
  await page.goto(path as string);
  const explorer = page.getByTestId('flame-graph-explorer');
  await expect(explorer.getByRole('combobox', { name: 'Service' })).toHaveValue(service, { timeout: PAGE_TIMEOUT });
  await expect(explorer.getByRole('combobox', { name: 'Profile type' })).toHaveValue(/^CPU, nanoseconds/);
  await expect(explorer.getByTestId('flame-chart').locator('g.frame').first()).toBeVisible({ timeout: PAGE_TIMEOUT });
  const { own, others } = hotFunctions(service);
  // The service's routes ran in the last minutes (the demo sends load to each): their hot functions
  // are there, and no other service's.
  await expect(await functionsMatching(page, own)).toContainText(/^[1-9]\d* functions?, [1-9]/);
  await expect(await functionsMatching(page, others)).toContainText(/^0 functions/);
}

test("Explore's toolbar link opens the flame graph of the Parca query's service and range", async ({ page }) => {
  const to = Date.now();
  const from = to - RANGE_MS;
  // As Grafana 13's Explore passes it: the pane's queries and its range as date-times.
  const ctx: ExploreToolbarContext = {
    exploreId: 'left',
    targets: [
      {
        refId: 'A',
        datasource: { type: 'spanflame-parca-datasource', uid: 'spanflame-parca' },
        profileType: CPU,
        labelSelector: '{service_name="payments"}',
      } as ExploreToolbarContext['targets'][number],
    ],
    timeRange: { from: dateTime(from), to: dateTime(to) },
    timeZone: 'browser',
    shouldShowAddCorrelation: false,
  };
  await expectServiceProfile(page, configureRangeProfileLink(ctx)?.path, 'payments', [from, to]);
  await page.screenshot({ path: `${SHOT_DIR}/explore-door.png`, fullPage: true });
});

test("a dashboard panel's menu link opens the CPU flame graph of the service its PromQL names", async ({ page }) => {
  const to = Date.now();
  const from = to - RANGE_MS;
  // A Beyla latency panel on Prometheus: no profile type in its queries, so the page picks the CPU one.
  const ctx: PluginExtensionPanelContext = {
    pluginId: 'timeseries',
    id: 2,
    title: 'checkout latency',
    timeRange: { from: dateTime(from), to: dateTime(to) },
    timeZone: 'browser',
    dashboard: { uid: 'shop', title: 'Shop', tags: [] },
    targets: [
      {
        refId: 'A',
        datasource: { type: 'prometheus', uid: 'spanflame-prometheus' },
        expr: 'histogram_quantile(0.95, sum by (le) (rate(http_server_request_duration_seconds_bucket{service_name="checkout"}[1m])))',
      } as PluginExtensionPanelContext['targets'][number],
    ],
  };
  await expectServiceProfile(page, configureRangeProfileLink(ctx)?.path, 'checkout', [from, to]);
  await page.screenshot({ path: `${SHOT_DIR}/panel-menu-door.png`, fullPage: true });
});
