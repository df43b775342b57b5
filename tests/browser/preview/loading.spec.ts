import { build } from 'esbuild';
import { resolve } from 'node:path';

import { expect, openConfigPage, test } from './fixtures';

/**
 * The host must fail loudly when the built bundle cannot load as Grafana would load it. These
 * tests break the datasource module on its way to the browser and check the host says so.
 */
const MODULE = '**/public/plugins/spanflame-app/datasource/module.js';

/** The fixtures fail a test on host errors unless it says it expects them. */
function expectHostErrors() {
  test.info().annotations.push({ type: 'expects-host-errors', description: 'the bundle is broken on purpose' });
}

test.describe('a broken plugin bundle fails the page', () => {
  test('an import Grafana does not share (a missing external)', async ({ page }) => {
    expectHostErrors();
    await page.route(MODULE, async (route) => {
      const original = await (await route.fetch()).text();
      // The webpack AMD bundle starts with define(["<first external>", ...]): swap that one.
      expect(original).toMatch(/define\(\["[^"]+"/);
      const broken = original.replace(/define\(\["[^"]+"/, 'define(["left-pad"');
      await route.fulfill({ body: broken, contentType: 'text/javascript' });
    });
    await page.goto('/connections/datasources/edit/spanflame-parca');
    const errors = page.getByTestId('host-errors');
    await expect(errors).toBeVisible();
    await expect(errors).toContainText('imports "left-pad", which Grafana does not share with plugins');
  });

  test('a second copy of React inside the bundle', async ({ page }) => {
    expectHostErrors();
    // A datasource module that bundles its own React instead of using Grafana's.
    const bundled = await build({
      stdin: {
        contents: `
          import { createElement, useState } from 'react';
          function ConfigEditor() { const [text] = useState('own React'); return createElement('div', null, text); }
          export const plugin = { DataSourceClass: class {}, components: { ConfigEditor } };`,
        resolveDir: resolve(__dirname, '../../..'),
        loader: 'js',
      },
      bundle: true,
      format: 'iife',
      globalName: 'bundledPlugin',
      write: false,
      define: { 'process.env.NODE_ENV': '"production"' },
    });
    const amd = `define([], function () { ${bundled.outputFiles[0].text}; return bundledPlugin; });`;
    await page.route(MODULE, (route) => route.fulfill({ body: amd, contentType: 'text/javascript' }));

    await page.goto('/connections/datasources/edit/spanflame-parca');
    const errors = page.getByTestId('host-errors');
    await expect(errors).toBeVisible();
    await expect(errors).toContainText('A plugin component failed to render');
    await expect(page.getByText('own React')).toHaveCount(0);
  });

  test('the real bundle loads without any of this', async ({ page }) => {
    await openConfigPage(page);
    await expect(page.getByTestId('host-errors')).toHaveCount(0);
  });
});

test('the app module loads and its root page renders inside the host', async ({ page }) => {
  await page.goto('/connections/datasources/edit/spanflame-parca');
  await page.getByRole('link', { name: 'App', exact: true }).click();
  await expect(page).toHaveURL(/\/a\/spanflame-app\/home$/);
  await expect(page.getByTestId('app-root')).toBeVisible();
  await expect(page.getByTestId('app-root')).not.toBeEmpty();
});
