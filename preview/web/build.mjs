// Bundles the preview host page script: React, the @grafana packages and the other packages
// Grafana shares with plugins, from this repository's node_modules, once.
//   node preview/web/build.mjs            (production build into preview/web/dist/)
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

await build({
  entryPoints: [join(here, 'src', 'main.tsx')],
  outdir: join(here, 'dist'),
  entryNames: 'host',
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  jsx: 'automatic',
  // Production React and @grafana packages, as Grafana ships them.
  define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
  loader: { '.svg': 'text', '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.png': 'file' },
  logLevel: 'warning',
});
console.log('preview host bundle written to', join(here, 'dist'));
