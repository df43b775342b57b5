#!/usr/bin/env node
// Span page benchmark: how long from opening the span page of a demo span to its flame graph painted,
// over 20 spans of the demo shop's ground truth, beside the time Parca alone takes for the same
// profile queries (measured in the same run, right after each page).
//
//   scripts/preview.sh &            # a preview host on the local stack
//   node scripts/bench/span-page/run.mjs [--url http://127.0.0.1:3001] [--spans 20]
//        [--trace-datasource spanflame-tempo|spanflame-jaeger] [--ground-truth DIR]
//
// Each span page is opened the way a door opens it (trace and span id in the URL, nothing else) in
// one warm browser session. "Painted" is the end of the flame graph's draw (the `spanflame:draw`
// User Timing measure FlameChart records). Two figures per span:
//   - navigation to painted: from navigation start, so it includes loading the app in the host page;
//   - span page's own work: from the page's first call to the trace store to painted (trace lookup,
//     profile types, the profile queries, decoding and drawing), what a user waits for once the app
//     is loaded, as in Grafana where the trace view's link opens the page inside a loaded app.
// Parca alone: every profile query the page sent (captured from its /api/ds/query calls), sent
// straight to Parca's HTTP gateway one after another with the same selector, ids and window.
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

import { launchChromium } from '../chromium.mjs';
import { fmt, json, option } from '../common.mjs';

const base = option('url', process.env.SPANFLAME_PREVIEW_URL ?? 'http://127.0.0.1:3001');
const count = Number(option('spans', '20'));
const traceDatasource = option('trace-datasource', undefined);
const stackDir = process.env.SPANFLAME_STACK_DIR ?? '.stack';
const groundTruth =
  option('ground-truth', undefined) ??
  process.env.SPANFLAME_GROUND_TRUTH_DIR ??
  /^SPANFLAME_GROUND_TRUTH_DIR=(.+)$/m.exec(readFileSync(join(stackDir, 'stack.env'), 'utf8'))?.[1];

/** Settled server spans whose CPU runs under their labels, across routes, the heaviest first. */
function pickSpans() {
  const spans = [];
  for (const file of readdirSync(groundTruth).filter((f) => f.endsWith('.spans.jsonl'))) {
    const lines = readFileSync(join(groundTruth, file), 'utf8').split('\n');
    lines.pop(); // a last line still being written
    spans.push(...lines.filter((l) => l.trim()).map((l) => JSON.parse(l)));
  }
  const now = Date.now() * 1e6;
  const settled = spans.filter(
    (s) => s.kind === 'server' && s.cpu_labeled && s.end_unix_nano < now - 45e9 && s.end_unix_nano > now - 30 * 60e9
  );
  const byRoute = new Map();
  for (const s of settled.sort((a, b) => b.cpu_ns - a.cpu_ns)) {
    const key = `${s.service} ${s.name}`;
    byRoute.set(key, [...(byRoute.get(key) ?? []), s]);
  }
  const picked = [];
  for (let round = 0; picked.length < count && round < 1000; round++) {
    const before = picked.length;
    for (const list of byRoute.values()) {
      if (list[round] && picked.length < count) {
        picked.push(list[round]);
      }
    }
    if (picked.length === before) {
      break;
    }
  }
  return picked;
}

const datasource = await json(`${base}/api/datasources/uid/spanflame-parca`);
const parcaURL = datasource.url.replace(/\/$/, '');
if (traceDatasource) {
  await json(`${base}/api/plugins/spanflame-app/settings`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ enabled: true, pinned: true, jsonData: { traceDatasourceUid: traceDatasource } }),
  });
}
const settings = await json(`${base}/api/plugins/spanflame-app/settings`);
const store = settings.jsonData?.traceDatasourceUid ?? '(none)';

/** A backend profile query as the Parca query string: the selector with the trace and span ids added. */
function parcaQueryString(q) {
  const inner = (q.labelSelector ?? '{}').trim().replace(/^\{|\}$/g, '');
  const matchers = [inner, q.traceId && `trace_id="${q.traceId}"`, q.spanId && `span_id="${q.spanId}"`].filter(Boolean);
  return `${q.profileType}{${matchers.join(', ')}}`;
}

