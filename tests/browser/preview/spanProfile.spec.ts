import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { type PluginExtensionResourceAttributesContext } from '@grafana/data';
import type { APIRequestContext, Page } from '@playwright/test';
import { parse } from 'yaml';

import { configureSpanProfileLink } from '../../../src/extensions/links';
import { expect, test } from './fixtures';
import {
  durationMs,
  type GroundTruthSpan,
  groundTruthDir,
  readMeta,
  readSpans,
  routeKey,
  settledSpans,
} from './groundTruth';

// The span page on the preview host, checked against the demo shop's ground truth, once per trace
// store: Tempo (the stand-in over the stack's Jaeger) and Jaeger itself, picked in the app's settings.
const SHOT_DIR = 'tests/browser/artifacts/preview/span';
const STACK_DIR = process.env.SPANFLAME_PREVIEW_STACK_DIR ?? '/tmp/sf-preview-stack';
const REPO = resolve(__dirname, '../../..');
const SETTINGS = '/api/plugins/spanflame-app/settings';
const CPU = 'process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta';
/** The page loads the app, asks the trace store, then Parca: minutes on a machine shared by many stacks. */
const PAGE_TIMEOUT = 240_000;

const STORES = [
  { name: 'Tempo', uid: 'spanflame-tempo', type: 'tempo' },
  { name: 'Jaeger', uid: 'spanflame-jaeger', type: 'jaeger' },
] as const;

test.beforeEach(() => test.setTimeout(600_000));

async function useTraceStore(request: APIRequestContext, uid: string) {
  const res = await request.post(SETTINGS, {
    data: { enabled: true, pinned: true, jsonData: { traceDatasourceUid: uid } },
  });
  expect(res.ok()).toBe(true);
}

function truth() {
  const dir = groundTruthDir(STACK_DIR);
  return { spans: readSpans(dir), metas: readMeta(dir) };
}

/**
 * The latest settled span that `keep` accepts, waiting for one while the stack is young (a fresh
 * stack has none until its first requests are older than settledSpans' margin).
 */
async function latest(what: string, keep: (s: GroundTruthSpan) => boolean): Promise<GroundTruthSpan> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const found = settledSpans(truth().spans, keep)[0];
    if (found) {
      return found;
    }
    if (Date.now() > deadline) {
      throw new Error(`the ground truth holds no settled ${what} after 3 minutes: is the demo shop sending load?`);
    }
    await new Promise((r) => setTimeout(r, 5000));
  }
}

/** The header of the span the page shows: its service, name and ids. */
async function expectSpanShown(page: Page, span: GroundTruthSpan) {
  const header = page.getByTestId('span-header');
  await expect(header).toContainText(span.service, { timeout: PAGE_TIMEOUT });
  await expect(header).toContainText(span.name);
  // The trace id is followed by the link to the trace's CPU waterfall, then the span id.
  await expect(header).toContainText(`Trace ${span.trace_id}`);
  await expect(header).toContainText(`span ${span.span_id}`);
}

const escapeRegex = (name: string) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The flame graph's search over every node: how many functions match a regex. */
async function functionsMatching(page: Page, names: string[]) {
  await page.getByTestId('flame-search').fill(`/^(${names.map(escapeRegex).join('|')})$/`);
  return page.getByTestId('search-summary');
}

