import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

import { expect, test } from './fixtures';

const SHOT_DIR = 'tests/browser/artifacts/preview';

// The app's flame graph page: Spanflame's own FlameGraph component fed by the built backend
// through the provisioned datasource, against the real Parca and demo shop.
test.describe('the app flame graph page', () => {
  test('shows a service flame graph with its hot function, and another service on choice', async ({ page }) => {
    await page.goto('/a/spanflame-app/flame-graph?service=payments&from=now-5m&to=now');
    const explorer = page.getByTestId('flame-graph-explorer');
    // On-CPU time is the default type when the URL names none.
    await expect(explorer.getByRole('combobox', { name: 'Profile type' })).toHaveValue(/CPU, nanoseconds/);
    await expect(explorer.getByRole('combobox', { name: 'Service' })).toHaveValue('payments');
    await expect(explorer.getByTestId('flame-chart').locator('g.frame').first()).toBeVisible({ timeout: 60_000 });

    // payments burns its CPU in StretchCardKey (PBKDF2); checkout never calls it.
    const search = explorer.getByTestId('flame-search');
    await search.fill('/hotpath\\.StretchCardKey$/');
    await expect(explorer.getByTestId('search-summary')).toContainText(/^1 function, [1-9]/);
    await page.screenshot({ path: `${SHOT_DIR}/app-flame-graph-payments.png`, fullPage: true });

    // The same view as a pprof file, from the backend's pprof resource.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      explorer.getByRole('link', { name: 'Download pprof' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.pb\.gz$/);
    const pprof = gunzipSync(readFileSync(await download.path()));
    // A profile that names the hot function in its string table.
    expect(pprof.includes('hotpath.StretchCardKey')).toBe(true);

    await explorer.getByRole('combobox', { name: 'Service' }).click();
    await page.getByRole('option', { name: 'checkout', exact: true }).click();
    await expect(page).toHaveURL(/service=checkout/);
    await search.fill('/hotpath\\.ValidateOrder$/');
    await expect(explorer.getByTestId('search-summary')).toContainText(/^1 function, [1-9]/);
    await search.fill('/hotpath\\.StretchCardKey$/');
    await expect(explorer.getByTestId('search-summary')).toContainText(/^0 functions/);
  });

  test('shows a range where Parca holds nothing as empty, not as an error, with the type by name', async ({ page }) => {
    const cpu = 'process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta';
    await page.goto(`/a/spanflame-app/flame-graph?profileType=${cpu}&from=1000000000000&to=1000000060000`);
    await expect(page.getByTestId('flame-empty')).toContainText('Parca holds no profiles in this time range');
    await expect(page.getByTestId('flame-error')).toHaveCount(0);
    await expect(page.getByRole('combobox', { name: 'Profile type' })).toHaveValue(/^CPU, nanoseconds/);
    await page.screenshot({ path: `${SHOT_DIR}/app-flame-graph-empty-range.png`, fullPage: true });
  });

  test('is linked from the app home page, the services overview', async ({ page }) => {
    await page.goto('/a/spanflame-app/home');
    // The home is the services overview: a row per demo service, each linking to its service page.
    const services = page.getByTestId('standin-table');
    await expect(services).toHaveAttribute('data-row-count', /^[1-9]/, { timeout: 60_000 });
    await expect(services.getByRole('link', { name: 'checkout', exact: true })).toHaveAttribute(
      'href',
      /^\/a\/spanflame-app\/service\?service=checkout&/
    );
    await page.getByRole('link', { name: 'Flame graph' }).first().click();
    await expect(page).toHaveURL(/\/a\/spanflame-app\/flame-graph/);
    await expect(page.getByTestId('flame-graph-explorer')).toBeVisible();
  });

  test("the app's bare URL opens the home with the range it came with, not a blank page", async ({ page }) => {
    await page.goto('/a/spanflame-app?from=now-30m&to=now');
    await expect(page).toHaveURL(/\/a\/spanflame-app\/home\?.*from=now-30m/);
    await expect(page.getByTestId('standin-table')).toHaveAttribute('data-row-count', /^[1-9]/, { timeout: 60_000 });
  });
});
