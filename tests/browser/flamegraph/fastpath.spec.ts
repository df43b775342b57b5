import { readFileSync } from 'node:fs';
import path from 'node:path';

import { expect, test, widestTopFrame } from './fixtures';

// The chart draws through d3-flame-graph with its per-frame work skipped (renderer/fastDraw.ts,
// labels.ts, slivers.ts): no transitions, no HTML label boxes, narrow frames drawn in bulk. Those
// shortcuts lean on how d3-flame-graph 5.0.0 draws. This draws through the real library and fails
// when one of them stops holding underneath, say after a version change.
test.describe.configure({ timeout: 180_000 });

const TOOLCHAIN = 'go-toolchain.json.gz';
const REPO = path.resolve(__dirname, '../../..');

test('d3-flame-graph is pinned to the exact version the fast path was written against', () => {
  const manifest = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  const installed = JSON.parse(readFileSync(path.join(REPO, 'node_modules/d3-flame-graph/package.json'), 'utf8'));
  expect(manifest.dependencies['d3-flame-graph']).toBe('5.0.0');
  expect(installed.version).toBe('5.0.0');
});

test("the fast path's assumptions hold in the real library, drawn and zoomed", async ({ harness, page }) => {
  // Count every d3 transition ever scheduled: d3-transition keeps them on the node as
  // `__transition`, so a setter on the prototype sees the first one of each node.
  await page.addInitScript(() => {
    const counts = { transitions: 0 };
    (window as unknown as { fastPathCounts: typeof counts }).fastPathCounts = counts;
    Object.defineProperty(Element.prototype, '__transition', {
      configurable: true,
      set(value: unknown) {
        counts.transitions += 1;
        Object.defineProperty(this, '__transition', { value, writable: true, configurable: true, enumerable: false });
      },
    });
  });
  await harness.open({ fixture: TOOLCHAIN, table: 0, zoom: '' });

  const check = async (when: string) => {
    await expect(page.getByTestId('flame-status')).toContainText('frames drawn');
    const status = (await page.getByTestId('flame-status').textContent()) ?? '';
    const drawn = Number(/([\d,]+) frames drawn/.exec(status)![1].replace(/,/g, ''));
    const chart = page.getByTestId('flame-chart');
    expect(await chart.locator('foreignObject').count(), `${when}: no HTML label boxes`).toBe(0);
    expect(
      await page.evaluate(() => (window as unknown as { fastPathCounts: { transitions: number } }).fastPathCounts),
      `${when}: no transition scheduled`
    ).toEqual({ transitions: 0 });
    expect((await harness.frames().count()) + (await harness.sliverCount()), `${when}: drawn = status line`).toBe(
      drawn
    );
    // Labels are SVG text on frames wide enough to hold them.
    expect(await chart.locator('g.frame text.d3-flame-graph-label').count(), `${when}: labels`).toBeGreaterThan(0);
  };

  await expect(harness.frame('total')).toBeVisible();
  await check('first draw');

  // Redraws go through d3-flame-graph's update(): zoom in and out as a kept zoom (the app's URL) does.
  const widest = widestTopFrame(TOOLCHAIN).label;
  await page.evaluate((name) => window.harness!.zoomTo!([name]), widest);
  await expect(page.getByTestId('zoom-path')).toContainText(widest);
  await check('after a zoom');

  await page.evaluate(() => window.harness!.zoomTo!([]));
  await expect(page.getByTestId('zoom-path')).toBeHidden();
  await check('after zooming out');

  // New data into the same chart.
  await page.evaluate(() => window.harness!.showFixture!('go-compile-diff.json.gz'));
  await expect(page.getByTestId('diff-legend')).toBeVisible();
  await check('after new data');
});
