import type { APIRequestContext } from '@playwright/test';

import { expect, test } from './fixtures';

const SHOT_DIR = 'tests/browser/artifacts/preview';
const RANGE = 'from=now-15m&to=now';
const SETTINGS = '/api/plugins/spanflame-app/settings';

test.describe('the service page tabs', () => {
  // The preview host starts the app with empty settings: these tabs need the trace datasource.
  const saveJsonData = async (request: APIRequestContext, jsonData: object) => {
    const res = await request.post(SETTINGS, { data: { enabled: true, pinned: true, jsonData } });
    expect(res.ok()).toBe(true);
  };
  test.beforeEach(async ({ request }) => saveJsonData(request, { traceDatasourceUid: 'spanflame-tempo' }));
  test.afterEach(async ({ request }) => saveJsonData(request, {}));

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
});
