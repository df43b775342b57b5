import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { type PluginExtensionResourceAttributesContext } from '@grafana/data';
import { parse } from 'yaml';

import type { TraceViewHeaderContext, TraceViewSpan } from '../../../src/extensions/grafanaContexts';
import { configureSpanProfileLink, configureTraceProfileLink } from '../../../src/extensions/links';
import { expect, test } from './fixtures';
import { durationMs, type GroundTruthSpan, overlappingServerSpans, routeKey } from './groundTruth';
import {
  CPU,
  expectSpanShown,
  functionsMatching,
  latest,
  PAGE_TIMEOUT,
  resetSettings,
  STORES,
  truth,
  useTraceStore,
} from './spanPage';

// The span page on the preview host, checked against the demo shop's ground truth, once per trace
// store: Tempo (the stand-in over the stack's Jaeger) and Jaeger itself, picked in the app's settings.
const SHOT_DIR = 'tests/browser/artifacts/preview/span';
const REPO = resolve(__dirname, '../../..');
/** The shop exports its spans every second; a span that ended this long before the page asked is in the store. */
const EXPORT_LAG_MS = 10_000;

test.beforeEach(() => test.setTimeout(600_000));

for (const store of STORES) {
  test.describe(`the span page through ${store.name}`, () => {
    test.beforeEach(async ({ request }) => useTraceStore(request, store.uid));
    test.afterAll(async ({ request }) => resetSettings(request));

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

    test("a span whose CPU ran in unlabelled work falls back to its service's window, with the true overlap count", async ({
      page,
    }) => {
      const unlabelled = Object.keys(truth().metas.frontend.unlabeled_routes ?? {});
      expect(unlabelled.length).toBeGreaterThan(0);
      const span = await latest(
        'span of an unlabelled route',
        (s) => s.kind === 'server' && !s.cpu_labeled && unlabelled.includes(routeKey(s))
      );

      const askedAt = Date.now();
      await page.goto(`/a/spanflame-app/span?traceId=${span.trace_id}&spanId=${span.span_id}`);
      await expectSpanShown(page, span);
      const banner = page.getByTestId('profile-source');
      await expect(banner).toContainText("No CPU samples carry this span's trace_id or span_id", {
        timeout: PAGE_TIMEOUT,
      });
      await expect(banner).toContainText(`all of ${span.service}'s CPU in the profiles that cover the span's window`);
      const counted = new RegExp(`(No|\\d+) other requests? of ${span.service} overlapped it`);
      await expect(banner).toContainText(counted, { timeout: PAGE_TIMEOUT });
      const shownAt = Date.now();
      const said = counted.exec(await banner.innerText())?.[1];
      const shown = said === 'No' ? 0 : Number(said);

      // Requests still running when the page asked the trace store are in neither count, and the shop
      // keeps finishing requests while the page loads: so the truth is read now, and the page's count
      // must lie between the overlapping requests that had surely reached the store when the page
      // asked (ended EXPORT_LAG_MS before) and those that had ended by the time it showed its count.
      const { spans } = truth();
      const endedBefore = (ms: number) =>
        overlappingServerSpans(
          spans.filter((s) => s.end_unix_nano < ms * 1e6),
          span
        );
      const [low, high] = [endedBefore(askedAt - EXPORT_LAG_MS), endedBefore(shownAt)];
      test.info().annotations.push({ type: 'overlaps', description: `truth ${low}..${high}, page ${shown}` });
      expect(shown).toBeGreaterThanOrEqual(low);
      expect(shown).toBeLessThanOrEqual(high);
      await expect(page.getByTestId('flame-chart').locator('g.frame').first()).toBeVisible({ timeout: PAGE_TIMEOUT });
      await page.screenshot({ path: `${SHOT_DIR}/window-fallback-${store.type}.png`, fullPage: true });
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

    test("the trace view header's link lands on the trace's root span, the whole trace's CPU by service", async ({
      page,
    }) => {
      // A checkout whose payment the demo slowed by computing: 100 ms or more of payments' CPU under
      // the trace's labels (10 samples or more), so the whole trace's flame graph surely holds it.
      const charge = await latest(
        'payments span slowed by computing',
        (s) => s.kind === 'server' && s.service === 'payments' && s.slow_by === 'computing' && s.cpu_ns >= 100e6
      );
      const { spans, metas } = truth(); // read after the wait: it holds everything around the span
      const trace = spans.filter((s) => s.trace_id === charge.trace_id);
      const root = trace.find((s) => s.parent_span_id === '') as GroundTruthSpan;
      expect(root, 'the trace of the charge has its root span recorded').toBeTruthy();
      const hot = metas.payments.routes[routeKey(charge)];
      expect(hot).toBeTruthy();

      await page.goto(configureTraceProfileLink(headerContext(trace, store))?.path as string);
      await expectSpanShown(page, root);
      await expect(page.getByRole('radio', { name: 'Whole trace' })).toBeChecked();
      await expect(page.getByTestId('profile-source')).toContainText('trace_id over the whole trace', {
        timeout: PAGE_TIMEOUT,
      });
      // The CPU profile, even though the link narrows the page's range to the trace itself.
      await expect(page.getByRole('link', { name: 'Open in Explore' })).toHaveAttribute('href', /process_cpu/);
      await expect(page.getByTestId('flame-chart').locator('g.frame').first()).toBeVisible({ timeout: PAGE_TIMEOUT });
      await expect(await functionsMatching(page, [hot])).toContainText(/^1 function, [1-9]/);
      await page.screenshot({ path: `${SHOT_DIR}/header-door-${store.type}.png`, fullPage: true });
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

/** The trace view header's context as Grafana 13 passes it: the trace view model, spans in the store's order. */
function headerContext(trace: GroundTruthSpan[], store: (typeof STORES)[number]): TraceViewHeaderContext {
  const us = (nanos: number) => Math.floor(nanos / 1000);
  const depth = (s: GroundTruthSpan): number => {
    const p = trace.find((q) => q.span_id === s.parent_span_id);
    return p ? depth(p) + 1 : 0;
  };
  const spans: TraceViewSpan[] = trace.map((s) => ({
    spanID: s.span_id,
    traceID: s.trace_id,
    operationName: s.name,
    startTime: us(s.start_unix_nano),
    duration: us(s.end_unix_nano) - us(s.start_unix_nano),
    depth: depth(s),
    process: { serviceName: s.service, tags: [] },
    references: s.parent_span_id ? [{ refType: 'CHILD_OF', spanID: s.parent_span_id, traceID: s.trace_id }] : [],
    tags: [],
    kind: s.kind,
  }));
  const startTime = Math.min(...spans.map((s) => s.startTime));
  const endTime = Math.max(...spans.map((s) => s.startTime + s.duration));
  const root = trace.find((s) => s.parent_span_id === '');
  return {
    traceID: trace[0].trace_id,
    startTime,
    endTime,
    duration: endTime - startTime,
    traceName: root ? `${root.service}: ${root.name}` : '',
    spans: [...spans].reverse(),
    services: [...new Set(trace.map((s) => s.service))].map((name) => ({
      name,
      numberOfSpans: trace.filter((s) => s.service === name).length,
    })),
    processes: {},
    datasource: { name: store.name, uid: store.uid, type: store.type },
  };
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
