#!/usr/bin/env node
// Flame graph benchmark: in one Chromium, on the same real-profile data, times "data in hand to
// painted" for Spanflame's FlameGraph, @grafana/flamegraph and bare d3-flame-graph (minFrameSize(1)),
// then zoom and search on the 300k profile. Prints a table and the ratios.
//
//   npm run bench:flamegraph [-- --reps 5 --sizes 10000,100000 --fixture go-toolchain.json.gz --impls spanflame,grafana,d3-bare]
//
// Both React components are drawn as flame graph only, with the prop both have for it
// (showFlameGraphOnly: no header, table or status line): @grafana/flamegraph's table does not load
// in the esbuild page (React error 130 from one of its imports), and the graph is what the three
// implementations have in common. Zoom and search need Spanflame's header (breadcrumb, search box),
// so those runs draw the whole component.
//
// Two numbers per cell: wall time (what a person waits) and the renderer process's CPU time in that
// interval (the work done; steadier than wall time on a machine shared with other jobs).
// Implementations are interleaved within each repetition so load spikes hit all of them alike.
//
// Profiles: fixtures/go-toolchain.json.gz is a real Go CPU profile (collect-profiles.sh). Smaller
// sizes are its first N rows in depth-first order; larger ones are copies of it under service-k
// frames with weights 1..5, cut to exactly N rows (tests/browser/flamegraph/pages/profiles.ts).
import os from 'node:os';

import server from '../../../tests/browser/flamegraph/server.cjs';
import { launchChromium } from '../chromium.mjs';

const { startFlameGraphServer } = server;
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
};
const reps = Number(option('reps', '5'));
const sizes = option('sizes', '10000,100000,300000,1000000').split(',').map(Number);
const fixture = option('fixture', 'go-toolchain.json.gz');
const withTable = false;
const impls = option('impls', 'spanflame,grafana,d3-bare').split(',');
const LABELS = { spanflame: 'Spanflame FlameGraph', grafana: '@grafana/flamegraph', 'd3-bare': 'bare d3-flame-graph' };

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const ms = (v) => (v === undefined ? '—' : `${v.toFixed(0)} ms`);

