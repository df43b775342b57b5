import type { APIRequestContext } from '@playwright/test';

import { expect, test } from './fixtures';

const SHOT_DIR = 'tests/browser/artifacts/preview';
const SETTINGS = '/api/plugins/spanflame-app/settings';

async function saveJsonData(request: APIRequestContext, jsonData: object) {
  const res = await request.post(SETTINGS, { data: { enabled: true, pinned: true, jsonData } });
  expect(res.ok()).toBe(true);
}

// The app's settings page, as Grafana shows an app's config page at /plugins/<app id>.
test.describe("the app's settings", () => {
  // Each test changes the settings; the next tests (in this file or another) get the provisioned ones back.
  let provisioned: object = {};
  test.beforeEach(async ({ request }) => {
    provisioned = (await (await request.get(SETTINGS)).json()).jsonData;
  });
  test.afterEach(async ({ request }) => saveJsonData(request, provisioned));

  test('are saved as the app jsonData and read back after the reload', async ({ page, request }) => {
    await page.goto('/plugins/spanflame-app');
    const config = page.getByTestId('app-config');
    await expect(config).toBeVisible();
    // The provisioned Parca is picked; the frequencies start at their defaults.
    await expect(config.getByText('Spanflame Parca', { exact: true })).toBeVisible();
    await expect(config.getByLabel('Sampling frequency of parca_agent')).toHaveValue('19');
    await expect(config.getByLabel('Sampling frequency of process_cpu')).toHaveValue('100');

    // A frequency of 0 is refused in words, and cannot be saved.
    await config.getByLabel('Sampling frequency of parca_agent').fill('0');
    await expect(page.getByTestId('app-config-problems')).toContainText(
      'The sampling frequency for "parca_agent" profiles is 0: it must be a number of Hz above 0'
    );
    await expect(config.getByRole('button', { name: 'Save settings' })).toBeDisabled();
    await page.screenshot({ path: `${SHOT_DIR}/app-config-bad-frequency.png`, fullPage: true });

    await config.getByLabel('Sampling frequency of parca_agent').fill('49');
    await config.getByRole('button', { name: 'Add profile name' }).click();
    await config.getByLabel('Profile name, row 3').fill('wallclock');
    await config.getByLabel('Sampling frequency of wallclock').fill('50');
    await config.getByLabel('Service label').fill('app');
    await expect(page.getByTestId('app-config-problems')).toHaveCount(0);
    await Promise.all([page.waitForEvent('load'), config.getByRole('button', { name: 'Save settings' }).click()]);

    const saved = await (await request.get(SETTINGS)).json();
    expect(saved.jsonData).toMatchObject({
      parcaDatasourceUid: 'spanflame-parca',
      serviceLabel: 'app',
      samplingHz: { parca_agent: 49, process_cpu: 100, wallclock: 50 },
    });
    await expect(page.getByLabel('Sampling frequency of wallclock')).toHaveValue('50');
    await expect(page.getByLabel('Service label')).toHaveValue('app');
  });

  test('a datasource that no longer exists is named on the settings page and on the pages', async ({
    page,
    request,
  }) => {
    await saveJsonData(request, { parcaDatasourceUid: 'deleted-parca' });
    await page.goto('/a/spanflame-app/flame-graph');
    const problem = page.getByTestId('settings-problem');
    await expect(problem).toContainText('No datasource has the uid "deleted-parca"');
    await page.screenshot({ path: `${SHOT_DIR}/app-settings-problem.png`, fullPage: true });
    await problem.getByRole('link', { name: 'Open the app settings' }).click();
    await expect(page).toHaveURL(/\/plugins\/spanflame-app$/);
    await expect(page.getByTestId('app-config')).toContainText('No datasource has the uid "deleted-parca"');
  });
});
