/**
 * Fixtures for the preview-host browser tests. Once per worker: build what is stale
 * (scripts/preview.sh build), use the Parca named by SPANFLAME_PARCA_URL (scripts/test.sh sets
 * it) or start a private copy of the local stack (its own state dir and ports, so a developer's
 * stack is untouched), and start the preview host on its own port. Every test
 * then fails on any page error, console error, failed plugin asset or error the host shows.
 */
import { type APIRequestContext, test as base, expect as baseExpect, Page } from '@playwright/test';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '../../..');
const STACK_DIR = process.env.SPANFLAME_PREVIEW_STACK_DIR ?? '/tmp/sf-preview-stack';
const STACK_ENV = {
  SPANFLAME_STACK_DIR: STACK_DIR,
  SPANFLAME_PARCA_PORT: process.env.SPANFLAME_PREVIEW_PARCA_PORT ?? '17170',
  SPANFLAME_PROMETHEUS_PORT: process.env.SPANFLAME_PREVIEW_PROMETHEUS_PORT ?? '19190',
  SPANFLAME_SHOP_PORT: process.env.SPANFLAME_PREVIEW_SHOP_PORT ?? '28281',
  SPANFLAME_JAEGER_PORT: process.env.SPANFLAME_PREVIEW_JAEGER_PORT ?? '17686',
  SPANFLAME_JAEGER_OTLP_PORT: process.env.SPANFLAME_PREVIEW_JAEGER_OTLP_PORT ?? '17417',
  SPANFLAME_TEMPO_PORT: process.env.SPANFLAME_PREVIEW_TEMPO_PORT ?? '17300',
  SPANFLAME_READY_TIMEOUT: '120',
};
const HOST_ADDR = process.env.SPANFLAME_PREVIEW_TEST_ADDR ?? '127.0.0.1:3101';

export interface PreviewHost {
  baseURL: string;
  parcaURL: string;
}

