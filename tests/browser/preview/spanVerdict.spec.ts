import type { Page } from '@playwright/test';

import { expect, test } from './fixtures';
import { durationMs, type GroundTruthSpan } from './groundTruth';
import { expectSpanShown, latest, PAGE_TIMEOUT, resetSettings, useTraceStore } from './spanPage';

// Computing or waiting (#17): the span page's verdict for demo spans whose ground truth is clear.
// Go's CPU profiles sample at 100 Hz: one sample per 10 ms of CPU. The page calls a verdict only when
// the 95% range of the span's CPU lies wholly on one side of half its duration, so the spans picked
// here are ones whose recorded CPU leaves no doubt either way, or none can be called at all.
const SHOT_DIR = 'tests/browser/artifacts/preview/span';

/** The span's own CPU under its labels (what a profile can see by its span_id), as a share of its duration. */
const labelledShare = (s: GroundTruthSpan) => s.cpu_ns / 1e6 / durationMs(s);

test.beforeEach(() => test.setTimeout(600_000));
test.beforeEach(async ({ request }) => useTraceStore(request, 'spanflame-jaeger'));
test.afterAll(async ({ request }) => resetSettings(request));

async function openVerdict(page: Page, span: GroundTruthSpan) {
  await page.goto(`/a/spanflame-app/span?traceId=${span.trace_id}&spanId=${span.span_id}`);
  await expectSpanShown(page, span);
  const verdict = page.getByTestId('cpu-verdict');
  await expect(verdict).toHaveAttribute('data-verdict', /.+/, { timeout: PAGE_TIMEOUT });
  return verdict;
}

test('a span the demo slowed by sleeping is judged waiting, as the ground truth says', async ({ page }) => {
  // Slowed by a 200-500 ms sleep with a few ms of CPU: even the top of the range that a handful of
  // samples leaves (about 7 samples, 70 ms, for 2 seen) stays far under half of 300 ms or more.
  const waited = await latest(
    'server span slowed by waiting',
    (s) =>
      s.kind === 'server' &&
      s.slow_by === 'waiting' &&
      s.verdict === 'waiting' &&
      durationMs(s) >= 300 &&
      labelledShare(s) < 0.1 &&
      s.unlabeled_cpu_ns / 1e6 < 0.1 * durationMs(s)
  );

  const verdict = await openVerdict(page, waited);
  await expect(verdict).toHaveAttribute('data-verdict', 'waiting');
  await expect(verdict).toContainText('Waiting: this span mostly waited');
  await expect(verdict).toContainText(/CPU [\d.]+ m?s of [\d.]+ m?s \(\d+(\.\d)?%\): this span mostly waited/);
  await page.screenshot({ path: `${SHOT_DIR}/verdict-waiting.png`, fullPage: true });
});

test('a span too short to hold a sample is left undecided: too few samples', async ({ page }) => {
  // Under 10 ms, the span holds at most one 10 ms sample: whatever it did (the ground truth records
  // either verdict for such cache hits), sampling cannot tell, and the page must not guess.
  const short = await latest('server span under 10 ms', (s) => s.kind === 'server' && durationMs(s) < 10);

  const verdict = await openVerdict(page, short);
  await expect(verdict).toHaveAttribute('data-verdict', 'too-few-samples');
  await expect(verdict).toContainText('Too few samples to say whether this span computed or waited');
  await expect(verdict).toContainText(/: too few samples to say in [\d.]+ ms\./);
  await expect(verdict).toContainText('at 100 Hz a profiler takes about');
  await page.screenshot({ path: `${SHOT_DIR}/verdict-too-few.png`, fullPage: true });
});
