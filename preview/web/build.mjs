// Bundles the preview host page script: React, the @grafana packages and the other packages
// Grafana shares with plugins, from this repository's node_modules, once.
//   node preview/web/build.mjs            (production build into preview/web/dist/)
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// PREVIEW_DEV=1: development React (full error messages, component names) and no minifying.
const dev = process.env.PREVIEW_DEV === '1';

/**
 * The @grafana packages' ESM builds are .mjs files, for which esbuild applies Node's interop:
 * a default import of a CommonJS package gets module.exports, not its `default` (so @grafana/ui's
 * CustomScrollbar gets an object instead of react-custom-scrollbars-2's component). Grafana builds
 * these packages from source with webpack, which honours __esModule. Their CommonJS builds do the
 * same, so every @grafana import resolves to those: one instance each, correct defaults.
 */
const requireFromRepo = createRequire(join(here, '..', '..', 'package.json'));
const grafanaCommonJS = {
  name: 'grafana-commonjs',
  setup(b) {
    b.onResolve({ filter: /^@grafana\// }, (args) => ({ path: requireFromRepo.resolve(args.path) }));
  },
};

await build({
  plugins: [grafanaCommonJS],
  entryPoints: [join(here, 'src', 'main.tsx')],
  outdir: join(here, 'dist'),
  entryNames: 'host',
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  minify: !dev,
  sourcemap: true,
  jsx: 'automatic',
  // Production React and @grafana packages, as Grafana ships them.
  define: { 'process.env.NODE_ENV': dev ? '"development"' : '"production"', global: 'window' },
  loader: { '.svg': 'text', '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.png': 'file' },
  logLevel: 'warning',
});
console.log('preview host bundle written to', join(here, 'dist'));
