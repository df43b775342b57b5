import { expect, test, withAppSettings } from './fixtures';
import { groundTruthDir, readMeta } from './groundTruth';

const SHOT_DIR = 'tests/browser/artifacts/preview';
const STACK_DIR = process.env.SPANFLAME_PREVIEW_STACK_DIR ?? '/tmp/sf-preview-stack';
const RANGE = 'from=now-15m&to=now';

/** The demo's HTTP route slow by computing, its service, and its hot function's full name (the shop's record). */
function routeSlowByComputing(): { service: string; route: string; hot: string } {
  for (const meta of Object.values(readMeta(groundTruthDir(STACK_DIR)))) {
    for (const [route, how] of Object.entries(meta.slow_routes ?? {})) {
      // HTTP spans are named "<METHOD> <route>"; gRPC route keys start with "/".
      if (how === 'computing' && !route.startsWith('/')) {
        return { service: meta.service, route, hot: meta.routes[route] };
      }
    }
  }
  throw new Error(`no HTTP route slow by computing in the shop's record under ${STACK_DIR}`);
}

/** A flame graph search for exactly this function: its full name, dots escaped, anchored at both ends. */
const exactly = (fullName: string) => `/^${fullName.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$/`;

test.describe('the service page tabs', () => {
  // These tabs need the trace datasource: make sure the settings name it.
  withAppSettings({ traceDatasourceUid: 'spanflame-tempo' });

  test('slow spans lists only spans above the chosen duration, and a row opens the span page', async ({ page }) => {
    await page.goto(`/a/spanflame-app/service?service=frontend&tab=slow-spans&minMs=100&${RANGE}`);
    const durations = page.getByTestId('slow-span-duration');
    await expect(durations.first()).toBeVisible({ timeout: 60_000 });
    const listed = async () =>
      (await durations.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-ms'))))) as number[];
    await expect.poll(async () => (await listed()).length, { timeout: 60_000 }).toBeGreaterThan(0);
    const atLeast100 = await listed();
    expect(atLeast100.every((ms) => ms >= 100)).toBe(true);

    // A narrower band from the controls: kept in the URL, and the list follows it.
    await page.getByRole('textbox', { name: 'Minimum duration (ms)' }).fill('200');
    await page.getByRole('button', { name: 'Apply band' }).click();
    await expect(page).toHaveURL(/minMs=200/);
    await expect(page.getByTestId('slow-spans-summary')).toContainText('200 ms or more');
    await expect(durations.first()).toBeVisible({ timeout: 60_000 });
    await expect.poll(async () => (await listed()).length, { timeout: 60_000 }).toBeGreaterThan(0);
    const atLeast200 = await listed();
    expect(atLeast200.every((ms) => ms >= 200)).toBe(true);
    expect(atLeast200).toEqual([...atLeast200].sort((a, b) => b - a));
    await page.screenshot({ path: `${SHOT_DIR}/service-slow-spans.png`, fullPage: true });

    const link = page.getByTestId('slow-spans-table').getByRole('link').first();
    const href = new URL((await link.getAttribute('href'))!, 'http://host');
    await link.click();
    await expect(page).toHaveURL(/\/a\/spanflame-app\/span\?/);
    const opened = new URL(page.url());
    for (const key of ['traceId', 'spanId', 'spanStart', 'spanEnd']) {
      expect(opened.searchParams.get(key)).toBe(href.searchParams.get(key));
    }
    expect(opened.searchParams.get('service')).toBe('frontend');
    const spanMs = Number(opened.searchParams.get('spanEnd')) - Number(opened.searchParams.get('spanStart'));
    expect(Math.abs(spanMs - atLeast200[0])).toBeLessThan(1);
    await expect(page.getByTestId('span-header')).toBeVisible({ timeout: 60_000 });
  });

  test("why slow shows the slow route's hot function, by its full name, as grown per request", async ({ page }) => {
    const { service, route, hot } = routeSlowByComputing();
    const params = new URLSearchParams({ service, tab: 'why-slow', route });
    await page.goto(`/a/spanflame-app/service?${params}&${RANGE}`);
    const choice = page.getByTestId('why-slow-choice');
    await expect(choice).toContainText(/the [1-9]\d* slowest above p95/, { timeout: 120_000 });
    await expect(choice).toContainText(/the [1-9]\d* nearest the median/);
    // A diff flame graph, and the hot function among what grew per request: its whole name, not a look-alike.
    await expect(page.getByTestId('diff-legend')).toBeVisible({ timeout: 120_000 });
    const hotRow = page
      .getByTestId('why-slow-growth-row')
      .filter({ has: page.getByRole('cell', { name: hot, exact: true }) });
    await expect(hotRow).toHaveCount(1, { timeout: 120_000 });
    await expect(hotRow.locator('td').last()).toHaveText(/^\+[1-9]/);
    await page.screenshot({ path: `${SHOT_DIR}/service-why-slow.png`, fullPage: true });
  });

  test("the profile tab draws the service's flame graph with its own hot functions only", async ({ page }) => {
    const metas = readMeta(groundTruthDir(STACK_DIR));
    await page.goto(`/a/spanflame-app/service?service=payments&tab=profile&${RANGE}`);
    await expect(page.getByRole('combobox', { name: 'Profile type' })).toHaveValue(/CPU/, { timeout: 60_000 });
    await expect(page.getByTestId('flame-chart').locator('g.frame').first()).toBeVisible({ timeout: 120_000 });
    const search = page.getByTestId('flame-search');
    // Each of payments' routes burns its CPU in its own hot function (demo/shop/internal/hotpath).
    for (const hot of new Set(Object.values(metas.payments.routes))) {
      await search.fill(exactly(hot));
      await expect(page.getByTestId('search-summary'), hot).toContainText(/^1 function, [1-9]/);
    }
    await page.screenshot({ path: `${SHOT_DIR}/service-profile.png`, fullPage: true });
    // Another service's hot function is not in payments' profile.
    await search.fill(exactly(metas.frontend.routes['GET /search']));
    await expect(page.getByTestId('search-summary')).toContainText(/^0 functions/);
  });
});
