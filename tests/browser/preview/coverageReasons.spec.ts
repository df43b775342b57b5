import type { APIRequestContext, Locator, Page } from '@playwright/test';

import { expect, stackURLs, test } from './fixtures';
import { durationMs, groundTruthDir, readMeta, readSpans } from './groundTruth';

// The coverage page's reasons in the preview host against the demo shop: the real Parca, Prometheus
// and Jaeger, checked against what the demo recorded it did (demo/groundtruth). The overall unlinked
// share is not checked here (the demo's calibration of it is being fixed apart).
const SHOT_DIR = 'tests/browser/artifacts/preview';
const STACK_DIR = process.env.SPANFLAME_PREVIEW_STACK_DIR ?? '/tmp/sf-preview-stack';
const CPU = 'process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta';
/** Go's pprof samples at 100 Hz: a request under 10 ms may get no sample (DEFAULT_SAMPLING_HZ). */
const SAMPLING_PERIOD_MS = 10;
const RANGE_MS = 10 * 60_000;
const TIMEOUT = 180_000;
const SETTINGS = '/api/plugins/spanflame-app/settings';

test.beforeEach(() => test.setTimeout(600_000));

// The preview host starts the app with empty settings: the reasons need Prometheus and a trace store.
const saveJsonData = async (request: APIRequestContext, jsonData: object) => {
  const res = await request.post(SETTINGS, { data: { enabled: true, pinned: true, jsonData } });
  expect(res.ok()).toBe(true);
};
test.beforeEach(async ({ request }) =>
  saveJsonData(request, { prometheusDatasourceUid: 'spanflame-prometheus', traceDatasourceUid: 'spanflame-jaeger' })
);
test.afterEach(async ({ request }) => saveJsonData(request, {}));

const truthDir = () => groundTruthDir(STACK_DIR);

async function openReasons(page: Page, service: string, range = { from: 'now-10m', to: 'now' }): Promise<Locator> {
  await page.goto(
    `/a/spanflame-app/coverage?var-profileType=${CPU}&from=${range.from}&to=${range.to}&service=${encodeURIComponent(service)}`
  );
  const reasons = page.locator(`[data-testid="coverage-service-reasons"][data-service="${service}"]`);
  await expect(reasons).toBeVisible({ timeout: TIMEOUT });
  return reasons;
}

/** A reason's share as the page shows it, once measured. */
async function measuredShare(reasons: Locator, id: string): Promise<number> {
  const share = reasons.locator(`[data-reason="${id}"] [data-testid="coverage-reason-share"]`);
  await expect(share).toBeVisible({ timeout: TIMEOUT });
  return Number(await share.getAttribute('data-share'));
}

/** The functions the "work outside requests" reason lists, by full name: the first rows, then all of them. */
async function listedFunctions(reasons: Locator): Promise<{ first: string[]; all: string[] }> {
  const reason = reasons.locator('[data-reason="outside-requests"]');
  const rows = reason.locator('[data-testid="coverage-reason"]');
  await expect(rows.first()).toBeVisible({ timeout: TIMEOUT });
  const names = () => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-function') ?? ''));
  const first = await names();
  const showAll = reason.getByRole('button', { name: /^Show all \d+ functions$/ });
  if (await showAll.isVisible()) {
    await showAll.click();
    await expect(rows).not.toHaveCount(first.length);
  }
  return { first, all: await names() };
}

/** What the demo's unlinked work was: its kind (worker_pool, background_job, before_labels) and function. */
interface UnlinkedWork {
  kind: string;
  fn: string;
  cpuSeconds: number;
}

/**
 * The demo's own count of its unlinked work per function over [fromMs, toMs] (the shop's
 * shop_unlinked_work_cpu_seconds_total, scraped by the stack's Prometheus; the shop's instance is its
 * listen address): which functions ran, and how much, whatever a profile shows.
 */
async function unlinkedWork(
  request: APIRequestContext,
  listen: string,
  range: { fromMs: number; toMs: number }
): Promise<UnlinkedWork[]> {
  const seconds = Math.round((range.toMs - range.fromMs) / 1000);
  const query = `increase(shop_unlinked_work_cpu_seconds_total{instance="${listen}"}[${seconds}s])`;
  const res = await request.get(`${stackURLs().prometheus}/api/v1/query`, {
    params: { query, time: String(range.toMs / 1000) },
  });
  expect(res.ok(), `Prometheus answered ${query}`).toBe(true);
  const body = (await res.json()) as {
    data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
  };
  return body.data.result.map((r) => ({ kind: r.metric.kind, fn: r.metric.function, cpuSeconds: Number(r.value[1]) }));
}

/**
 * CPU that a function must have spent in the range to be looked for: at Go's 100 Hz that is 50 samples
 * if every second is profiled, and enough for Parca's scrapes (a profile of some seconds every few
 * seconds) to catch some of it.
 */
const FINDABLE_CPU_SECONDS = 0.5;
/** The kinds of unlinked work the reasons must name: the work handed to the pool, and the background job. */
const ASYNC_WORK = ['worker_pool', 'background_job'];

