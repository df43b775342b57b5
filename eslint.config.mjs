import { readdirSync } from 'node:fs';
import { defineConfig } from 'eslint/config';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import baseConfig from './.config/eslint.config.mjs';

// Each page under src/pages/ may import src/shared/ and components, never another page.
const pages = readdirSync('src/pages', { withFileTypes: true }).filter((entry) => entry.isDirectory());
const noPageImportsAnotherPage = pages.map(({ name }) => ({
  target: `./src/pages/${name}`,
  from: './src/pages',
  except: [`./${name}`],
  message:
    'A page imports only src/shared/ and src/components/, never another page: move what both use to src/shared/.',
}));

export default defineConfig([
  {
    ignores: [
      '**/logs',
      '**/*.log',
      '**/npm-debug.log*',
      '**/yarn-debug.log*',
      '**/yarn-error.log*',
      '**/.pnpm-debug.log*',
      '**/node_modules/',
      '.yarn/cache',
      '.yarn/unplugged',
      '.yarn/build-state.yml',
      '.yarn/install-state.gz',
      '**/.pnp.*',
      '**/pids',
      '**/*.pid',
      '**/*.seed',
      '**/*.pid.lock',
      '**/lib-cov',
      // jest's coverage report at the root; src/panels/coverage/ is source and is linted.
      'coverage/',
      '**/dist/',
      '**/artifacts/',
      '**/work/',
      '**/ci/',
      'test-results/',
      'playwright-report/',
      'blob-report/',
      'playwright/.cache/',
      'playwright/.auth/',
      '**/.idea',
      '**/.eslintcache',
    ],
  },
  ...baseConfig,
  {
    // The architecture, checked: no import cycles, no page importing another page.
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      // Follow TypeScript files when looking for cycles (the plugin reads only .js by default).
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.json'] })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones: noPageImportsAnotherPage }],
    },
  },
  {
    // d3-flame-graph's DOM and internals are reached into in one place only.
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/components/FlameGraph/renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['d3-flame-graph', 'd3-selection', 'd3-transition'].map((name) => ({
            name,
            message:
              "d3-flame-graph's internals live in src/components/FlameGraph/renderer/ only: add what you need there.",
          })),
        },
      ],
    },
  },
]);
