import { type Page, type Response } from '@playwright/test';

import { expect, openExplore, test } from './fixtures';

// What a new user trips over in Explore and the flame graph page (issue 15), each checked the
// way a person would meet it: through the built plugin, its backend, the real Parca and demo shop.
const CPU = 'process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta';
const SHOT_DIR = 'tests/browser/artifacts/preview';
// Each test opens Explore and waits for the backend and Parca; on a loaded 2-core machine that
// alone can take minutes.
test.describe.configure({ timeout: 360_000 });
// Well formed, but no request of the demo ever had it.
const UNKNOWN_TRACE = '0123456789abcdef0123456789abcdef';

/** Query A's first frame as the backend sent it (/api/ds/query), for what a canvas or tooltip hides. */
async function firstFrame(answer: Promise<Response>) {
  const body = (await (await answer).json()) as {
    results: Record<
      string,
      { frames: Array<{ schema: { fields: Array<{ config?: { unit?: string } }> }; data: { values: unknown[][] } }> }
    >;
  };
  return body.results.A.frames[0];
}

/** "No data" with the backend's notice, and no flame graph left to throw on an empty frame. */
async function expectNoDataWithNotice(page: Page, notice: RegExp) {
  await expect(page.getByTestId('query-no-data')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('frame-notice').filter({ hasText: notice })).toBeVisible();
  await expect(page.getByTestId('query-error')).toHaveCount(0);
  await expect(page.getByTestId('viz-flamegraph')).toHaveCount(0);
}

test.describe('empty answers in Explore', () => {
  test('a well-formed trace id with no samples is No data with the reason', async ({ page }) => {
    await openExplore(page, { queryType: 'profile', profileType: CPU, labelSelector: '{}', traceId: UNKNOWN_TRACE });
    await expectNoDataWithNotice(page, new RegExp(`No samples for .*trace_id="${UNKNOWN_TRACE}".*collection window`));
    await page.screenshot({ path: `${SHOT_DIR}/explore-empty-trace.png`, fullPage: true });
  });

  for (const queryType of ['profile', 'metrics', 'table', 'coverage']) {
    test(`a ${queryType} selector that matches nothing is No data with the reason`, async ({ page }) => {
      await openExplore(page, { queryType, profileType: CPU, labelSelector: '{service_name="no-such-service"}' });
      await expectNoDataWithNotice(page, /No samples for .*service_name="no-such-service"/);
      await page.screenshot({ path: `${SHOT_DIR}/explore-empty-${queryType}.png`, fullPage: true });
    });
  }

  test('a diff against an empty baseline says so, and no NaN shows', async ({ page }) => {
    await openExplore(page, {
      queryType: 'diff',
      profileType: CPU,
      labelSelector: '{service_name="checkout"}',
      baseline: { mode: 'selector', labelSelector: '{service_name="no-such-service"}' },
    });
    const flameGraph = page.getByTestId('viz-flamegraph');
    await expect(flameGraph).toBeVisible({ timeout: 60_000 });
    await expect(
      page
        .getByTestId('frame-notice')
        .filter({ hasText: /baseline .*service_name="no-such-service".* between .* has no samples/ })
    ).toBeVisible();
    // Grafana's flame graph table: the compared range alone, in CPU time.
    await expect(flameGraph.getByRole('columnheader', { name: 'Self' })).toBeVisible();
    await expect(page.locator('body')).not.toContainText('NaN');
    await page.screenshot({ path: `${SHOT_DIR}/explore-diff-empty-baseline.png`, fullPage: true });
  });
});

test.describe('Explore readings', () => {
  test('opens on the first CPU type and draws a flame graph without a choice', async ({ page }) => {
    await openExplore(page);
    await expect(page.getByRole('combobox', { name: 'Profile type' })).toHaveValue(/CPU/);
    await expect(page.getByTestId('viz-flamegraph')).toBeVisible({ timeout: 60_000 });
    // The unit reaches Grafana's flame graph: CPU time, not counts.
    await expect(page.getByTestId('viz-flamegraph')).toContainText('(Time)');
    await page.screenshot({ path: `${SHOT_DIR}/explore-default-type.png`, fullPage: true });
  });

  test('CPU series read as cores', async ({ page }) => {
    const answer = page.waitForResponse((r) => r.url().includes('/api/ds/query'));
    await openExplore(page, { queryType: 'metrics', profileType: CPU, labelSelector: '{service_name="checkout"}' });
    const graph = page.getByTestId('viz-timeseries');
    await expect(graph).toBeVisible({ timeout: 60_000 });
    // uPlot draws the axis on a canvas: what reaches it is the value field's unit, and the
    // values are cores (a demo service uses a fraction of one), not nanoseconds per step.
    const frame = await firstFrame(answer);
    expect(frame.schema.fields[1].config?.unit).toBe('suffix:cores');
    expect(Math.max(...(frame.data.values[1] as number[]))).toBeLessThan(4);
    await page.screenshot({ path: `${SHOT_DIR}/explore-metrics-cores.png`, fullPage: true });
  });

  test('top functions say Self and Total, and show package.Function with the whole name on hover', async ({ page }) => {
    const answer = page.waitForResponse((r) => r.url().includes('/api/ds/query'));
    await openExplore(page, { queryType: 'table', profileType: CPU, labelSelector: '{service_name="payments"}' });
    const table = page.getByTestId('viz-table');
    await expect(table).toBeVisible({ timeout: 60_000 });
    for (const header of ['Function', 'File', 'Binary', 'Self', 'Total']) {
      await expect(table.getByRole('columnheader', { name: header, exact: true })).toBeVisible();
    }
    await expect(table.getByRole('columnheader', { name: /flat|cumulative/ })).toHaveCount(0);
    // The whole name is a field of its own only for the tooltip: hidden from the table.
    await expect(table.getByRole('columnheader', { name: 'function', exact: true })).toHaveCount(0);

    // A row near the top (drawn without scrolling) whose whole name has a package path.
    const [shortNames, fullNames] = (await firstFrame(answer)).data.values as string[][];
    const row = fullNames.slice(0, 5).findIndex((name) => name.includes('/'));
    expect(row).toBeGreaterThanOrEqual(0);
    const full = fullNames[row];
    expect(shortNames[row]).toBe(full.slice(full.lastIndexOf('/', full.search(/[[(]|$/)) + 1));
    // TableNG marks a cell with a tooltip field by a corner toggle (hover or click shows it).
    const cell = table.getByRole('gridcell', { name: `Toggle tooltip ${shortNames[row]}`, exact: true });
    await expect(cell).toHaveText(shortNames[row]);
    await cell.getByRole('button', { name: 'Toggle tooltip' }).click();
    await expect(page.getByText(full, { exact: true })).toBeVisible();
    await page.screenshot({ path: `${SHOT_DIR}/explore-table-names.png`, fullPage: true });
  });
});

test('an invalid /regex/ in the flame graph search is said to be invalid', async ({ page }) => {
  await page.goto('/a/spanflame-app/flame-graph?service=payments&from=now-5m&to=now');
  const explorer = page.getByTestId('flame-graph-explorer');
  await expect(explorer.getByTestId('flame-chart').locator('g.frame').first()).toBeVisible({ timeout: 60_000 });
  await explorer.getByTestId('flame-search').fill('/StretchCardKey(/');
  await expect(explorer.getByTestId('search-invalid-regex')).toContainText(
    'Not a valid regular expression (Unterminated group)'
  );
  await page.screenshot({ path: `${SHOT_DIR}/app-invalid-regex.png`, fullPage: true });
});
