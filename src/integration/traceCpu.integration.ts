/**
 * #17's checks against the demo's ground truth, through the real chain: the preview host (Grafana's
 * /api/ds/query) runs the plugin's backend, which asks the stack's real Parca. For the latest slowed
 * traces of the demo it asks the waterfall's one query (the trace's samples grouped by span_id),
 * reads it with the trace page's own domain code, and compares with what the shop recorded:
 * - spans with at least 20 samples: measured CPU within 20% of the recorded (labelled) CPU, for all
 *   but at most one in ten (the relay now and then loses part of a collection round);
 * - the span page's verdict (computing or waiting) right for at least 95% of the slow spans it gives one
 *   for; it may say it cannot tell (a span too short for 20 samples, a 95% range straddling 50%) for at
 *   most 40% of them (27% on the demo, whose computing slowdowns run at 36-74% CPU);
 * - the waterfall's bars plus the CPU it keeps apart add up to the trace's total, and that total is
 *   the one a separate, ungrouped query of the trace gives.
 * It prints the figures. Needs the stack (stack.env) and the built plugin (scripts/preview.sh build);
 * starts its own preview host unless SPANFLAME_PREVIEW_URL names one.
 */
import { type DataFrame, dataFrameFromJSON, type DataFrameJSON } from '@grafana/data';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { flameGraphFrame } from '../components/FlameGraph/scene';
import { judgeCpu } from '../pages/SpanProfile/domain/cpuVerdict';
import { readTraceCpu } from '../pages/Trace/domain/traceCpu';
import { msPerUnit } from '../shared/parca/cpuUnits';
import { accountedMs, buildWaterfall, profileWindow } from '../pages/Trace/domain/waterfall';
import { traceCpuQuery } from '../pages/Trace/infrastructure/queryRunners';
import { resolveAppSettings, samplingHzFor } from '../shared/appSettings';
import type { TraceSpan } from '../shared/traces/types';

jest.setTimeout(900_000);

const REPO = resolve(__dirname, '../..');
const PROFILE_TYPE = 'process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta';
const SETTINGS = resolveAppSettings({});
/** Traces checked: the latest slowed ones whose profiles have surely landed. */
const TRACES = Number(process.env.SPANFLAME_CHECK_TRACES ?? 40);
/** The relay collects 5 s profiles; leave two rounds before a span's samples are asked for. */
const SETTLE_MS = 15_000;

interface TruthSpan {
  trace_id: string;
  span_id: string;
  parent_span_id: string;
  service: string;
  name: string;
  kind: string;
  start_unix_nano: number;
  end_unix_nano: number;
  cpu_ns: number;
  unlabeled_cpu_ns: number;
  cpu_labeled: boolean;
  slow_by?: string;
  verdict?: string;
}

function stackEnv(): Record<string, string> {
  const dir = process.env.SPANFLAME_STACK_DIR;
  const text = dir ? readFileSync(join(dir, 'stack.env'), 'utf8') : '';
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line);
    if (m) {
      env[m[1]] = m[2];
    }
  }
  const get = (name: string) => process.env[name] || env[name] || '';
  return Object.fromEntries(
    [
      'SPANFLAME_PARCA_URL',
      'SPANFLAME_GROUND_TRUTH_DIR',
      'SPANFLAME_PROMETHEUS_URL',
      'SPANFLAME_TEMPO_URL',
      'SPANFLAME_JAEGER_URL',
    ].map((n) => [n, get(n)])
  );
}

function readTruth(dir: string): TruthSpan[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.spans.jsonl'))
    .flatMap((f) =>
      readFileSync(join(dir, f), 'utf8')
        .split('\n')
        .filter((line) => line.endsWith('}'))
        .map((line) => JSON.parse(line) as TruthSpan)
    );
}

function asTraceSpan(s: TruthSpan): TraceSpan {
  return {
    traceId: s.trace_id,
    spanId: s.span_id,
    ...(s.parent_span_id ? { parentSpanId: s.parent_span_id } : {}),
    service: s.service,
    name: s.name,
    kind: s.kind === 'server' || s.kind === 'client' || s.kind === 'internal' ? s.kind : 'unspecified',
    status: 'unset',
    startMs: s.start_unix_nano / 1e6,
    durationMs: (s.end_unix_nano - s.start_unix_nano) / 1e6,
    attributes: {},
    resourceAttributes: {},
  };
}

function postJson(url: string, body: unknown): Promise<{ status: number; json: unknown }> {
  return new Promise((done, fail) => {
    const req = request(url, { method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => done({ status: res.statusCode ?? 0, json: JSON.parse(text || 'null') }));
    });
    req.setTimeout(120_000, () => req.destroy(new Error(`no answer from ${url} in 120 s`)));
    req.on('error', fail);
    req.end(JSON.stringify(body));
  });
}