for (const store of STORES) {
  test.describe(`the span page through ${store.name}`, () => {
    test.beforeEach(async ({ request }) => useTraceStore(request, store.uid));
    test.afterAll(async ({ request }) => {
      await request.post(SETTINGS, { data: { enabled: true, pinned: true, jsonData: {} } });
    });

    test("a slow span opened by its trace id alone shows its route's hot function and no other route's", async ({
      page,
    }) => {
      // The frontend's server span is the root of each trace: the trace id alone opens it.
      const slow = await latest(
        'frontend span slowed by computing',
        (s) => s.kind === 'server' && s.parent_span_id === '' && s.slow_by === 'computing'
      );
      const { metas } = truth(); // read after the wait: it holds everything around the span
      const hot = metas[slow.service].routes[routeKey(slow)];
      const others = Object.values(metas)
        .flatMap((m) => Object.values(m.routes))
        .filter((f) => f !== hot);
      expect(hot).toBeTruthy();

      await page.goto(`/a/spanflame-app/span?traceId=${slow.trace_id}`);
      await expectSpanShown(page, slow);
      await expect(page.getByTestId('profile-source')).toContainText("labelled with this span's span_id", {
        timeout: PAGE_TIMEOUT,
      });
      await expect(page.getByTestId('flame-chart').locator('g.frame').first()).toBeVisible({ timeout: PAGE_TIMEOUT });
      await expect(await functionsMatching(page, [hot])).toContainText(/^1 function, [1-9]/);
      await expect(await functionsMatching(page, others)).toContainText(/^0 functions/);
      await page.screenshot({ path: `${SHOT_DIR}/slow-span-${store.type}.png`, fullPage: true });
    });

    test('a span shorter than the sampling period gets the short-span warning', async ({ page }) => {
      // The demo's profiles are Go's, at 100 Hz: one sample every 10 ms.
      const short = await latest('server span under 10 ms', (s) => s.kind === 'server' && durationMs(s) < 10);

      await page.goto(`/a/spanflame-app/span?traceId=${short.trace_id}&spanId=${short.span_id}&profileType=${CPU}`);
      await expectSpanShown(page, short);
      const warning = page.getByTestId('short-span-warning');
      await expect(warning).toContainText('at 100 Hz a profiler takes about', { timeout: PAGE_TIMEOUT });
      await expect(warning).toContainText('too few for a reliable profile');
      const merged = warning.getByRole('link', { name: 'Merged profile of the route' });
      await expect(merged).toHaveAttribute('href', new RegExp(`spanId=${short.span_id}.*view=route`));
      await page.screenshot({ path: `${SHOT_DIR}/short-span-${store.type}.png`, fullPage: true });
    });

    test("the span row's link in the trace view lands on that span", async ({ page }) => {
      // A span in the middle of its trace: checkout's, called by the frontend.
      const child = await latest('checkout server span', (s) => s.kind === 'server' && s.service === 'checkout');
      const { spans } = truth(); // read after the wait: it holds everything around the span
      const parent = spans.find((s) => s.span_id === child.parent_span_id && s.trace_id === child.trace_id);
      const startUs = Math.floor(child.start_unix_nano / 1000);
      // As Grafana 13's span details pass it: attribute values are lists, the start in microseconds.
      const ctx: PluginExtensionResourceAttributesContext = {
        attributes: { 'service.name': [child.service], 'service.namespace': ['shop'] },
        spanAttributes: { 'http.route': [child.route] },
        timeRange: { from: Math.floor(startUs / 1000) - 3_600_000, to: Math.ceil(startUs / 1000) + 60_000 },
        datasource: { type: store.type, uid: store.uid },
        traceID: child.trace_id,
        spanID: child.span_id,
        spanStartTime: startUs,
      };
      const path = configureSpanProfileLink(ctx)?.path;
      expect(path).toMatch(/^\/a\/spanflame-app\/span\?/);

      await page.goto(path as string);
      await expectSpanShown(page, child);
      // The page looked the rest up: the span's place between its parent and children.
      await expect(page.getByTestId('span-place')).toContainText(`Parent: ${parent?.service}: ${parent?.name}`);
      await expect(page.getByTestId('profile-source').or(page.getByTestId('no-samples'))).toBeVisible({
        timeout: PAGE_TIMEOUT,
      });
    });

    test("the provisioned correlation's URL, filled as Grafana fills it, lands on the span", async ({ page }) => {
      const span = await latest('payments server span', (s) => s.kind === 'server' && s.service === 'payments');
      // Grafana's trace frame: ids, the service, and startTime and duration in ms with their fractions.
      const startMs = Math.floor(span.start_unix_nano / 1000) / 1000;
      const row: Record<string, string | number> = {
        traceID: span.trace_id,
        spanID: span.span_id,
        serviceName: span.service,
        startTime: startMs,
        duration: Math.floor((span.end_unix_nano - span.start_unix_nano) / 1000) / 1000,
      };
      await page.goto(correlationUrl(store.uid, row));
      await expectSpanShown(page, span);
      await expect(page.getByTestId('profile-source').or(page.getByTestId('no-samples'))).toBeVisible({
        timeout: PAGE_TIMEOUT,
      });
    });
  });
}

/**
 * The correlation's target URL from provisioning, filled as Grafana fills a correlation's variables
 * from the clicked row's fields. Provisioning expands "${...}" from the environment and "$$" to "$",
 * so the stored template is the file's with "$$" made "$".
 */
function correlationUrl(datasourceUid: string, row: Record<string, string | number>): string {
  const file = parse(readFileSync(join(REPO, 'provisioning/datasources/spanflame.yaml'), 'utf8')) as {
    datasources: Array<{ uid: string; correlations?: Array<{ label: string; config: { target: { url: string } } }> }>;
  };
  const correlation = file.datasources
    .find((d) => d.uid === datasourceUid)
    ?.correlations?.find((c) => c.label === 'Open span profile');
  expect(correlation, `a span-profile correlation on ${datasourceUid}`).toBeTruthy();
  const template = (correlation as { config: { target: { url: string } } }).config.target.url.replace(/\$\$/g, '$');
  return template.replace(/\$\{(\w+)\}/g, (_, name: string) => {
    if (!(name in row)) {
      throw new Error(`the correlation uses \${${name}}, which the trace frame has no field for`);
    }
    return encodeURIComponent(String(row[name]));
  });
}
