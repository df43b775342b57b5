// Serves the flame graph harness and benchmark pages on 127.0.0.1, bundled by esbuild from the
// installed packages (React 19, @grafana/ui, @grafana/data, d3-flame-graph, @grafana/flamegraph),
// with the real profile fixtures. Used by the Playwright fixtures and by the benchmark script.
// Offline: everything comes from the repository and node_modules.
// CommonJS so that both Playwright's TypeScript loader and the plain-Node benchmark can load it.
const esbuild = require('esbuild');
const { createReadStream, existsSync, readdirSync, readFileSync, statSync } = require('node:fs');
const { createServer } = require('node:http');
const path = require('node:path');

const here = __dirname;
const repo = path.resolve(here, '../../..');
const outdir = path.join(repo, 'tests/browser/artifacts/flamegraph-pages');
const benchFixtures = path.join(repo, 'scripts/bench/flamegraph/fixtures');
const iconsDir = path.join(repo, 'node_modules/@grafana/ui/dist/public/img/icons');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
};

/**
 * Golden flame graph frames recorded from the real Parca + demo (pkg/**\/testdata), found by content.
 * The backend's golden files are .jsonc: '//' comment lines (a table of the frame) then the response JSON.
 */
function findGoldenFrames() {
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (full.includes(`${path.sep}testdata${path.sep}`) && /\.jsonc?(\.gz)?$/.test(entry.name)) {
        if (entry.name.endsWith('.gz') || isFlameGraphFrame(full)) {
          found.push(full);
        }
      }
    }
  };
  walk(path.join(repo, 'pkg'));
  return found.sort();
}

function isFlameGraphFrame(file) {
  if (statSync(file).size > 50e6) {
    return false;
  }
  const text = stripComments(readFileSync(file, 'utf8'));
  return /"name"\s*:\s*"level"/.test(text) && /"name"\s*:\s*"self"/.test(text) && /"name"\s*:\s*"label"/.test(text);
}

function stripComments(text) {
  return text
    .split('\n')
    .filter((line) => !line.startsWith('//'))
    .join('\n');
}

/** name -> absolute path of every fixture the pages may load. */
function listFixtures() {
  const fixtures = {};
  if (existsSync(benchFixtures)) {
    for (const name of readdirSync(benchFixtures)) {
      fixtures[name] = path.join(benchFixtures, name);
    }
  }
  for (const file of findGoldenFrames()) {
    fixtures[`golden/${path.relative(path.join(repo, 'pkg'), file).split(path.sep).join('__')}`] = file;
  }
  return fixtures;
}

async function bundlePages() {
  await esbuild.build({
    absWorkingDir: repo,
    entryPoints: {
      harness: path.join(here, 'pages/harness.tsx'),
      bench: path.join(here, 'pages/bench.tsx'),
    },
    bundle: true,
    splitting: true,
    format: 'esm',
    outdir,
    // PAGES_MINIFY=0 keeps function names readable in CPU profiles.
    minify: process.env.PAGES_MINIFY !== '0',
    // Production React: the benchmark must time what users run.
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    jsx: 'automatic',
    loader: { '.svg': 'file', '.png': 'file', '.woff': 'file', '.woff2': 'file', '.ttf': 'file' },
    logLevel: 'error',
  });
}

function page(entry) {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Spanflame flame graph ${entry}</title>
<link rel="stylesheet" href="/build/${entry}.css">
<script>window.__grafana_public_path__ = '/public/';</script>
<style>/* What Grafana's global styles give every plugin: border-box sizing. */ *, *::before, *::after { box-sizing: border-box; }</style>
</head><body><div id="root"></div><script type="module" src="/build/${entry}.js"></script></body></html>`;
}

function send(res, status, body, type = 'text/plain') {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

function sendFile(res, file, headers = {}) {
  if (!existsSync(file) || !statSync(file).isFile()) {
    return send(res, 404, 'not found');
  }
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', ...headers });
  createReadStream(file).pipe(res);
}

/** Bundles the pages and serves them on 127.0.0.1 at a free port. */
async function startFlameGraphServer() {
  await bundlePages();
  const fixtures = listFixtures();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const p = decodeURIComponent(url.pathname);
    if (p === '/' || p === '/harness.html') {
      return send(res, 200, page('harness'), TYPES['.html']);
    }
    if (p === '/bench.html') {
      return send(res, 200, page('bench'), TYPES['.html']);
    }
    if (p === '/fixtures/index.json') {
      return send(res, 200, JSON.stringify(Object.keys(fixtures)), TYPES['.json']);
    }
    if (p.startsWith('/fixtures/')) {
      const file = fixtures[p.slice('/fixtures/'.length)];
      if (!file) {
        return send(res, 404, 'no such fixture');
      }
      if (file.endsWith('.jsonc')) {
        return send(res, 200, stripComments(readFileSync(file, 'utf8')), TYPES['.json']);
      }
      // Gzip'd fixtures go out as gzip content encoding: the browser inflates them for free.
      const gz = file.endsWith('.gz');
      return sendFile(res, file, gz ? { 'content-type': TYPES['.json'], 'content-encoding': 'gzip' } : {});
    }
    if (p.startsWith('/build/')) {
      return sendFile(res, path.join(outdir, path.normalize(p.slice('/build/'.length)).replace(/^(\.\.[/\\])+/, '')));
    }
    if (p.startsWith('/public/build/img/icons/')) {
      return sendFile(
        res,
        path.join(iconsDir, path.normalize(p.slice('/public/build/img/icons/'.length)).replace(/^(\.\.[/\\])+/, ''))
      );
    }
    return send(res, 404, 'not found');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    fixtures: Object.keys(fixtures),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

module.exports = { startFlameGraphServer, listFixtures };