/** One query through Grafana's query API, as the app's SceneQueryRunner sends it. */
async function dsQuery(base: string, query: object, window: { fromMs: number; toMs: number }): Promise<DataFrame[]> {
  const datasource = { uid: SETTINGS.parcaDatasourceUid, type: 'spanflame-parca-datasource' };
  const { status, json } = await postJson(`${base}/api/ds/query`, {
    from: String(window.fromMs),
    to: String(window.toMs),
    queries: [{ ...query, refId: 'A', datasource }],
  });
  const result = (json as { results?: Record<string, { frames?: DataFrameJSON[]; error?: string }> }).results?.A;
  if (status !== 200 || result?.error) {
    throw new Error(`query failed (${status}): ${result?.error ?? JSON.stringify(json)}`);
  }
  return (result?.frames ?? []).map((f) => dataFrameFromJSON(f));
}

async function startHost(env: Record<string, string>): Promise<{ base: string; host?: ChildProcess }> {
  if (process.env.SPANFLAME_PREVIEW_URL) {
    return { base: process.env.SPANFLAME_PREVIEW_URL };
  }
  const addr = process.env.SPANFLAME_PREVIEW_TEST_ADDR ?? '127.0.0.1:3102';
  const host = spawn(
    join(REPO, '.cache/bin/preview-host'),
    [
      ...['-repo', REPO, '-addr', addr, '-parca-url', env.SPANFLAME_PARCA_URL],
      ...['-state-dir', mkdtempSync(join(tmpdir(), 'sf-trace-cpu-'))],
      ...['-prometheus-url', env.SPANFLAME_PROMETHEUS_URL, '-tempo-url', env.SPANFLAME_TEMPO_URL],
      ...['-jaeger-url', env.SPANFLAME_JAEGER_URL],
    ],
    { cwd: REPO, stdio: 'ignore' }
  );
  const base = `http://${addr}`;
  for (let i = 0; i < 150; i++) {
    const up = await new Promise<boolean>((done) =>
      request(`${base}/api/datasources`, (res) => done(res.statusCode === 200))
        .on('error', () => done(false))
        .end()
    );
    if (up) {
      return { base, host };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  host.kill('SIGTERM');
  throw new Error(`the preview host did not start on ${addr}: build it with scripts/preview.sh build`);
}

describe("each span's CPU against the demo's ground truth", () => {
  const env = stackEnv();
  let base = '';
  let host: ChildProcess | undefined;

  beforeAll(async () => {
    if (!env.SPANFLAME_PARCA_URL || !env.SPANFLAME_GROUND_TRUTH_DIR) {
      throw new Error('SPANFLAME_STACK_DIR names no running stack: start one with scripts/stack.sh start');
    }
    ({ base, host } = await startHost(env));
  });
  afterAll(() => host?.kill('SIGTERM'));

  it('measures CPU within 20%, judges computing or waiting, and adds up to the trace total', async () => {
    const truth = readTruth(env.SPANFLAME_GROUND_TRUTH_DIR);
    const byTrace = new Map<string, TruthSpan[]>();
    for (const s of truth) {
      byTrace.set(s.trace_id, [...(byTrace.get(s.trace_id) ?? []), s]);
    }
    const settled = Date.now() - SETTLE_MS;
    const slowed = [...byTrace.values()]
      .filter((spans) => spans.some((s) => s.slow_by) && spans.every((s) => s.end_unix_nano / 1e6 < settled))
      .sort((a, b) => b[0].start_unix_nano - a[0].start_unix_nano)
      .slice(0, TRACES);
    expect(slowed.length).toBeGreaterThanOrEqual(10);

    const unit = msPerUnit(PROFILE_TYPE, SETTINGS) as number;
    const periodMs = 1000 / (samplingHzFor(SETTINGS, PROFILE_TYPE) as number);
    const errors: number[] = [];
    const offBy: string[] = [];
    const verdicts = { right: 0, wrong: [] as string[], undecided: [] as string[] };
    /** Spans the demo slowed by computing: how many, and how many the truth and the page call computing. */
    const computingSlowed = { spans: 0, truth: 0, page: 0 };
    let worstSumGap = 0;
    let withSamples = 0;
    for (const spans of slowed) {
      const traceId = spans[0].trace_id;
      const layout = buildWaterfall(spans.map(asTraceSpan), { total: 0, bySpan: new Map(), withoutSpan: 0 }, unit);
      const window = profileWindow(layout);
      const waterfall = buildWaterfall(
        spans.map(asTraceSpan),
        readTraceCpu(await dsQuery(base, traceCpuQuery(traceId, PROFILE_TYPE), window)),
        unit
      );
      // The trace's total from a query of its own, not grouped: the bars must add up to it.
      const wholeFrame = flameGraphFrame(
        await dsQuery(base, { queryType: 'profile', profileType: PROFILE_TYPE, traceId, nodeTrimThreshold: 0 }, window)
      );
      const whole = Number(wholeFrame?.fields.find((f) => f.name === 'value')?.values[0] ?? 0);
      const sumGap = Math.abs(accountedMs(waterfall) - whole * unit);
      worstSumGap = Math.max(worstSumGap, sumGap);
      expect(sumGap).toBeLessThan(1e-6 * Math.max(1, whole * unit));

      for (const row of waterfall.rows) {
        const recorded = spans.find((s) => s.span_id === row.span.spanId) as TruthSpan;
        if (recorded.kind !== 'server') {
          continue;
        }
        const samples = row.cpuMs / periodMs;
        if (samples >= 20) {
          withSamples++;
          const error = (row.cpuMs - recorded.cpu_ns / 1e6) / (recorded.cpu_ns / 1e6);
          errors.push(error);
          if (Math.abs(error) > 0.2) {
            offBy.push(
              `${recorded.service} ${recorded.span_id}: measured ${row.cpuMs.toFixed(1)} ms, recorded ${(recorded.cpu_ns / 1e6).toFixed(1)} ms`
            );
          }
        }
        if (recorded.verdict) {
          const verdict = judgeCpu({
            durationMs: row.span.durationMs,
            profileType: PROFILE_TYPE,
            hz: samplingHzFor(SETTINGS, PROFILE_TYPE),
            ownTotal: row.cpuMs / unit,
          });
          if (recorded.slow_by === 'computing') {
            computingSlowed.spans++;
            computingSlowed.truth += recorded.verdict === 'computing' ? 1 : 0;
            computingSlowed.page += verdict.kind === 'computing' ? 1 : 0;
          }
          if (verdict.kind === 'too-few-samples' || verdict.kind === 'borderline') {
            // The page says it cannot tell (too short for 20 samples, or a 95% range that straddles
            // 50%): honest, not wrong. Counted apart, and bounded below.
            verdicts.undecided.push(`${recorded.service} ${recorded.name}: ${verdict.kind}, truth ${recorded.verdict}`);
          } else if (verdict.kind === recorded.verdict) {
            verdicts.right++;
          } else {
            verdicts.wrong.push(
              `${recorded.service} ${recorded.name} ${recorded.span_id}: said ${verdict.kind}, truth ${recorded.verdict} (${verdict.headline})`
            );
          }
        }
      }
    }
    const judged = verdicts.right + verdicts.wrong.length;
    const slowSpans = judged + verdicts.undecided.length;
    const abs = errors.map(Math.abs).sort((a, b) => a - b);
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    console.log(
      [
        `traces checked: ${slowed.length} (the latest slowed ones), one grouped query each`,
        `spans with >= 20 samples: ${withSamples}; |measured - recorded| / recorded: median ${pct(abs[Math.floor(abs.length / 2)] ?? 0)}, ` +
          `max ${pct(abs[abs.length - 1] ?? 0)}, mean signed ${pct(errors.reduce((a, b) => a + b, 0) / Math.max(1, errors.length))}; over 20%: ${offBy.length}`,
        ...offBy.map((s) => `  off by more than 20%: ${s}`),
        `slow spans: ${slowSpans}; the page said it cannot tell for ${verdicts.undecided.length} (${pct(verdicts.undecided.length / Math.max(1, slowSpans))}), ` +
          `gave a verdict for ${judged}; right: ${verdicts.right} (${pct(verdicts.right / Math.max(1, judged))})`,
        ...verdicts.wrong.map((s) => `  wrong: ${s}`),
        `spans the demo slowed by computing: ${computingSlowed.spans}; the truth calls ${computingSlowed.truth} computing, the page ${computingSlowed.page}`,
        `largest gap between the bars (+ CPU kept apart) and the trace's own total: ${worstSumGap.toExponential(2)} ms`,
      ].join('\n')
    );
    expect(withSamples).toBeGreaterThan(0);
    // The stack's CPU relay stands in for parca-agent and now and then loses part of a collection
    // round (one frontend span of 21 measured 230 ms of 321 ms in a CI rehearsal): at most one span
    // in ten may be off by more than 20%, each listed above.
    expect(offBy.length).toBeLessThanOrEqual(Math.floor(withSamples / 10));
    expect(judged).toBeGreaterThanOrEqual(20);
    expect(verdicts.right / judged).toBeGreaterThanOrEqual(0.95);
    // Saying "cannot tell" is right for short spans and shares near 50%, but it must stay the exception.
    expect(verdicts.undecided.length / slowSpans).toBeLessThanOrEqual(0.4);
  });
});
