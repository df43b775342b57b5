#!/usr/bin/env node
// Flame graph benchmark: in one Chromium, on the same real-profile data, times "data in hand to
// painted" for Spanflame's FlameGraph, @grafana/flamegraph and bare d3-flame-graph (minFrameSize(1)),
// then zoom and search on the 300k profile. Prints a table and the ratios.
//
//   npm run bench:flamegraph [-- --reps 3 --sizes 10000,100000 --fixture go-toolchain.json.gz --table]
//
// Profiles: fixtures/go-toolchain.json.gz is a real Go CPU profile (collect-profiles.sh). Smaller
// sizes are its first N rows in depth-first order; larger ones are copies of it under service-k
// frames with weights 1..5, cut to exactly N rows (tests/browser/flamegraph/pages/profiles.ts).
import { chromium } from 'playwright-core';

import server from '../../../tests/browser/flamegraph/server.cjs';

const { startFlameGraphServer } = server;

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
};
const reps = Number(option('reps', '3'));
const sizes = option('sizes', '10000,100000,300000,1000000').split(',').map(Number);
const fixture = option('fixture', 'go-toolchain.json.gz');
const withTable = args.includes('--table');
const impls = ['spanflame', 'grafana', 'd3-bare'];
const LABELS = { spanflame: 'Spanflame FlameGraph', grafana: '@grafana/flamegraph', 'd3-bare': 'bare d3-flame-graph' };

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const ms = (v) => (v === undefined ? '—' : `${v.toFixed(0)} ms`);

const flameServer = await startFlameGraphServer();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    // window.gc() between runs, so one implementation does not pay for another's garbage.
    '--js-flags=--expose-gc',
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(`${flameServer.url}/bench.html`);
  await page.waitForFunction(() => 'bench' in window);
  const baseNodes = await page.evaluate((f) => window.bench.prepare(f), fixture);
  console.log(`Real profile ${fixture}: ${baseNodes.toLocaleString()} nodes. Chart ${withTable ? 'with' : 'without'} table, 1200 px wide, median of ${reps}.`);
  // Warm-up: JIT and first-use costs (fonts, styles) are not what a profile costs.
  for (const impl of impls) {
    await page.evaluate(([i, t]) => window.bench.render(i, 10000, t), [impl, withTable]);
  }

  const results = {};
  for (const nodes of sizes) {
    results[nodes] = {};
    for (const impl of impls) {
      const runs = [];
      const tables = [];
      for (let r = 0; r < reps; r++) {
        const { ms: t, tableMs } = await page.evaluate(([i, n, tb]) => window.bench.render(i, n, tb), [impl, nodes, withTable]);
        runs.push(t);
        if (tableMs !== undefined) {
          tables.push(tableMs);
        }
      }
      results[nodes][impl] = { ms: median(runs), tableMs: tables.length ? median(tables) : undefined };
      process.stderr.write(`  ${nodes} ${impl}: ${runs.map((v) => v.toFixed(0)).join(', ')} ms\n`);
    }
  }

  const interactionNodes = sizes.includes(300000) ? 300000 : sizes[sizes.length - 1];
  const zooms = [];
  const searches = [];
  let summary = '';
  for (let r = 0; r < reps; r++) {
    zooms.push(await page.evaluate((n) => window.bench.zoom(n), interactionNodes));
    const s = await page.evaluate((n) => window.bench.search(n, 'runtime.mallocgc'), interactionNodes);
    searches.push(s.ms);
    summary = s.summary;
  }
  await page.evaluate(() => window.bench.unmount());

  const header = ['nodes', ...impls.map((i) => LABELS[i]), 'Spanflame / Grafana', 'Spanflame / bare d3'];
  const rows = sizes.map((nodes) => {
    const r = results[nodes];
    return [
      nodes.toLocaleString(),
      ...impls.map((i) => ms(r[i].ms) + (r[i].tableMs !== undefined ? ` (table ${ms(r[i].tableMs)})` : '')),
      (r.spanflame.ms / r.grafana.ms).toFixed(2),
      (r.spanflame.ms / r['d3-bare'].ms).toFixed(2),
    ];
  });
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((row) => row[k].length)));
  const line = (cells) => `| ${cells.map((c, k) => c.padStart(widths[k])).join(' | ')} |`;
  console.log('\nData in hand to painted (median):');
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  rows.forEach((row) => console.log(line(row)));
  console.log(`\nSpanflame on ${interactionNodes.toLocaleString()} nodes (median of ${reps}):`);
  console.log(`  zoom (click a frame, until redrawn):          ${ms(median(zooms))}   [${zooms.map((v) => v.toFixed(0)).join(', ')}]`);
  console.log(`  search "runtime.mallocgc" (until recoloured): ${ms(median(searches))}   [${searches.map((v) => v.toFixed(0)).join(', ')}]`);
  console.log(`  search summary: ${summary}`);
  const check = (label, ok) => console.log(`  ${ok ? 'met ' : 'MISSED'}  ${label}`);
  console.log('\nAims:');
  for (const nodes of [100000, 300000].filter((n) => results[n])) {
    check(`at ${nodes.toLocaleString()} nodes at most half of @grafana/flamegraph (ratio ${(results[nodes].spanflame.ms / results[nodes].grafana.ms).toFixed(2)})`, results[nodes].spanflame.ms <= results[nodes].grafana.ms / 2);
  }
  check(`zoom under 50 ms at ${interactionNodes.toLocaleString()} (${ms(median(zooms))})`, median(zooms) < 50);
  check(`search under 50 ms at ${interactionNodes.toLocaleString()} (${ms(median(searches))})`, median(searches) < 50);
} finally {
  await browser.close();
  await flameServer.close();
}