const flameServer = await startFlameGraphServer();
// window.gc() before each measurement, so one implementation does not pay for another's garbage.
const browser = await launchChromium(['--js-flags=--expose-gc']);
try {
  const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const processTime = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'ProcessTime').value * 1000;
  };
  /** Runs a measured step in the page and adds the renderer's CPU time spent meanwhile. */
  const measured = async (fn, arg) => {
    const before = await processTime();
    const result = await page.evaluate(fn, arg);
    return { ...result, cpu: (await processTime()) - before };
  };

  await page.goto(`${flameServer.url}/bench.html`);
  await page.waitForFunction(() => 'bench' in window);
  const baseNodes = await page.evaluate((f) => window.bench.prepare(f), fixture);
  console.log(
    `Real profile ${fixture}: ${baseNodes.toLocaleString()} nodes. Chart ${withTable ? 'with' : 'without'} table, ` +
      `1200 px wide, median of ${reps}. Chromium ${browser.version()}, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)}.`
  );
  // Warm-up: JIT and first-use costs (fonts, styles) are not what a profile costs.
  for (const impl of impls) {
    await page.evaluate(([i, t]) => window.bench.render(i, 10000, t), [impl, withTable]);
  }

  const results = {};
  for (const nodes of sizes) {
    const runs = Object.fromEntries(impls.map((i) => [i, []]));
    for (let r = 0; r < reps; r++) {
      for (const impl of impls) {
        await page.evaluate(([i, n, t]) => window.bench.setup(i, n, t), [impl, nodes, withTable]);
        runs[impl].push(await measured(() => window.bench.renderNow()));
      }
    }
    results[nodes] = {};
    for (const impl of impls) {
      const list = runs[impl];
      results[nodes][impl] = {
        ms: median(list.map((x) => x.ms)),
        cpu: median(list.map((x) => x.cpu)),
        tableMs: withTable ? median(list.map((x) => x.tableMs)) : undefined,
      };
      process.stderr.write(
        `  ${nodes} ${impl}: wall ${list.map((x) => x.ms.toFixed(0)).join(', ')} ms; cpu ${list.map((x) => x.cpu.toFixed(0)).join(', ')} ms\n`
      );
    }
  }

  const interactionNodes = sizes.includes(300000) ? 300000 : sizes[sizes.length - 1];
  const zooms = [];
  const searches = [];
  let summary = '';
  for (let r = 0; r < reps; r++) {
    await page.evaluate((n) => window.bench.render('spanflame', n, false, true), interactionNodes);
    zooms.push(await measured(() => window.bench.zoomOnly()));
    await page.evaluate((n) => window.bench.render('spanflame', n, false, true), interactionNodes);
    const s = await measured((term) => window.bench.searchOnly(term), 'runtime.mallocgc');
    searches.push(s);
    summary = s.summary;
  }
  await page.evaluate(() => window.bench.unmount());

  const header = [
    'nodes',
    ...impls.map((i) => `${LABELS[i]} wall (cpu)`),
    'Spanflame/Grafana wall (cpu)',
    'Spanflame/bare d3 wall (cpu)',
  ];
  const ratio = (a, b) => `${(a.ms / b.ms).toFixed(2)} (${(a.cpu / b.cpu).toFixed(2)})`;
  const rows = sizes.map((nodes) => {
    const r = results[nodes];
    return [
      nodes.toLocaleString(),
      ...impls.map(
        (i) => `${ms(r[i].ms)} (${ms(r[i].cpu)})` + (r[i].tableMs !== undefined ? ` table ${ms(r[i].tableMs)}` : '')
      ),
      r.spanflame && r.grafana ? ratio(r.spanflame, r.grafana) : '—',
      r.spanflame && r['d3-bare'] ? ratio(r.spanflame, r['d3-bare']) : '—',
    ];
  });
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((row) => row[k].length)));
  const line = (cells) => `| ${cells.map((c, k) => c.padStart(widths[k])).join(' | ')} |`;
  console.log('\nData in hand to painted, median wall time (renderer CPU time):');
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  rows.forEach((row) => console.log(line(row)));
  const zoomWall = median(zooms.map((z) => z.ms));
  const zoomCpu = median(zooms.map((z) => z.cpu));
  const searchWall = median(searches.map((z) => z.ms));
  const searchCpu = median(searches.map((z) => z.cpu));
  console.log(`\nSpanflame on ${interactionNodes.toLocaleString()} nodes, median of ${reps}, wall (cpu):`);
  console.log(
    `  zoom (click a frame until redrawn):              ${ms(zoomWall)} (${ms(zoomCpu)})  wall [${zooms.map((v) => v.ms.toFixed(0)).join(', ')}]`
  );
  console.log(`    of which d3-flame-graph draw:                 ${ms(median(zooms.map((z) => z.draw)))}`);
  console.log(
    `  search "runtime.mallocgc" (until recoloured):   ${ms(searchWall)} (${ms(searchCpu)})  wall [${searches.map((v) => v.ms.toFixed(0)).join(', ')}]`
  );
  console.log(`  search summary: ${summary}`);
  const check = (label, ok) => console.log(`  ${ok ? 'met   ' : 'MISSED'}  ${label}`);
  console.log('\nAims (wall time):');
  for (const nodes of [100000, 300000].filter((n) => results[n]?.spanflame && results[n]?.grafana)) {
    const r = results[nodes];
    check(
      `at ${nodes.toLocaleString()} nodes at most half of @grafana/flamegraph: ratio ${(r.spanflame.ms / r.grafana.ms).toFixed(2)} (cpu ${(r.spanflame.cpu / r.grafana.cpu).toFixed(2)})`,
      r.spanflame.ms <= r.grafana.ms / 2
    );
  }
  check(
    `zoom under 50 ms at ${interactionNodes.toLocaleString()}: ${ms(zoomWall)} (cpu ${ms(zoomCpu)})`,
    zoomWall < 50
  );
  check(
    `search under 50 ms at ${interactionNodes.toLocaleString()}: ${ms(searchWall)} (cpu ${ms(searchCpu)})`,
    searchWall < 50
  );
} finally {
  await browser.close();
  await flameServer.close();
}
