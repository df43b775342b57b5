import { expect, fixtureNotices, hottestFunction, listFixtures, test, widestFrameAt, widestTopFrame } from './fixtures';

// Several times the default: the machine is shared with other builds and often heavily loaded.
test.describe.configure({ timeout: 180_000 });

// Real profiles: the Go toolchain (compiler + go/types tests) recorded by
// scripts/bench/flamegraph/collect-profiles.sh, and the Parca + demo golden frames of the backend.
const TOOLCHAIN = 'go-toolchain.json.gz';
const DIFF = 'go-compile-diff.json.gz';

test.describe('flame graph of a real Go profile', () => {
  test('labels the widest function and says what was folded away', async ({ harness, page }) => {
    await harness.open({ fixture: TOOLCHAIN, theme: 'dark' });
    const widest = widestTopFrame(TOOLCHAIN);
    await expect(harness.frame('total')).toBeVisible();
    await expect(harness.frame(widest.label).locator('.d3-flame-graph-label')).toHaveText(widest.label);
    // Only what is at least a pixel wide is drawn, and the page says so: frames with a box of
    // their own plus the narrow ones drawn in bulk (slivers) are the count the status line gives.
    const status = page.getByTestId('flame-status');
    await expect(status).toContainText('totals cover all 125,007 nodes');
    const drawn = Number(/([\d,]+) frames drawn/.exec((await status.textContent()) ?? '')![1].replace(/,/g, ''));
    expect(drawn).toBeGreaterThan(200);
    expect(drawn).toBeLessThan(5000);
    const slivers = await harness.sliverCount();
    expect(slivers).toBeGreaterThan(0);
    expect((await harness.frames().count()) + slivers).toBe(drawn);
    await harness.screenshot('toolchain-dark');
  });

  test('the functions table lists the hottest function first and highlights its frames', async ({ harness, page }) => {
    await harness.open({ fixture: TOOLCHAIN });
    const hottest = hottestFunction(TOOLCHAIN);
    await expect(page.getByTestId('top-function-row').first()).toContainText(hottest);
    // The hottest function by self time is spread over many frames each under a pixel; pick one
    // that is drawn (the widest frame at depth 3) through the table's filter, and select it.
    const drawnFunction = widestFrameAt(TOOLCHAIN, 3).label;
    await page.getByTestId('flame-search').fill(drawnFunction);
    const row = page.getByTestId('top-function-row').filter({ hasText: drawnFunction }).first();
    await row.click();
    await expect(row).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('search-summary')).toContainText(drawnFunction);
    const colors = await harness.frameColors();
    const selected = colors.filter((f) => f.name === drawnFunction);
    const hottestFrom = colors.filter((f) => f.name === hottest);
    const others = colors.filter(
      (f) => f.name !== drawnFunction && f.name !== 'total' && !/smaller frame/.test(f.name)
    );
    expect(selected.length).toBeGreaterThan(0);
    expect(hottestFrom.length).toBe(0);
    const dimmed = new Set(others.map((f) => f.fill));
    expect(dimmed.size).toBe(1);
    for (const frame of selected) {
      expect(dimmed.has(frame.fill)).toBe(false);
    }
    await harness.screenshot('toolchain-table-selection');
  });

  test('click zooms in, the path leads back', async ({ harness, page }) => {
    await harness.open({ fixture: TOOLCHAIN, table: 0 });
    const widest = widestTopFrame(TOOLCHAIN);
    const chartWidth = (await page.getByTestId('flame-chart').boundingBox())!.width;
    const before = (await harness.frame(widest.label).locator('rect').boundingBox())!.width;
    expect(before).toBeLessThan(chartWidth * 0.99);
    await harness.frame(widest.label).locator('rect').click();
    const path = page.getByTestId('zoom-path');
    await expect(path).toContainText(widest.label);
    // The zoomed frame now spans the chart; its ancestor is drawn faded above it.
    await expect
      .poll(async () => (await harness.frame(widest.label).locator('rect').boundingBox())!.width)
      .toBeGreaterThan(chartWidth * 0.99);
    await expect(harness.frame('total')).toHaveClass(/fade/);
    await harness.screenshot('toolchain-zoomed');
    await page.getByTestId('zoom-reset').click();
    await expect(path).toBeHidden();
    expect((await harness.frame(widest.label).locator('rect').boundingBox())!.width).toBeCloseTo(before, 0);
  });

  test('search highlights matching frames and gives their exact share of samples', async ({ harness, page }) => {
    await harness.open({ fixture: TOOLCHAIN, table: 0 });
    // Search by package: the package of a frame that is drawn, so highlighting can be seen.
    const term = widestFrameAt(TOOLCHAIN, 3).label.split('.')[0];
    await page.getByTestId('flame-search').fill(term);
    const summary = page.getByTestId('search-summary');
    await expect(summary).toContainText('% of samples');
    await expect(summary).toContainText(/\d+ functions?, \d+ frames?/);
    const colors = await harness.frameColors();
    const matches = (name: string) => name.toLowerCase().includes(term.toLowerCase());
    const matching = colors.filter((f) => matches(f.name));
    const others = colors.filter((f) => !matches(f.name) && !/smaller frame/.test(f.name));
    expect(matching.length).toBeGreaterThan(0);
    const dimmed = new Set(others.map((f) => f.fill));
    expect(dimmed.size).toBe(1);
    expect(matching.every((f) => !dimmed.has(f.fill))).toBe(true);
    // The narrow frames drawn in bulk dim too, and matching ones among them stand out.
    const sliverFills = await harness.sliverFills();
    expect(sliverFills).toContain([...dimmed][0]);
    expect(sliverFills.length).toBeGreaterThan(1);
    await harness.screenshot('toolchain-search');
  });

  test('frames too narrow for a box of their own still have a tooltip and zoom on click', async ({ harness, page }) => {
    await harness.open({ fixture: TOOLCHAIN, table: 0 });
    const chartWidth = (await page.getByTestId('flame-chart').boundingBox())!.width;
    const sliver = await harness.widestSliver();
    expect(sliver.widthPx).toBeGreaterThan(0);
    expect(sliver.widthPx).toBeLessThanOrEqual(4);
    await page.mouse.move(sliver.x, sliver.y);
    const tooltip = page.getByTestId('flame-tooltip');
    await expect(tooltip).toBeVisible();
    await expect(page.locator('[data-testid="flame-chart"] .sliver-hover')).toHaveCount(1);
    // A frame a few pixels wide holds well under 1% of the samples.
    const rootShare = Number(/([\d.]+)% of root/.exec((await tooltip.textContent()) ?? '')![1]);
    expect(rootShare).toBeLessThan(1);
    const name = (await tooltip.locator('div').first().textContent())!;
    await harness.screenshot('toolchain-sliver-tooltip');
    await page.mouse.click(sliver.x, sliver.y);
    await expect(page.getByTestId('zoom-path')).toContainText(name);
    // Zoomed in, the frame that was a sliver spans the chart as a labelled frame.
    await expect
      .poll(async () =>
        Math.max(
          ...(await harness
            .frame(name)
            .locator('rect')
            .evaluateAll((rects) => rects.map((r) => r.getBoundingClientRect().width)))
        )
      )
      .toBeGreaterThan(chartWidth * 0.99);
  });

  test("a frame's menu highlights its function, opens its sandwich, and works from the keyboard", async ({
    harness,
    page,
  }) => {
    await harness.open({ fixture: TOOLCHAIN, table: 0 });
    const label = widestFrameAt(TOOLCHAIN, 3).label;
    await harness.frame(label).first().locator('rect').click({ button: 'right' });
    const menu = page.getByRole('menu');
    await expect(page.getByTestId('frame-menu-title')).toHaveText(label);
    await harness.screenshot('toolchain-frame-menu');
    await menu.getByText('Highlight this function everywhere').click();
    await expect(menu).toBeHidden();
    await expect(page.getByTestId('search-summary')).toContainText(`${label}: 1 function`);
    // Every frame of the function keeps its colour; all others are dimmed alike.
    const colors = await harness.frameColors();
    const dimmed = new Set(
      colors.filter((f) => f.name !== label && f.name !== 'total' && !/smaller frame/.test(f.name)).map((f) => f.fill)
    );
    expect(dimmed.size).toBe(1);
    expect(colors.filter((f) => f.name === label).every((f) => !dimmed.has(f.fill))).toBe(true);

    // A sliver has the same menu, found by hit testing.
    const sliver = await harness.widestSliver();
    await page.mouse.click(sliver.x, sliver.y, { button: 'right' });
    const sliverName = (await page.getByTestId('frame-menu-title').textContent())!;
    expect(sliverName.length).toBeGreaterThan(0);
    await menu.getByText('Sandwich view: callers and callees').click();
    await expect(page.getByText('Callers and callees of')).toContainText(sliverName);
    await page.getByRole('button', { name: 'Back to flame graph' }).click();

    // Keyboard: focus the chart, move to a frame, open its menu, leave it with Escape.
    const chart = page.getByRole('group', { name: /Flame graph/ });
    await chart.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Shift+F10');
    await expect(page.getByTestId('frame-menu-title')).toHaveText(widestTopFrame(TOOLCHAIN).label);
    await page.keyboard.press('Escape');
    await expect(menu).toBeHidden();
    await expect(chart).toBeFocused();
    // Escape closed the menu only: the chart did not zoom out or change.
    await expect(page.getByTestId('zoom-path')).toBeHidden();
  });

  test('tooltip gives self, total and shares in the profile unit', async ({ harness, page }) => {
    await harness.open({ fixture: TOOLCHAIN, table: 0 });
    const widest = widestTopFrame(TOOLCHAIN);
    await harness.frame(widest.label).locator('rect').hover();
    const tooltip = page.getByTestId('flame-tooltip');
    await expect(tooltip).toContainText(widest.label);
    await expect(tooltip).toContainText('of root');
    await expect(tooltip).toContainText('of total');
    await expect(tooltip).toContainText(/Self\s*[\d.]+ (ns|µs|ms|s|min|mins) \(/);
    await expect(tooltip).toContainText(`${(widest.share * 100).toFixed(2)}% of root`);
    await harness.screenshot('toolchain-tooltip');
  });

  test('is reachable from the keyboard', async ({ harness, page }) => {
    await harness.open({ fixture: TOOLCHAIN, table: 0 });
    const chart = page.getByRole('group', { name: /Flame graph/ });
    await page.getByTestId('flame-search').focus();
    for (let tabs = 0; tabs < 5 && !(await chart.evaluate((el) => el === document.activeElement)); tabs++) {
      await page.keyboard.press('Tab');
    }
    await expect(chart).toBeFocused();
    await page.keyboard.press('ArrowDown');
    const status = page.getByTestId('flame-status');
    await expect(status).toContainText('total ');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('zoom-path')).toBeVisible();
    await page.keyboard.press('Home');
    await expect(page.getByTestId('zoom-path')).toBeHidden();
    await page.keyboard.press('/');
    await expect(page.getByTestId('flame-search')).toBeFocused();
  });

  test('sandwich shows callers and callees of one function', async ({ harness, page }) => {
    await harness.open({ fixture: TOOLCHAIN });
    const hottest = hottestFunction(TOOLCHAIN);
    await page.getByRole('button', { name: `Sandwich view of ${hottest}: its callers and callees` }).click();
    await expect(page.getByTestId('sandwich')).toContainText(`Callers`);
    await expect(page.getByText('Callers and callees of')).toContainText(hottest);
    const callers = page.locator('[data-testid="sandwich-callers"] g.frame');
    const callees = page.locator('[data-testid="sandwich-callees"] g.frame');
    await expect(callers.first()).toBeVisible();
    expect(await callers.count()).toBeGreaterThan(1);
    await expect(page.locator(`[data-testid="sandwich-callees"] g.frame[name="${hottest}"]`).first()).toBeVisible();
    expect(await callees.count()).toBeGreaterThanOrEqual(1);
    await harness.screenshot('toolchain-sandwich');
    await page.getByRole('button', { name: 'Back to flame graph' }).click();
    await expect(page.getByTestId('flame-chart')).toBeVisible();
  });

  test('reads well in the light theme and follows its container width', async ({ harness, page }) => {
    await harness.open({ fixture: TOOLCHAIN, theme: 'light', table: 0 });
    await expect(harness.frame('total')).toBeVisible();
    await harness.screenshot('toolchain-light');
    const wide = Number(await page.locator('[data-testid="flame-chart"] svg').getAttribute('width'));
    await page.setViewportSize({ width: 700, height: 800 });
    await expect
      .poll(async () => Number(await page.locator('[data-testid="flame-chart"] svg').getAttribute('width')))
      .toBeLessThan(wide * 0.7);
  });
});

