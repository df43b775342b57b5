import { expect, test } from './fixtures';
import { durationMs, groundTruthDir, type GroundTruthSpan, readSpans } from './groundTruth';

const SHOT_DIR = 'tests/browser/artifacts/preview';
const STACK_DIR = process.env.SPANFLAME_PREVIEW_STACK_DIR ?? '/tmp/sf-preview-stack';
/** The relay collects 5 s CPU profiles: two rounds after a span ended its samples are in Parca. */
const SETTLE_MS = 15_000;

/** The latest settled server span that fits, so its trace and its samples have landed. */
function latest(spans: GroundTruthSpan[], fits: (s: GroundTruthSpan) => boolean): GroundTruthSpan {
  const settled = (Date.now() - SETTLE_MS) * 1e6;
  const found = spans
    .filter((s) => s.kind === 'server' && s.end_unix_nano < settled && fits(s))
    .sort((a, b) => b.end_unix_nano - a.end_unix_nano)[0];
  if (!found) {
    throw new Error('the demo has recorded no such span yet');
  }
  return found;
}

test.describe("the trace's CPU waterfall (#17)", () => {
  // The host starts with empty app settings: pick the provisioned Jaeger as the trace store, as a user would.
  test.beforeEach(async ({ request }) => {
    const res = await request.post('/api/plugins/spanflame-app/settings', {
      data: { enabled: true, pinned: true, jsonData: { traceDatasourceUid: 'spanflame-jaeger' } },
    });
    expect(res.ok()).toBe(true);
  });
  test.afterAll(async ({ request }) => {
    await request.post('/api/plugins/spanflame-app/settings', { data: { enabled: true, pinned: true, jsonData: {} } });
  });

  test("draws each span's own CPU inside its bar, and the trace's CPU per service", async ({ page }) => {
    const truth = readSpans(groundTruthDir(STACK_DIR));
    // payments computing on purpose: 200 ms of CPU or more is 20 samples or more at 100 Hz.
    const computing = latest(truth, (s) => s.slow_by === 'computing' && s.service === 'payments' && s.cpu_ns >= 200e6);
    const trace = truth.filter((s) => s.trace_id === computing.trace_id);

    await page.goto(`/a/spanflame-app/trace?traceId=${computing.trace_id}`);
    const waterfall = page.getByTestId('trace-waterfall');
    await expect(waterfall.getByTestId('waterfall-row')).toHaveCount(trace.length, { timeout: 90_000 });

    // The computing span's bar is filled in proportion to its CPU, which matches the record.
    const row = waterfall.locator(`[data-testid="waterfall-row"][data-span-id="${computing.span_id}"]`);
    const measuredMs = Number(await row.getAttribute('data-cpu-ms'));
    expect(Math.abs(measuredMs - computing.cpu_ns / 1e6) / (computing.cpu_ns / 1e6)).toBeLessThan(0.2);
    const cpuBox = await row.getByTestId('span-cpu-bar').boundingBox();
    const barBox = await row.getByTestId('span-cpu-bar').locator('..').boundingBox();
    expect(cpuBox && barBox).toBeTruthy();
    const drawnShare = (cpuBox?.width ?? 0) / (barBox?.width ?? 1);
    expect(cpuBox?.width ?? 0).toBeGreaterThan(0);
    expect(drawnShare).toBeCloseTo(Math.min(1, measuredMs / durationMs(computing)), 1);
    await expect(row).toContainText(/CPU \d/);

    // A client span does no work of its own: an empty bar.
    const client = trace.find((s) => s.kind === 'client');
    if (client) {
      const clientRow = waterfall.locator(`[data-testid="waterfall-row"][data-span-id="${client.span_id}"]`);
      expect(Number(await clientRow.getAttribute('data-cpu-ms'))).toBe(0);
      expect((await clientRow.getByTestId('span-cpu-bar').boundingBox())?.width ?? 0).toBeLessThan(1);
    }

    // CPU per service: payments first, and the services add up to the trace's total.
    const services = page.getByTestId('trace-service');
    await expect(services.first()).toHaveAttribute('data-service', 'payments');
    const total = Number(await page.getByTestId('trace-summary').getAttribute('data-total-cpu-ms'));
    const serviceSum = (
      await services.evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-cpu-ms'))))
    ).reduce((a, b) => a + b, 0);
    expect(serviceSum).toBeLessThanOrEqual(total + 1e-6);
    expect(serviceSum).toBeGreaterThan(0.9 * total);
    await page.screenshot({ path: `${SHOT_DIR}/trace-waterfall.png`, fullPage: true });

    // Each bar opens its span's page, which links back to the waterfall.
    await row.getByRole('link').click();
    await expect(page).toHaveURL(new RegExp(`/a/spanflame-app/span\\?.*spanId=${computing.span_id}`));
    await page.getByRole('link', { name: 'CPU waterfall of the trace' }).click();
    await expect(page).toHaveURL(new RegExp(`/a/spanflame-app/trace\\?traceId=${computing.trace_id}`));
    await expect(page.getByTestId('waterfall-row')).toHaveCount(trace.length, { timeout: 90_000 });
  });
});
