import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Page } from '@playwright/test';

import { expect, test } from './fixtures';

// The app's coverage page in the preview host against the demo shop: shares from the real Parca,
// checked against what the demo was configured to do (demo/groundtruth's meta files).
const SHOT_DIR = 'tests/browser/artifacts/preview';
const STACK_DIR = process.env.SPANFLAME_PREVIEW_STACK_DIR ?? '/tmp/sf-preview-stack';
const CPU = 'process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta';
const TIMEOUT = 180_000;
test.beforeEach(() => test.setTimeout(420_000));

function stackEnv(name: string): string {
  const file = readFileSync(join(STACK_DIR, 'stack.env'), 'utf8');
  return process.env[name] ?? new RegExp(`^${name}=["']?([^"'\\n]+)`, 'm').exec(file)?.[1] ?? '';
}

const demoServices = () => stackEnv('SPANFLAME_SHOP_SERVICES').split(',').filter(Boolean);
const groundTruthDir = () => stackEnv('SPANFLAME_GROUND_TRUTH_DIR') || join(STACK_DIR, 'groundtruth');

/** A service's meta file (demo/groundtruth Meta): its configured unlinked share. */
function meta(service: string): { unlinked_cpu_share: number } {
  return JSON.parse(readFileSync(join(groundTruthDir(), `${service}.meta.json`), 'utf8'));
}

const pageUrl = (service?: string) =>
  `/a/spanflame-app/coverage?var-profileType=${CPU}&from=now-10m&to=now${service ? `&service=${service}` : ''}`;

async function openCoverage(page: Page, service?: string) {
  await page.goto(pageUrl(service));
  await expect(page.getByTestId('coverage-groups')).toBeVisible({ timeout: TIMEOUT });
}

test("each demo service's missing-trace-link share is within 5 points of its configured share", async ({ page }) => {
  const services = demoServices();
  expect(services.length).toBeGreaterThanOrEqual(3);
  await openCoverage(page);
  const shown: Record<string, number> = {};
  for (const service of services) {
    const row = page.locator(`[data-testid="coverage-group"][data-group="${service}"]`);
    await expect(row).toContainText(/\d+\.\d%/);
    shown[service] = Number(await row.getAttribute('data-share'));
  }
  test.info().annotations.push({ type: 'shares', description: JSON.stringify(shown) });
  for (const service of services) {
    const configured = 100 * meta(service).unlinked_cpu_share;
    expect({ service, shown: shown[service], configured, within5: Math.abs(shown[service] - configured) <= 5 }).toEqual(
      { service, shown: shown[service], configured, within5: true }
    );
  }
  await page.screenshot({ path: `${SHOT_DIR}/coverage-page.png`, fullPage: true });
});
