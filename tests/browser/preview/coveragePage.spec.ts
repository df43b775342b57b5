import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Page } from '@playwright/test';

import { expect, test } from './fixtures';
import { groundTruthDir, readMeta } from './groundTruth';

// The app's coverage page in the preview host against the demo shop: shares from the real Parca,
// checked against what the demo was configured to do (demo/groundtruth's meta files).
const SHOT_DIR = 'tests/browser/artifacts/preview';
const STACK_DIR = process.env.SPANFLAME_PREVIEW_STACK_DIR ?? '/tmp/sf-preview-stack';
const CPU = 'process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta';
const TIMEOUT = 180_000;
test.beforeEach(() => test.setTimeout(420_000));

/** A stack setting: from the environment scripts/test.sh exports (its own stack), else our stack's stack.env. */
function stackEnv(name: string): string {
  const fromEnv = process.env[name];
  if (fromEnv) {
    return fromEnv;
  }
  const file = readFileSync(join(STACK_DIR, 'stack.env'), 'utf8');
  return new RegExp(`^${name}=["']?([^"'\\n]+)`, 'm').exec(file)?.[1] ?? '';
}

const demoServices = () => stackEnv('SPANFLAME_SHOP_SERVICES').split(',').filter(Boolean);

/** Each service's configured unlinked share (demo/groundtruth Meta.UnlinkedCPUShare), as a percentage. */
function configuredShare(service: string): number {
  const meta = readMeta(groundTruthDir(STACK_DIR))[service];
  if (meta?.unlinked_cpu_share === undefined) {
    throw new Error(`the ground truth has no unlinked_cpu_share for ${service}`);
  }
  return 100 * meta.unlinked_cpu_share;
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
    const configured = configuredShare(service);
    expect({ service, shown: shown[service], configured, within5: Math.abs(shown[service] - configured) <= 5 }).toEqual(
      { service, shown: shown[service], configured, within5: true }
    );
  }
  await page.screenshot({ path: `${SHOT_DIR}/coverage-page.png`, fullPage: true });
});