function run(command: string, args: string[], env: Record<string, string> = {}) {
  execFileSync(command, args, { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
}

function stackHealthy(): boolean {
  try {
    run('scripts/stack.sh', ['status'], STACK_ENV);
    return true;
  } catch {
    return false;
  }
}

/**
 * The stack's URLs: from the environment scripts/test.sh exported (it sets SPANFLAME_PARCA_URL), else from our
 * stack's stack.env.
 */
export function stackURLs(
  fromEnv = Boolean(process.env.SPANFLAME_PARCA_URL)
): Record<'parca' | 'prometheus' | 'tempo' | 'jaeger', string> {
  const file = fromEnv ? '' : readFileSync(join(STACK_DIR, 'stack.env'), 'utf8');
  const url = (name: string): string => {
    const value = fromEnv ? process.env[name] : new RegExp(`^${name}=["']?([^"'\\n]+)`, 'm').exec(file)?.[1];
    if (!value) {
      throw new Error(`${fromEnv ? 'the environment' : `${STACK_DIR}/stack.env`} has no ${name}`);
    }
    return value;
  };
  return {
    parca: url('SPANFLAME_PARCA_URL'),
    prometheus: url('SPANFLAME_PROMETHEUS_URL'),
    tempo: url('SPANFLAME_TEMPO_URL'),
    jaeger: url('SPANFLAME_JAEGER_URL'),
  };
}

async function waitForHost(baseURL: string, host: ChildProcess, output: () => string) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (host.exitCode !== null) {
      throw new Error(`preview host exited with ${host.exitCode}:\n${output()}`);
    }
    try {
      if ((await fetch(`${baseURL}/api/datasources`)).ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`preview host did not answer on ${baseURL}:\n${output()}`);
}

/** Parca needs a few scrapes (5 s each) before profiles of every service are there. */
async function waitForProfiles(parcaURL: string) {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${parcaURL}/api/profiles/types`);
      const body = (await res.json()) as { types?: unknown[] };
      if ((body.types ?? []).length > 0) {
        await new Promise((r) => setTimeout(r, 12_000));
        return;
      }
    } catch {
      // Parca still starting
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`Parca at ${parcaURL} holds no profiles after 90 s`);
}

export const test = base.extend<{ hostErrors: void }, { previewHost: PreviewHost }>({
  previewHost: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      run('scripts/preview.sh', ['build']);
      // scripts/test.sh exports the env of the stack it started: use that Parca. Else start (or
      // reuse) a private stack copy.
      const givenParca = process.env.SPANFLAME_PARCA_URL;
      const startedStack = !givenParca && !stackHealthy();
      if (startedStack) {
        run('scripts/stack.sh', ['start'], STACK_ENV);
      }
      const urls = stackURLs(Boolean(givenParca));
      const parcaURL = urls.parca;
      const baseURL = `http://${HOST_ADDR}`;
      const stateDir = mkdtempSync(join(tmpdir(), 'sf-preview-host-'));
      const hostBin = join(REPO, '.cache/bin/preview-host');
      if (!existsSync(hostBin)) {
        throw new Error(`${hostBin} was not built`);
      }
      let output = '';
      const host = spawn(
        hostBin,
        [
          ...['-repo', REPO, '-addr', HOST_ADDR, '-parca-url', parcaURL, '-state-dir', stateDir],
          ...['-prometheus-url', urls.prometheus, '-tempo-url', urls.tempo, '-jaeger-url', urls.jaeger],
        ],
        {
          cwd: REPO,
          stdio: ['ignore', 'pipe', 'pipe'],
        }
      );
      host.stdout?.on('data', (d) => (output += d));
      host.stderr?.on('data', (d) => (output += d));
      try {
        await waitForHost(baseURL, host, () => output);
        await waitForProfiles(parcaURL);
        await use({ baseURL, parcaURL });
      } finally {
        host.kill('SIGTERM');
        await new Promise((r) => (host.exitCode !== null ? r(null) : host.once('exit', r)));
        if (startedStack && !process.env.SPANFLAME_PREVIEW_KEEP_STACK) {
          run('scripts/stack.sh', ['stop'], STACK_ENV);
        }
      }
    },
    { scope: 'worker', timeout: 900_000 },
  ],

  baseURL: async ({ previewHost }, use) => use(previewHost.baseURL),

  // Auto: every test fails on a page error, console error, failed plugin file, or host error.
  hostErrors: [
    async ({ page }, use, testInfo) => {
      // The stack, the backend and Chromium share two cores with whatever else runs: be patient.
      testInfo.setTimeout(Math.max(testInfo.timeout, 180_000));
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(`page error: ${e.stack ?? e.message}`));
      page.on('console', (m) => {
        // Failed HTTP calls are logged by the browser too; they are judged by the response check.
        if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
          problems.push(`console.error: ${m.text()}`);
        }
      });
      page.on('response', (r) => {
        const path = new URL(r.url()).pathname;
        if (r.status() >= 400 && (path.startsWith('/public/plugins/') || path.startsWith('/preview/'))) {
          problems.push(`HTTP ${r.status()} for ${path}: the built plugin or the host page is incomplete`);
        }
      });
      await use();
      const shown = page.getByTestId('host-errors');
      if (await shown.count()) {
        problems.push(`host errors on the page:\n${await shown.innerText()}`);
      }
      if (!testInfo.annotations.some((a) => a.type === 'expects-host-errors')) {
        expect(problems, 'the page loaded and ran the plugin without errors').toEqual([]);
      }
    },
    { auto: true },
  ],
});

/** Lookups go through the backend to Parca; on a loaded machine that takes more than 5 s. */
export const expect = baseExpect.configure({ timeout: 15_000 });

/** Opens a page of the host and waits for the plugin's UI. */
export async function openConfigPage(page: Page) {
  await page.goto('/connections/datasources/edit/spanflame-parca');
  await expect(page.getByTestId('config-editor')).toBeVisible();
}

export async function openExplore(page: Page, query?: object, range = { from: 'now-5m', to: 'now' }) {
  const params = new URLSearchParams(range);
  if (query) {
    params.set('query', JSON.stringify(query));
  }
  await page.goto(`/explore?${params}`);
  await expect(page.getByTestId('query-editor')).toBeVisible();
}

const APP_SETTINGS = '/api/plugins/spanflame-app/settings';

async function saveAppJsonData(request: APIRequestContext, jsonData: object) {
  const res = await request.post(APP_SETTINGS, { data: { enabled: true, pinned: true, jsonData } });
  expect(res.ok(), 'the app settings were saved').toBe(true);
}

/**
 * For each test of the enclosing describe: the app's settings with `patch` on top of what they are (the
 * provisioned ones, unless a test changed them), and afterwards what they were, for the tests that follow.
 */
export function withAppSettings(patch: object) {
  let saved: object = {};
  test.beforeEach(async ({ request }) => {
    saved = (await (await request.get(APP_SETTINGS)).json()).jsonData ?? {};
    await saveAppJsonData(request, { ...saved, ...patch });
  });
  test.afterEach(async ({ request }) => saveAppJsonData(request, saved));
}
