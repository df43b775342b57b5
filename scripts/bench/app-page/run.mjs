#!/usr/bin/env node
// App flame graph page benchmark: how long from navigation to the flame graph drawn, warm (the
// page opened before in the same browser session), beside the time the same merge query takes
// from Parca alone and through the plugin's backend alone.
//
//   scripts/preview.sh &            # a preview host on the local stack (or any host serving the app)
//   node scripts/bench/app-page/run.mjs [--url http://127.0.0.1:3001] [--reps 10] [--service payments]
//                                       [--profile-type process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta]
//
// Two page figures: a full navigation (the host page loads the app's bundles again each time) and a
// navigation inside the loaded app (the router follows a history change, as a link in Grafana does);
// the aim is stated for the second, which is what a Grafana user waits for.
// "Drawn" is the end of the flame graph's draw (the `spanflame:draw` User Timing measure that
// FlameChart records), in ms since navigation start; the browser paints in the frame that follows.
// Parca alone: the same merge query (FLAMEGRAPH_ARROW, the backend's default 0.1 % trim) on Parca's
// HTTP gateway over the same 5 minutes. Backend alone: POST /api/ds/query of the app's query.
import { launchChromium } from '../chromium.mjs';
import { fmt, json, option, percentile } from '../common.mjs';

const base = option('url', process.env.SPANFLAME_PREVIEW_URL ?? 'http://127.0.0.1:3001');
const reps = Number(option('reps', '10'));
const service = option('service', 'payments');
const profileType = option('profile-type', 'process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta');
const RANGE_MS = 5 * 60_000;

const datasource = await json(`${base}/api/datasources/uid/spanflame-parca`);
const parcaURL = datasource.url.replace(/\/$/, '');
const selector = `{service_name="${service}"}`;

/** The app's query straight to Parca's HTTP gateway, over the last 5 minutes. */
async function parcaAlone() {
  const end = Date.now();
  const params = new URLSearchParams({
    mode: 'MODE_MERGE',
    'merge.query': `${profileType}${selector}`,
    'merge.start': new Date(end - RANGE_MS).toISOString(),
    'merge.end': new Date(end).toISOString(),
    reportType: 'REPORT_TYPE_FLAMEGRAPH_ARROW',
    nodeTrimThreshold: '0.1',
  });
  const start = performance.now();
  await json(`${parcaURL}/api/profiles/query?${params}`);
  return performance.now() - start;
}

/** The app's query through the preview host and the plugin backend, without a browser. */
async function backendAlone() {
  const end = Date.now();
  const start = performance.now();
  await json(`${base}/api/ds/query`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      from: String(end - RANGE_MS),
      to: String(end),
      queries: [
        {
          refId: 'flamegraph',
          datasource: { uid: 'spanflame-parca', type: 'spanflame-parca-datasource' },
          queryType: 'profile',
          profileType,
          labelSelector: selector,
        },
      ],
    }),
  });
  return performance.now() - start;
}

const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const url = `${base}/a/spanflame-app/flame-graph?${new URLSearchParams({ profileType, service, from: 'now-5m', to: 'now' })}`;

  /** One navigation: ms from navigation start to the end of the flame graph's draw. */
  const navigate = async () => {
    await page.goto(url, { waitUntil: 'commit' });
    await page.locator('[data-testid="flame-chart"] g.frame').first().waitFor({ timeout: 120_000 });
    return page.evaluate(() => {
      const draws = performance.getEntriesByName('spanflame:draw');
      const first = draws[0];
      return first.startTime + first.duration;
    });
  };

  /**
   * One navigation inside the loaded app, as a link in Grafana opens the page (the router follows the
   * history; no bundle is loaded again): away to a route the app does not have, then back to the page.
   * ms from the route change to the end of the flame graph's draw.
   */
  const navigateInApp = async () => {
    const go = (path) =>
      page.evaluate((p) => {
        const t = performance.now();
        window.history.pushState({}, '', p);
        window.dispatchEvent(new PopStateEvent('popstate', { state: {} }));
        return t;
      }, path);
    await go('/a/spanflame-app/bench-elsewhere');
    await page.locator('[data-testid="flame-chart"]').waitFor({ state: 'detached', timeout: 30_000 });
    const since = await go(new URL(url).pathname + new URL(url).search);
    const handle = await page.waitForFunction(
      (t) => {
        const draw = performance.getEntriesByName('spanflame:draw').find((e) => e.startTime > t);
        return draw ? draw.startTime + draw.duration - t : false;
      },
      since,
      { timeout: 120_000, polling: 'raf' }
    );
    return handle.jsonValue();
  };

  // Warm: bundles, the session's lists and the backend's connections are in place.
  await navigate();
  await navigate();
  const drawn = [];
  const inApp = [];
  const parca = [];
  const backend = [];
  for (let i = 0; i < reps; i++) {
    drawn.push(await navigate());
    inApp.push(await navigateInApp());
    parca.push(await parcaAlone());
    backend.push(await backendAlone());
  }
  const load = (await import('node:os')).loadavg()[0].toFixed(1);
  console.log(
    `App flame graph page, ${service} ${profileType}, last 5 minutes, ${reps} warm navigations (load ${load}):`
  );
  console.log(`  navigation to flame graph drawn:   ${fmt(drawn)}   (a full page load each time)`);
  console.log(`  in-app navigation to drawn:        ${fmt(inApp)}   (a link inside the loaded app)`);
  console.log(`  the same query, Parca alone:        ${fmt(parca)}`);
  console.log(`  the same query, plugin backend:     ${fmt(backend)}`);
  console.log(
    `  in-app page minus Parca alone:      p50 ${(percentile(inApp, 50) - percentile(parca, 50)).toFixed(0)} ms, p95 ${(percentile(inApp, 95) - percentile(parca, 95)).toFixed(0)} ms (aim: within 300 ms)`
  );
  if (errors.length) {
    console.log(`page errors: ${errors.join('; ')}`);
  }
} finally {
  await browser.close();
}