/** The same merge the backend asks for (every node kept: the span page turns trimming off). */
async function parcaAlone(q, from, to) {
  const params = new URLSearchParams({
    mode: 'MODE_MERGE',
    'merge.query': parcaQueryString(q),
    'merge.start': new Date(Number(from)).toISOString(),
    'merge.end': new Date(Number(to)).toISOString(),
    reportType: 'REPORT_TYPE_FLAMEGRAPH_ARROW',
    nodeTrimThreshold: String(q.nodeTrimThreshold ?? 0),
  });
  const start = performance.now();
  const res = await fetch(`${parcaURL}/api/profiles/query?${params}`);
  await res.arrayBuffer(); // "No data found" (404) is an answer too: the page asked for it
  return performance.now() - start;
}

const spans = pickSpans();
if (spans.length === 0) {
  throw new Error(`no settled labelled server span in ${groundTruth}: let the demo shop run a minute`);
}
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  let profileQueries = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/ds/query') && r.method() === 'POST') {
      const body = r.postDataJSON();
      for (const q of body?.queries ?? []) {
        if (q.datasource?.type === 'spanflame-parca-datasource' && q.queryType === 'profile') {
          profileQueries.push({ q, from: body.from, to: body.to });
        }
      }
    }
  });

  const spanPath = (span) => `/a/spanflame-app/span?traceId=${span.trace_id}&spanId=${span.span_id}`;
  /** Done for a span: its flame graph drawn after `since`, or the page saying it has no samples. */
  const done = (span, since) =>
    page.waitForFunction(
      ({ spanId, since }) => {
        const header = document.querySelector('[data-testid="span-header"]');
        if (!header?.textContent?.includes(`span ${spanId}`)) {
          return false;
        }
        const draws = performance.getEntriesByName('spanflame:draw').filter((e) => e.startTime > since);
        if (draws.length > 0) {
          return { painted: draws[0].startTime + draws[0].duration - since };
        }
        const none = document.querySelector('[data-testid="no-samples"], [data-testid="profile-problem"]');
        return none ? { painted: undefined } : false;
      },
      { spanId: span.span_id, since },
      { timeout: 180_000, polling: 'raf' }
    );

  /**
   * Opens a span page inside the loaded app, as a link in Grafana does (the router follows the
   * history), and returns ms from the click to the flame graph drawn (undefined: no flame graph).
   */
  const open = async (span) => {
    profileQueries = [];
    const since = await page.evaluate((path) => {
      const t = performance.now();
      window.history.pushState({}, '', path);
      window.dispatchEvent(new PopStateEvent('popstate', { state: {} }));
      return t;
    }, spanPath(span));
    const result = await (await done(span, since)).jsonValue();
    const source = await page
      .getByTestId('profile-source')
      .textContent({ timeout: 1000 })
      .catch(() => '');
    return { painted: result.painted, window: /No CPU samples carry/.test(source ?? '') };
  };

  // Load the app once (in Grafana it is loaded before the trace view's link is clicked), then warm up.
  const boot = performance.now();
  await page.goto(`${base}${spanPath(spans[0])}`, { waitUntil: 'commit', timeout: 300_000 });
  await done(spans[0], 0);
  const bootMs = performance.now() - boot;
  // Two other spans, so the first measured one is a new page too.
  await open(spans[1 % spans.length]);
  await open(spans[2 % spans.length]);
  const painted = [];
  const parca = [];
  let windows = 0;
  let blank = 0;
  for (const span of spans) {
    const result = await open(span);
    if (result.painted === undefined) {
      blank++;
    } else {
      painted.push(result.painted);
    }
    windows += result.window ? 1 : 0;
    // Parca alone, for the same queries, one after another.
    let total = 0;
    for (const { q, from, to } of profileQueries) {
      total += await parcaAlone(q, from, to);
    }
    parca.push(total);
  }
  console.log(
    `Span page, ${spans.length} demo spans (${spans.length - windows - blank} by their own labels, ${windows} by the window fallback, ` +
      `${blank} without samples), trace datasource ${store}, warm browser (load ${loadavg()[0].toFixed(1)}):`
  );
  console.log(`  open the span page to flame graph painted:  ${fmt(painted)}   (aim: p95 under 500 ms)`);
  console.log(`  the same profile queries, Parca alone:      ${fmt(parca)}`);
  console.log(`  (loading the app in the host page first took ${(bootMs / 1000).toFixed(1)} s)`);
  if (errors.length) {
    console.log(`page errors: ${errors.join('; ')}`);
  }
} finally {
  await browser.close();
}
