import { expect, openExplore, test } from './fixtures';

const CPU = 'process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta';
const SHOT_DIR = 'tests/browser/artifacts/preview';

test.describe('Explore with the built QueryEditor, real backend, real Parca and demo shop', () => {
  test('profile type and labels come from autocomplete, and the flame graph shows the hot function', async ({
    page,
  }) => {
    await openExplore(page);

    await page.getByRole('combobox', { name: 'Profile type' }).click();
    // Named and grouped as people know them; the raw id is only the description.
    await expect(page.getByRole('option', { name: /CPU, nanoseconds/ })).toBeVisible();
    await expect(page.getByText('Process CPU (pprof)')).toBeVisible();
    await page.getByRole('option', { name: /CPU, nanoseconds/ }).click();

    await page.getByRole('combobox', { name: 'Label name' }).click();
    await page.getByRole('option', { name: 'service_name', exact: true }).click();
    await page.getByRole('combobox', { name: 'Label value' }).click();
    // The values Parca holds for the demo's three services, for this type and time range.
    for (const service of ['checkout', 'frontend', 'payments']) {
      await expect(page.getByRole('option', { name: service, exact: true })).toBeVisible();
    }
    await page.getByRole('option', { name: 'payments', exact: true }).click();
    await expect(page.getByRole('textbox', { name: 'Label selector' })).toHaveValue('{service_name="payments"}');

    const flameGraph = page.getByTestId('viz-flamegraph');
    await expect(flameGraph).toBeVisible({ timeout: 60_000 });
    await expect(flameGraph.locator('canvas').first()).toBeVisible();
    // The payments service burns its CPU in StretchCardKey (PBKDF2) and SignLedger: search the
    // flame graph for them as a person would; its symbol table then lists the function.
    for (const hot of ['StretchCardKey', 'SignLedger']) {
      await flameGraph.getByPlaceholder('Search..').fill(hot);
      await expect(flameGraph.getByRole('cell', { name: new RegExp(`hotpath\\.${hot}`) }).first()).toBeVisible();
    }
    await page.screenshot({ path: `${SHOT_DIR}/explore-flamegraph.png`, fullPage: true });
  });

  test('trace_id values are never listed', async ({ page }) => {
    await openExplore(page, { queryType: 'profile', profileType: CPU, labelSelector: '{}' });
    await page.getByRole('combobox', { name: 'Label name' }).click();
    await page.getByRole('option', { name: /trace_id/ }).click();
    const value = page.getByRole('combobox', { name: 'Label value' });
    await expect(value).toHaveAttribute('placeholder', 'type the trace_id (not listed)');
    const listing = page.waitForRequest(/resources\/label-values.*label=trace_id/, { timeout: 2000 }).catch(() => null);
    await value.click();
    expect(await listing).toBeNull();
  });

  test('a metrics query draws a time series', async ({ page }) => {
    await openExplore(page, { queryType: 'metrics', profileType: CPU, labelSelector: '{}', groupBy: ['service_name'] });
    const graph = page.getByTestId('viz-timeseries');
    await expect(graph).toBeVisible({ timeout: 60_000 });
    // uPlot draws on a canvas; the legend lists one series per service.
    await expect(graph.locator('canvas').first()).toBeVisible();
    for (const service of ['checkout', 'frontend', 'payments']) {
      await expect(graph.getByText(new RegExp(service)).first()).toBeVisible();
    }
    await page.screenshot({ path: `${SHOT_DIR}/explore-metrics.png`, fullPage: true });
  });

  test('a bad selector is explained, in the editor and by the backend', async ({ page }) => {
    await openExplore(page, { queryType: 'profile', profileType: CPU, labelSelector: '{}' });
    await expect(page.getByTestId('viz-flamegraph')).toBeVisible({ timeout: 60_000 });

    const selector = page.getByRole('textbox', { name: 'Label selector' });
    await selector.fill('{service_name=payments}');
    await selector.blur();
    await expect(page.getByText('the value of service_name must be quoted')).toBeVisible();

    // Run it anyway: the backend's answer names the problem too.
    await page.getByTestId('run-query').click();
    const error = page.getByTestId('query-error');
    await expect(error).toBeVisible({ timeout: 60_000 });
    await expect(error).toContainText(/label selector/i);
    await expect(error).toContainText('service_name=payments');
    await page.screenshot({ path: `${SHOT_DIR}/explore-bad-selector.png`, fullPage: true });
  });
});

test('a template variable from the URL is offered and used in the selector', async ({ page }) => {
  const query = { queryType: 'profile', profileType: CPU, labelSelector: '{service_name="$service"}' };
  await page.goto(
    `/explore?var-service=checkout&from=now-5m&to=now&query=${encodeURIComponent(JSON.stringify(query))}`
  );
  const flameGraph = page.getByTestId('viz-flamegraph');
  await expect(flameGraph).toBeVisible({ timeout: 60_000 });
  // $service became checkout: the checkout service's hot function is there.
  await flameGraph.getByPlaceholder('Search..').fill('ValidateOrder');
  await expect(flameGraph.getByRole('cell', { name: /hotpath\.ValidateOrder/ }).first()).toBeVisible();

  await page.getByRole('combobox', { name: 'Label name' }).click();
  await expect(page.getByRole('option', { name: '$service' })).toBeVisible();
});

test('a top-functions query draws a table', async ({ page }) => {
  await openExplore(page, {
    queryType: 'table',
    profileType: CPU,
    labelSelector: '{service_name="payments"}',
    limit: 20,
  });
  const table = page.getByTestId('viz-table');
  await expect(table).toBeVisible({ timeout: 60_000 });
  // Titled as Grafana's flame graph titles them (Self / Total), not Parca's flat / cumulative.
  await expect(table.getByRole('columnheader', { name: /^total/i })).toBeVisible();
  await expect(table.getByRole('row').nth(1)).toBeVisible();
  await page.screenshot({ path: `${SHOT_DIR}/explore-table.png`, fullPage: true });
});