test("the reasons list the demo's worker-pool and background-job functions by full name, never a route's hot function", async ({
  page,
  request,
}) => {
  const metas = readMeta(truthDir());
  const services = Object.keys(metas).sort();
  expect(services.length).toBeGreaterThanOrEqual(3);
  const toMs = Date.now() - 5_000;
  const range = { fromMs: toMs - RANGE_MS, toMs };
  const seen: Record<string, object> = {};
  const kindsChecked = new Set<string>();
  for (const service of services) {
    const meta = metas[service];
    // From the demo's own counters: the pool's and the background job's functions that ran in the range.
    const work = (await unlinkedWork(request, meta.listen, range)).filter((w) => ASYNC_WORK.includes(w.kind));
    const expected = work.filter((w) => w.cpuSeconds >= FINDABLE_CPU_SECONDS);
    // The counters and the demo's configuration name the same functions.
    expect(work.map((w) => w.fn).filter((fn) => !meta.unlinked_functions.includes(fn))).toEqual([]);
    expected.forEach((w) => kindsChecked.add(w.kind));

    const reasons = await openReasons(page, service, { from: String(range.fromMs), to: String(range.toMs) });
    const { first, all } = await listedFunctions(reasons);
    seen[service] = {
      work: work.map((w) => `${w.kind} ${w.fn.split('/').pop()} ${w.cpuSeconds.toFixed(2)} s`),
      first: first.map((fn) => fn.split('/').pop()),
      all: all.length,
    };
    // Every pool or background-job function that ran is listed by its full name...
    const missing = expected.filter((w) => !all.includes(w.fn)).map((w) => w.fn);
    // ...and the one that ran the most is among the first rows, not only behind "Show all".
    const most = [...expected].sort((a, b) => b.cpuSeconds - a.cpuSeconds)[0];
    // A route's hot function runs under its trace: it never leads the list.
    const hot = first.filter((fn) => Object.values(meta.routes).includes(fn));
    expect({ service, missing, mostInFirstRows: !most || first.includes(most.fn), hot }).toEqual({
      service,
      missing: [],
      mostInFirstRows: true,
      hot: [],
    });
  }
  test.info().annotations.push({ type: 'listed', description: JSON.stringify(seen) });
  await page.screenshot({ path: `${SHOT_DIR}/coverage-reasons-functions.png`, fullPage: true });
  // Both kinds ran somewhere in the range, so both were looked for.
  expect([...kindsChecked].sort()).toEqual([...ASYNC_WORK].sort());
});

test("the short-request share is within 5 points of the demo's recorded requests", async ({ page }) => {
  const metas = readMeta(truthDir());
  const services = Object.keys(metas).sort();
  const shown: Record<string, number> = {};
  const truth: Record<string, number> = {};
  for (const service of services) {
    const reasons = await openReasons(page, service);
    shown[service] = await measuredShare(reasons, 'short-requests');
    // The same requests the page counted: the service's server spans that ended in its range.
    const end = Date.now() * 1e6;
    const spans = readSpans(truthDir()).filter(
      (s) =>
        s.service === service && s.kind === 'server' && s.end_unix_nano > end - RANGE_MS * 1e6 && s.end_unix_nano <= end
    );
    expect(spans.length).toBeGreaterThan(50);
    truth[service] = (100 * spans.filter((s) => durationMs(s) < SAMPLING_PERIOD_MS).length) / spans.length;
  }
  test.info().annotations.push({ type: 'short shares', description: JSON.stringify({ shown, truth }) });
  for (const service of services) {
    const within5 = Math.abs(shown[service] - truth[service]) <= 5;
    expect({ service, shown: shown[service], truth: truth[service], within5 }).toEqual({
      service,
      shown: shown[service],
      truth: truth[service],
      within5: true,
    });
  }
  // The demo makes some requests short on purpose (meta short_routes): the shares compared are not all zero.
  expect(Object.values(truth).some((share) => share > 0)).toBe(true);
});

test('trace ids Parca holds are all in the trace store: the demo samples and exports every trace', async ({ page }) => {
  const metas = readMeta(truthDir());
  for (const service of Object.keys(metas).sort()) {
    const reasons = await openReasons(page, service);
    const reason = reasons.locator('[data-reason="traces-not-stored"]');
    const share = await measuredShare(reasons, 'traces-not-stored');
    // Read after the page answered: its sample ends 30 s before it loaded, long after the test began.
    const recorded = new Set(readSpans(truthDir()).map((s) => s.trace_id));
    await expect(reason.getByTestId('coverage-reason-detail')).toContainText('(at most 20 looked up, one call each)');
    const checked = await reason
      .locator('[data-trace-id]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-trace-id') ?? ''));
    const missing = await reason
      .locator('[data-testid="coverage-traces-not-stored"] [data-trace-id]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-trace-id') ?? ''));
    // The sample is the demo's own traces, as many as the cap allows...
    expect(checked.length).toBeGreaterThan(0);
    expect(checked.length).toBeLessThanOrEqual(20);
    expect(checked.filter((id) => !recorded.has(id))).toEqual([]);
    // ...and the demo samples every trace (ParentBased(AlwaysSample)) and exports every span it
    // records, so by its ground truth none is missing: the page must read 0%.
    expect({ service, share, missing }).toEqual({ service, share: 0, missing: [] });
  }
  await page.screenshot({ path: `${SHOT_DIR}/coverage-reasons-traces.png`, fullPage: true });
});