test.describe('lifecycle', () => {
  test('one chart takes new data, and leaves nothing behind on unmount', async ({ harness, page }) => {
    await harness.open({ fixture: DIFF, table: 0 });
    await expect(page.getByTestId('diff-legend')).toBeVisible();
    await harness.frame('total').locator('rect').hover();
    await expect(page.getByTestId('flame-tooltip')).toBeVisible();
    await page.evaluate(() => window.harness!.showFixture!('go-toolchain.json.gz'));
    await expect(page.getByTestId('diff-legend')).toBeHidden();
    await expect(harness.frame(widestTopFrame(TOOLCHAIN).label)).toBeVisible();
    // Updated in place: still one chart.
    await expect(page.locator('[data-testid="flame-chart"] svg')).toHaveCount(1);
    await page.evaluate(() => window.harness!.unmount!());
    await expect(page.locator('svg.d3-flame-graph')).toHaveCount(0);
    await expect(page.getByTestId('flame-tooltip')).toHaveCount(0);
  });
});

test.describe('diff of two real profiles', () => {
  test('colours frames by change and shows the legend', async ({ harness, page }) => {
    await harness.open({ fixture: DIFF });
    await expect(page.getByTestId('diff-legend')).toBeVisible();
    const fills = new Set((await harness.frameColors()).map((f) => f.fill));
    const rgb = [...fills].map((fill) => fill.match(/\d+/g)!.map(Number));
    // Some frames grew (red side), some shrank (green side).
    expect(rgb.some(([r, g]) => r > g + 20)).toBe(true);
    expect(rgb.some(([r, g]) => g > r + 20)).toBe(true);
    await expect(page.getByRole('columnheader', { name: 'Change' })).toBeVisible();
    await harness.frame('total').locator('rect').hover();
    await expect(page.getByTestId('flame-tooltip')).toContainText('Comparison');
    await harness.screenshot('compile-diff-dark');
  });
});

