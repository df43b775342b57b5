import { parseSelector } from '../../../datasource/selector';
import { QueryType } from '../../../datasource/types';
import { searchSpan } from './testSpans';
import {
  chooseWhySlowSpans,
  escapeRegex,
  normalizeTraceId,
  quantileOfSorted,
  traceIdsSelector,
  type WhySlowChoice,
  whySlowDiffQuery,
} from './whySlow';

function choiceOf(outcome: ReturnType<typeof chooseWhySlowSpans>): WhySlowChoice {
  if (!('choice' in outcome)) {
    throw new Error(`expected a choice, got: ${outcome.problem}`);
  }
  return outcome.choice;
}

describe('chooseWhySlowSpans', () => {
  // 100 requests of 1..100 ms: p50 = 50 ms, p95 = 95 ms.
  const spans = Array.from({ length: 100 }, (_, i) => searchSpan(i, i + 1));

  it('takes the slowest above p95 and those nearest the median, each side at most k', () => {
    const choice = choiceOf(chooseWhySlowSpans(spans, 4));
    expect(choice.p50Ms).toBe(50);
    expect(choice.p95Ms).toBe(95);
    expect(choice.slow.map((s) => s.durationMs)).toEqual([100, 99, 98, 97]);
    expect(choice.typical.map((s) => s.durationMs).sort((a, b) => a - b)).toEqual([48, 49, 50, 51]);
    expect(choice.slowRange).toEqual({ minMs: 97, maxMs: 100 });
    expect(choice.considered).toBe(100);
  });

  it('never takes more than the spans above p95, nor a trace id on both sides', () => {
    const choice = choiceOf(chooseWhySlowSpans(spans, 20));
    expect(choice.slow).toHaveLength(5);
    expect(choice.typical).toHaveLength(20);
    const slowIds = new Set(choice.slow.map((s) => s.traceId));
    expect(choice.typical.some((s) => slowIds.has(s.traceId))).toBe(false);
    expect(Math.min(...choice.slow.map((s) => s.durationMs))).toBeGreaterThan(choice.p95Ms);
  });

  it('keeps one span per trace (its longest) and skips ids no profile can carry', () => {
    const sameTrace = searchSpan(1, 900, { traceId: spans[0].traceId.toUpperCase() });
    const bad = searchSpan(2, 5000, { traceId: 'not-a-trace-id' });
    const choice = choiceOf(chooseWhySlowSpans([...spans, sameTrace, bad], 1));
    expect(choice.considered).toBe(100);
    expect(choice.slow[0]).toMatchObject({ durationMs: 900, traceId: spans[0].traceId });
  });

  it('says why when there is nothing to compare', () => {
    expect(chooseWhySlowSpans([searchSpan(1, 10)])).toEqual({ problem: expect.stringContaining('Only 1 request') });
    const flat = Array.from({ length: 10 }, (_, i) => searchSpan(i, 20));
    expect(chooseWhySlowSpans(flat)).toEqual({ problem: expect.stringContaining('slower than its p95 (20 ms)') });
  });

  it('is bounded by k whatever the number of spans', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => searchSpan(i, (i * 7919) % 100_000));
    const choice = choiceOf(chooseWhySlowSpans(many, 20));
    expect(choice.slow).toHaveLength(20);
    expect(choice.typical).toHaveLength(20);
  });
});

describe('trace ids and selectors', () => {
  it('normalizes trace ids as profiles carry them', () => {
    expect(normalizeTraceId(' 0AF7651916CD43DD8448EB211C80319C ')).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(normalizeTraceId('8448eb211c80319c')).toBe('00000000000000008448eb211c80319c');
    expect(normalizeTraceId('xyz')).toBeUndefined();
  });

  it('escapes regex syntax', () => {
    expect(escapeRegex('a.b|c(d)*')).toBe('a\\.b\\|c\\(d\\)\\*');
  });

  it('escapes the service (quotes, backslashes, newlines) so the selector reads back the same', () => {
    const service = 'we"ird\\svc\nname';
    const selector = traceIdsSelector('service_name', service, ['a'.repeat(32), 'b'.repeat(32)]);
    expect(parseSelector(selector)).toEqual({
      ok: true,
      matchers: [
        { name: 'service_name', operator: '=', value: service },
        { name: 'trace_id', operator: '=~', value: `${'a'.repeat(32)}|${'b'.repeat(32)}` },
      ],
    });
    expect(selector).not.toContain('\n');
  });

  it('builds one diff query: baseline the typical requests, comparison the slow ones', () => {
    const choice = choiceOf(
      chooseWhySlowSpans(
        Array.from({ length: 40 }, (_, i) => searchSpan(i, i + 1)),
        2
      )
    );
    const query = whySlowDiffQuery({ profileType: 'cpu', serviceLabel: 'service_name', service: 'frontend', choice });
    expect(query.queryType).toBe(QueryType.Diff);
    expect(query.labelSelector).toBe(
      `{service_name="frontend", trace_id=~"${choice.slow[0].traceId}|${choice.slow[1].traceId}"}`
    );
    expect(query.baseline).toEqual({
      mode: 'selector',
      labelSelector: `{service_name="frontend", trace_id=~"${choice.typical[0].traceId}|${choice.typical[1].traceId}"}`,
    });
  });
});

describe('quantileOfSorted', () => {
  it('is nearest-rank', () => {
    expect(quantileOfSorted([1, 2, 3, 4], 0.5)).toBe(2);
    expect(quantileOfSorted([1, 2, 3, 4], 0.95)).toBe(4);
    expect(quantileOfSorted([7], 0.5)).toBe(7);
  });
});
