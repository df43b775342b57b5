#!/usr/bin/env node
// Why-slow cost benchmark: what the service page's Why slow tab costs as the trace store's span
// count for a route grows. For each count N it generates N spans (durations: a typical body and a
// 5 % slow tail, as the demo's slow routes), runs the tab's own code (src/pages/Service/domain/
// whySlow.ts, bundled with esbuild) to choose the slow and typical sides and build the ONE diff
// query, and prints: Parca queries, bytes of the two selectors, and the time to choose and build (CPU
// time beside wall time: on a shared machine the wall time mostly measures the queue for a core).
//
//   node scripts/bench/why-slow/run.mjs [--counts 1000,10000,100000,1000000] [--reps 5]
//                                       [--url http://127.0.0.1:3001 --service frontend]
//
// With --url (a preview host on the local stack, or any host serving the app), it also sends the
// built diff query for the largest N to the plugin backend (POST /api/ds/query, the last 15 min),
// which runs its two Parca merges, and prints the median time. The ids are synthetic (they match
// no sample), so the time is Parca filtering the range's samples by a 2 x K id regex: what a real
// why-slow query pays, less the flame graph of the matches.
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
};
const counts = option('counts', '1000,10000,100000,1000000').split(',').map(Number);
const reps = Number(option('reps', '5'));
const base = option('url', undefined);
const service = option('service', 'frontend');
const profileType = option('profile-type', 'process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta');

const dir = mkdtempSync(join(tmpdir(), 'sf-why-slow-bench-'));
const bundle = join(dir, 'whySlow.mjs');
const out = await build({
  entryPoints: [join(REPO, 'src/pages/Service/domain/whySlow.ts')],
  bundle: true,
  format: 'esm',
  platform: 'node',
  write: false,
  logLevel: 'error',
});
writeFileSync(bundle, out.outputFiles[0].text);
const { chooseWhySlowSpans, whySlowDiffQuery, WHY_SLOW_SIDE_SIZE } = await import(pathToFileURL(bundle).href);
rmSync(dir, { recursive: true, force: true });

/** N spans of one route: 95 % around 20 ms, 5 % 200-500 ms longer (a deterministic generator). */
function spans(n) {
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const hex = (i, width) => i.toString(16).padStart(width, '0');
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const slow = random() < 0.05;
    out[i] = {
      traceId: hex(i, 32),
      spanId: hex(i, 16),
      service,
      name: 'GET /search',
      kind: 'server',
      status: 'ok',
      startMs: 1_700_000_000_000 + i,
      durationMs: 15 + random() * 10 + (slow ? 200 + random() * 300 : 0),
      attributes: {},
      resourceAttributes: {},
    };
  }
  return out;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

let lastQuery;
console.log(
  `K = ${WHY_SLOW_SIDE_SIZE} trace ids per side; one diff query = 2 Parca merge calls (baseline, comparison)`
);
console.log(
  'spans in store | diff queries | Parca calls | selector bytes (slow + typical) | choose + build: CPU ms, wall ms (medians)'
);
for (const n of counts) {
  const input = spans(n);
  const times = [];
  const cpu = [];
  let query;
  for (let r = 0; r < reps; r++) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const outcome = chooseWhySlowSpans(input);
    if (!outcome.choice) {
      throw new Error(outcome.problem);
    }
    query = whySlowDiffQuery({ profileType, serviceLabel: 'service_name', service, choice: outcome.choice });
    times.push(performance.now() - start);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
  }
  const bytes = Buffer.byteLength(query.labelSelector) + Buffer.byteLength(query.baseline.labelSelector);
  console.log(
    `${String(n).padStart(14)} | ${'1'.padStart(12)} | ${'2'.padStart(11)} | ${String(bytes).padStart(31)} | ${median(cpu).toFixed(1).padStart(8)}, ${median(times).toFixed(1)}`
  );
  lastQuery = query;
}

if (base) {
  const RANGE_MS = 15 * 60_000;
  const timeOnce = async () => {
    const end = Date.now();
    const start = performance.now();
    const res = await fetch(`${base}/api/ds/query`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        from: String(end - RANGE_MS),
        to: String(end),
        queries: [{ ...lastQuery, datasource: { uid: 'spanflame-parca', type: 'spanflame-parca-datasource' } }],
      }),
    });
    const body = await res.json();
    const answer = body.results?.[lastQuery.refId];
    if (!res.ok || answer?.error) {
      throw new Error(`diff query failed: ${res.status} ${answer?.error ?? JSON.stringify(body).slice(0, 300)}`);
    }
    return performance.now() - start;
  };
  await timeOnce();
  const times = [];
  for (let r = 0; r < reps; r++) {
    times.push(await timeOnce());
  }
  console.log(
    `diff query through the plugin backend on ${base} (${service}, last 15 min, ${2 * WHY_SLOW_SIDE_SIZE} synthetic ids): median ${median(times).toFixed(0)} ms over ${reps}`
  );
}