test.describe('golden frames from the real Parca and demo', () => {
  const golden = Object.keys(listFixtures()).filter((name) => name.startsWith('golden/') && name.includes('recorded'));
  test('the backend has recorded golden flame graph frames', () => {
    // pkg/plugin/testdata/recorded holds them; without them the tests below would silently vanish.
    expect(golden.length).toBeGreaterThan(0);
  });
  for (const name of golden) {
    test(`${name} draws, with its notices`, async ({ harness, page }) => {
      await harness.open({ fixture: name });
      await expect(harness.frame('total').or(harness.frames().first())).toBeVisible();
      await expect(page.getByTestId('flame-error')).toHaveCount(0);
      // Where the datasource noted what it left out (Parca's node trim threshold), a person sees it.
      for (const notice of fixtureNotices(name)) {
        await expect(page.getByTestId('flame-notice').filter({ hasText: notice })).toHaveCount(1);
      }
      await harness.screenshot(name.replace(/[^a-z0-9]+/gi, '_'));
    });
  }
});

test.describe('states', () => {
  for (const [state, testId, text] of [
    ['loading', 'flame-loading', 'Loading profile'],
    ['error', 'flame-error', 'Parca answered 503'],
    ['empty', 'flame-empty', 'No profile samples'],
    ['malformed', 'flame-error', 'no "level" field'],
  ] as const) {
    test(`${state} is clear`, async ({ harness, page }) => {
      await harness.open({ state, fixture: TOOLCHAIN });
      await expect(page.getByTestId(testId)).toContainText(text);
      await harness.screenshot(`state-${state}`);
    });
  }
});
