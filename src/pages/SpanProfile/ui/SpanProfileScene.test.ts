import { EmbeddedScene, SceneTimeRange } from '@grafana/scenes';

import { parseProfileTypeId } from '../../../datasource/profileTypes';
import type { ProfileTypeInfo } from '../../../datasource/types';
import { resolveAppSettings } from '../../../shared/appSettings';
import { TraceStoreError } from '../../../shared/traces/types';
import { fakeDatasources } from '../testing/fakeDatasources';
import { PROFILE_STAMP_LOOKBACK_MS } from '../domain/profileQueries';
import { demoTrace, span, T0, TRACE_ID } from '../testing/spans';
import { SpanProfileScene, type SpanProfileState } from './SpanProfileScene';

const AGENT = 'parca_agent:samples:count:cpu:nanoseconds:delta';
const settings = resolveAppSettings({ traceDatasourceUid: 'spanflame-jaeger' });
const { store, parca } = fakeDatasources();

/** Ranges the page asked for profile types over, as epoch ms. */
const typeLookups: Array<[number, number]> = [];

function open(
  state: Partial<SpanProfileState>,
  types: string[] = [AGENT],
  page = { fromMs: T0 - 3600_000, toMs: T0 + 3600_000 }
) {
  const scene = new SpanProfileScene(
    settings,
    async (_uid, range) => {
      typeLookups.push([range.from.valueOf(), range.to.valueOf()]);
      return types.map((id) => parseProfileTypeId(id) as ProfileTypeInfo);
    },
    state
  );
  const root = new EmbeddedScene({
    $timeRange: new SceneTimeRange({
      from: new Date(page.fromMs).toISOString(),
      to: new Date(page.toMs).toISOString(),
    }),
    body: scene,
  });
  const deactivate = root.activate();
  const deactivateScene = scene.activate();
  return {
    scene,
    close: () => {
      deactivateScene();
      deactivate();
    },
  };
}

async function until(scene: SpanProfileScene, ready: (s: SpanProfileState) => boolean) {
  for (let i = 0; i < 200 && !ready(scene.state); i++) {
    await new Promise((r) => setTimeout(r, 5));
  }
  return scene.state;
}

/** The flame graph is rendered by React in the app; here its runner is activated as React would. */
function render(scene: SpanProfileScene) {
  return scene.state.flameGraph?.activate();
}

beforeEach(() => {
  store.fail = undefined;
  store.traces = [demoTrace()];
  parca.calls = [];
  parca.answer = () => 0;
  typeLookups.length = 0;
});

