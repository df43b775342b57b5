/**
 * What the span-page browser tests share: the trace store the app is set to, the demo's ground
 * truth of the stack the fixtures use, the latest settled span of a kind, and the page's span header.
 */
import type { APIRequestContext, Page } from '@playwright/test';

import { expect } from './fixtures';
import { type GroundTruthSpan, groundTruthDir, readMeta, readSpans, settledSpans } from './groundTruth';

export const STACK_DIR = process.env.SPANFLAME_PREVIEW_STACK_DIR ?? '/tmp/sf-preview-stack';
export const SETTINGS = '/api/plugins/spanflame-app/settings';
export const CPU = 'process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta';
/** The page loads the app, asks the trace store, then Parca: minutes on a machine shared by many stacks. */
export const PAGE_TIMEOUT = 240_000;

export const STORES = [
  { name: 'Tempo', uid: 'spanflame-tempo', type: 'tempo' },
  { name: 'Jaeger', uid: 'spanflame-jaeger', type: 'jaeger' },
] as const;

export async function useTraceStore(request: APIRequestContext, uid: string) {
  const res = await request.post(SETTINGS, {
    data: { enabled: true, pinned: true, jsonData: { traceDatasourceUid: uid } },
  });
  expect(res.ok()).toBe(true);
}

/** Back to the host's empty settings. */
export async function resetSettings(request: APIRequestContext) {
  await request.post(SETTINGS, { data: { enabled: true, pinned: true, jsonData: {} } });
}

export function truth() {
  const dir = groundTruthDir(STACK_DIR);
  return { spans: readSpans(dir), metas: readMeta(dir) };
}

/**
 * The latest settled span that `keep` accepts, waiting for one while the stack is young (a fresh
 * stack has none until its first requests are older than settledSpans' margin) or while the kind
 * is rare (`waitMs`).
 */
export async function latest(
  what: string,
  keep: (s: GroundTruthSpan) => boolean,
  waitMs = 180_000
): Promise<GroundTruthSpan> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const found = settledSpans(truth().spans, keep)[0];
    if (found) {
      return found;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `the ground truth holds no settled ${what} after ${waitMs / 60_000} minutes: is the demo shop sending load?`
      );
    }
    await new Promise((r) => setTimeout(r, 5000));
  }
}

/** The header of the span the page shows: its service, name and ids. */
export async function expectSpanShown(page: Page, span: GroundTruthSpan) {
  const header = page.getByTestId('span-header');
  await expect(header).toContainText(span.service, { timeout: PAGE_TIMEOUT });
  await expect(header).toContainText(span.name);
  // The trace id is followed by the link to the trace's CPU waterfall, then the span id.
  await expect(header).toContainText(`Trace ${span.trace_id}`);
  await expect(header).toContainText(`span ${span.span_id}`);
}

const escapeRegex = (name: string) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The flame graph's search over every node: how many of the named functions it holds. */
export async function functionsMatching(page: Page, names: string[]) {
  await page.getByTestId('flame-search').fill(`/^(${names.map(escapeRegex).join('|')})$/`);
  return page.getByTestId('search-summary');
}
