import type { Page } from '@playwright/test';

import { expect, test } from './fixtures';

const SHOT_DIR = 'tests/browser/artifacts/preview';
const CPU = 'process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta';
const PAGE = `/a/spanflame-app/flame-graph?profileType=${CPU}&service=payments&from=now-5m&to=now`;

async function openDrawn(page: Page, url = PAGE) {
  await page.goto(url);
  await expect(page.getByTestId('flame-chart').locator('g.frame').first()).toBeVisible({ timeout: 60_000 });
}

/** Points the provisioned datasource at another Parca (the host's PUT, as its config page saves). */
async function pointParcaAt(page: Page, url: string) {
  const current = await (await page.request.get('/api/datasources/uid/spanflame-parca')).json();
  const res = await page.request.put('/api/datasources/uid/spanflame-parca', { data: { ...current, url } });
  expect(res.ok()).toBe(true);
}

// What a new user tripped over on the app's flame graph page (issue 15).
test.describe('the app flame graph page, as a new user meets it', () => {
  test('opening the profile type dropdown three times raises no ResizeObserver loop', async ({ page }) => {
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await openDrawn(page);
    const box = page.getByRole('combobox', { name: 'Profile type' });
    for (let i = 0; i < 3; i++) {
      await box.click();
      await expect(page.getByRole('option', { name: /CPU, nanoseconds/ })).toBeVisible();
      // The loop error is reported after the frame in which the menu resized: give it frames.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      if (i === 0) {
        await page.screenshot({ path: `${SHOT_DIR}/app-profile-type-dropdown.png` });
      }
      await page.keyboard.press('Escape');
      await expect(page.getByRole('option')).toHaveCount(0);
    }
    expect(errors.filter((e) => /ResizeObserver/.test(e))).toEqual([]);
  });

  test('with Parca down the type box says why and retries once Parca is back', async ({ page, previewHost }) => {
    // Nothing listens on port 1: the backend's calls are refused at once.
    await pointParcaAt(page, 'http://127.0.0.1:1');
    try {
      await page.goto('/a/spanflame-app/flame-graph?from=now-5m&to=now');
      const error = page.getByTestId('profile-types-error');
      await expect(error).toContainText('Could not list the profile types');
      await expect(error.getByRole('button', { name: 'Retry' })).toBeVisible();
      await expect(page.getByRole('combobox', { name: 'Profile type' })).toHaveAttribute(
        'placeholder',
        'No profile types'
      );
      await page.screenshot({ path: `${SHOT_DIR}/app-parca-down.png`, fullPage: true });
    } finally {
      await pointParcaAt(page, previewHost.parcaURL);
    }
    await page.getByTestId('profile-types-error').getByRole('button', { name: 'Retry' }).click();
    await expect(page.getByTestId('profile-types-error')).toHaveCount(0);
    await expect(page.getByRole('combobox', { name: 'Profile type' })).toHaveValue(/^CPU, nanoseconds/);
    await expect(page.getByTestId('flame-chart').locator('g.frame').first()).toBeVisible({ timeout: 60_000 });
  });

  test('a zoom is kept in the URL, so a reload opens at the same frame', async ({ page }) => {
    await openDrawn(page);
    // Zoom into the widest frame below the root: the first child drawn.
    const frame = page.getByTestId('flame-chart').locator('g.frame').nth(1);
    const name = (await frame.getAttribute('name')) ?? '';
    expect(name).not.toBe('');
    await frame.locator('rect').click();
    await expect(page.getByTestId('zoom-path')).toContainText(name);
    await expect(page).toHaveURL(/[?&]zoom=/);
    expect(new URL(page.url()).searchParams.get('zoom')).toBe(name);

    await page.reload();
    await expect(page.getByTestId('zoom-path')).toContainText(name, { timeout: 60_000 });
    await page.screenshot({ path: `${SHOT_DIR}/app-zoom-after-reload.png`, fullPage: true });
    await page.getByTestId('zoom-reset').click();
    await expect(page).not.toHaveURL(/[?&]zoom=/);
  });
});