describe('SpanProfileScene', () => {
  it("looks the span up and shows its own labelled CPU from the profiles covering the span's window", async () => {
    parca.answer = ({ query }) => (query.spanId === 'bbbbbbbbbbbbbbb2' ? 40 : 0);
    const { scene, close } = open({ traceId: TRACE_ID, spanId: 'bbbbbbbbbbbbbbb2' });
    await until(scene, (s) => !!s.flameGraph);
    render(scene);
    const state = await until(scene, (s) => !!s.choice);
    expect(state.facts).toMatchObject({ service: 'checkout', name: 'GET /checkout', route: '/checkout' });
    expect(state.place?.parent?.spanId).toBe('aaaaaaaaaaaaaaa1');
    expect(state.choice?.kind).toBe('labelled');
    // A profile is stamped with the start of its collection window: the query starts that much earlier.
    expect(parca.calls[0]).toMatchObject({ fromMs: T0 + 10 - PROFILE_STAMP_LOOKBACK_MS, toMs: T0 + 811 });
    expect(parca.calls[0].query).toMatchObject({ profileType: AGENT, traceId: TRACE_ID, spanId: 'bbbbbbbbbbbbbbb2' });
    close();
  });

  it("falls back to the service's window and counts the other requests that overlapped it", async () => {
    store.traces.push({
      traceId: 'ffffffffffffffffffffffffffffffff',
      spans: [
        span({ traceId: 'ffffffffffffffffffffffffffffffff', spanId: '9999999999999991', at: 100, ms: 50 }),
        span({ traceId: 'ffffffffffffffffffffffffffffffff', spanId: '9999999999999992', at: 5000, ms: 50 }),
      ],
    });
    parca.answer = ({ query }) => (query.traceId ? 0 : 75);
    const { scene, close } = open({ traceId: TRACE_ID, spanId: 'bbbbbbbbbbbbbbb2' });
    await until(scene, (s) => !!s.flameGraph);
    render(scene);
    await until(scene, (s) => s.shown?.labelled === false);
    render(scene);
    const state = await until(scene, (s) => s.choice?.kind === 'window' && s.choice.overlapping !== undefined);
    expect(state.choice?.overlapping).toBe(1);
    expect(state.choice?.sentence).toContain('1 other request of checkout overlapped it');
    const windowCall = parca.calls.find((c) => !c.query.traceId);
    expect(windowCall).toMatchObject({ fromMs: T0 + 10 - PROFILE_STAMP_LOOKBACK_MS, toMs: T0 + 811 });
    expect(windowCall?.query.labelSelector).toBe('{service_name="checkout"}');
    close();
  });

  it('explains an empty profile instead of drawing nothing', async () => {
    const { scene, close } = open({ traceId: TRACE_ID, spanId: 'bbbbbbbbbbbbbbb2', view: 'trace' });
    await until(scene, (s) => !!s.flameGraph);
    render(scene);
    const state = await until(scene, (s) => !!s.choice);
    expect(state.choice?.kind).toBe('none');
    expect(parca.calls[0].query.groupBy).toEqual(['service_name']);
    expect(parca.calls[0]).toMatchObject({ fromMs: T0 - PROFILE_STAMP_LOOKBACK_MS, toMs: T0 + 900 });
    close();
  });

  it("looks for the profile types where the trace's CPU profiles are stamped, however narrow the page range", async () => {
    // The trace view's header opens the whole trace with the page range set to the trace itself.
    const { scene, close } = open({ traceId: TRACE_ID, spanId: 'aaaaaaaaaaaaaaa1', view: 'trace' }, [AGENT], {
      fromMs: T0,
      toMs: T0 + 900,
    });
    await until(scene, (s) => !!s.flameGraph);
    expect(typeLookups).toEqual([[T0 - PROFILE_STAMP_LOOKBACK_MS, T0 + 900]]);
    expect(scene.state.shown?.query.profileType).toBe(AGENT);
    close();
  });

  it("says the trace is unknown, and still profiles the span from the link's facts", async () => {
    parca.answer = () => 12;
    const { scene, close } = open({
      traceId: '11111111111111111111111111111111',
      spanId: 'bbbbbbbbbbbbbbb2',
      spanStart: T0 + 0.5,
      spanEnd: T0 + 30.25,
      service: 'checkout',
    });
    await until(scene, (s) => !!s.flameGraph);
    render(scene);
    const state = await until(scene, (s) => !!s.choice);
    expect(state.traceProblem).toContain('is not in the trace store');
    expect(parca.calls[0]).toMatchObject({ fromMs: T0 - PROFILE_STAMP_LOOKBACK_MS, toMs: T0 + 31 });
    close();
  });

  it('tells an unreachable trace store apart, and a Parca failure', async () => {
    store.fail = new TraceStoreError('unreachable', 'unreachable: connection refused');
    parca.answer = () => ({ error: 'Parca at http://parca:7070 is unreachable: connection refused' });
    const { scene, close } = open({ traceId: TRACE_ID, spanId: 'bbbbbbbbbbbbbbb2', spanStart: T0, spanDuration: 100 });
    await until(scene, (s) => !!s.flameGraph);
    render(scene);
    const state = await until(scene, (s) => !!s.profileProblem);
    expect(state.traceProblem).toContain('The trace store did not answer');
    expect(state.profileProblem).toContain('Parca could not be queried');
    expect(state.profileProblem).toContain('"spanflame-parca"');
    close();
  });

  it('merges the route over the page range for the route view', async () => {
    store.traces.push({
      traceId: '22222222222222222222222222222222',
      spans: [span({ traceId: '22222222222222222222222222222222', spanId: '2222222222222222', at: 60_000, ms: 20 })],
    });
    parca.answer = () => 9;
    const { scene, close } = open({ traceId: TRACE_ID, spanId: 'bbbbbbbbbbbbbbb2', view: 'route' });
    await until(scene, (s) => !!s.flameGraph);
    render(scene);
    const state = await until(scene, (s) => !!s.choice);
    expect(parca.calls[0].query.labelSelector).toBe(
      `{service_name="checkout", trace_id=~"(${TRACE_ID}|22222222222222222222222222222222)"}`
    );
    expect(parca.calls[0]).toMatchObject({ fromMs: T0 - 3600_000, toMs: T0 + 3600_000 });
    expect(state.choice?.sentence).toContain('2 requests of checkout');
    close();
  });

  describe('computing or waiting', () => {
    const GO_CPU = 'process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta';
    const ownCalls = () => parca.calls.filter((c) => c.query.spanId);
    const subtreeCalls = () => parca.calls.filter((c) => c.query.traceId && !c.query.spanId);
    const windowCalls = () => parca.calls.filter((c) => !c.query.traceId);

    async function verdictOf(scene: SpanProfileScene) {
      await until(scene, (s) => !!s.flameGraph && !!s.cpuVerdict);
      render(scene);
      // React renders the summary in the app; here it is activated as React would.
      scene.state.cpuVerdict?.activate();
      await until(scene, (s) => !!s.cpuVerdict?.state.verdict);
      return scene.state.cpuVerdict!.state;
    }

    it('says a span waited, and lists the child spans that cover the wait, longest first', async () => {
      parca.answer = ({ query }) => (query.spanId ? 1 : 3);
      const { scene, close } = open({ traceId: TRACE_ID, spanId: 'bbbbbbbbbbbbbbb2' });
      const v = await verdictOf(scene);
      expect(v.verdict?.kind).toBe('waiting');
      expect(v.verdict?.headline).toMatch(/^CPU 53 ms of 801 ms \(7%\): this span mostly waited/);
      expect(v.verdict?.subtree?.samples).toBe(3);
      expect(v.waiting?.children.map((c) => c.span.name)).toEqual(['POST /charge', 'price']);
      expect(v.waiting?.coveredMs).toBe(250);
      // The span view's own query is the flame graph's: asked once; the subtree once beside it.
      expect(ownCalls()).toHaveLength(1);
      expect(subtreeCalls()).toHaveLength(1);
      close();
    });

    it('says a span computed, reading Go CPU nanoseconds, in the subtree view', async () => {
      parca.answer = ({ query }) => (query.spanId ? 700e6 : 760e6);
      const { scene, close } = open({ traceId: TRACE_ID, spanId: 'bbbbbbbbbbbbbbb2', view: 'subtree' }, [GO_CPU]);
      const v = await verdictOf(scene);
      expect(v.verdict?.kind).toBe('computing');
      expect(v.verdict?.headline).toBe('CPU 700 ms of 801 ms (87%): this span mostly computed.');
      expect(v.verdict?.rangeSentence).toContain('From 70 samples');
      expect(v.waiting).toBeUndefined();
      expect(ownCalls()).toHaveLength(1);
      expect(subtreeCalls()).toHaveLength(1);
      close();
    });

    it("bounds a span without samples of its own by its service's window, reusing the page's fallback", async () => {
      parca.answer = ({ query }) => (query.traceId ? 0 : 2);
      const { scene, close } = open({ traceId: TRACE_ID, spanId: 'bbbbbbbbbbbbbbb2' });
      await until(scene, (s) => !!s.cpuVerdict);
      scene.state.cpuVerdict?.activate();
      render(scene);
      await until(scene, (s) => s.shown?.labelled === false);
      render(scene);
      const state = await until(scene, (s) => !!s.cpuVerdict?.state.verdict);
      const v = state.cpuVerdict!.state;
      expect(v.verdict?.kind).toBe('waiting');
      expect(v.verdict?.headline).toContain("even all of its service's CPU in its window, 105 ms, is under half");
      expect(windowCalls()).toHaveLength(1);
      close();
    });

    it('says a 30 ms span at 19 Hz holds too few samples to say', async () => {
      store.traces = [{ traceId: TRACE_ID, spans: [span({ spanId: 'bbbbbbbbbbbbbbb2', ms: 30 })] }];
      parca.answer = ({ query }) => (query.spanId ? 1 : 0);
      const { scene, close } = open({ traceId: TRACE_ID, spanId: 'bbbbbbbbbbbbbbb2' });
      const v = await verdictOf(scene);
      expect(v.verdict?.kind).toBe('too-few-samples');
      expect(v.verdict?.rangeSentence).toContain('From 1 sample:');
      expect(v.verdict?.shortSpan).toBeDefined();
      close();
    });

    it("has no verdict in the route view (its profile is the route's, not the span's)", async () => {
      const { scene, close } = open({ traceId: TRACE_ID, spanId: 'bbbbbbbbbbbbbbb2', view: 'route' });
      await until(scene, (s) => !!s.flameGraph);
      expect(scene.state.cpuVerdict).toBeUndefined();
      close();
    });
  });

  it('keeps its state in the URL and reloads when the URL changes', async () => {
    const { scene, close } = open({ traceId: TRACE_ID, spanId: 'bbbbbbbbbbbbbbb2' });
    expect(scene.getUrlState()).toMatchObject({ traceId: TRACE_ID, spanId: 'bbbbbbbbbbbbbbb2', view: 'span' });
    scene.updateFromUrl({ traceId: TRACE_ID, spanId: 'ccccccccccccccc3', spanStart: '1000.5', view: 'subtree' });
    expect(scene.state).toMatchObject({ spanId: 'ccccccccccccccc3', spanStart: 1000.5, view: 'subtree' });
    const state = await until(scene, (s) => s.facts?.name === 'POST /charge');
    expect(state.facts?.kind).toBe('client');
    scene.setView('trace');
    expect(scene.getUrlState().view).toBe('trace');
    close();
  });

  it('refuses a link without a valid trace id, saying what one looks like', () => {
    const { scene, close } = open({ traceId: 'not-a-trace' });
    expect(scene.state.linkProblem).toContain('32 hexadecimal characters');
    close();
  });
});
