import { LoadingState, type PanelData } from '@grafana/data';
import { useMemo } from 'react';
import {
  sceneGraph,
  SceneObjectBase,
  type SceneObjectState,
  type SceneQueryRunner,
  type SceneTimeRange,
  type SceneTimeRangeState,
} from '@grafana/scenes';

import type { Answer } from '../domain/measureReasons';
import {
  readTraceIdSample,
  TRACE_ID_SAMPLE_SIZE,
  traceIdWindow,
  tracesNotStored,
  type TraceIdSample,
  type TracesNotStoredResult,
} from '../domain/traceIdSample';
import {
  absoluteRange,
  buildTraceIdsQueryRunner,
  buildTraceLookupsQueryRunner,
} from '../infrastructure/buildCoverageQueryRunners';

interface TraceIdCheckState extends SceneObjectState {
  service: string;
  /** Parca's trace ids carrying the most CPU in the window (the backend's bounded traceIds query). */
  traceIds: SceneQueryRunner;
  /** One trace-store lookup per sampled id; rebuilt when the sample changes. */
  lookups?: SceneQueryRunner;
  /** The window the ids are drawn from, epoch ms. */
  window: { fromMs: number; toMs: number };
}

/**
 * Trace ids Parca holds whose traces the store never received: two bounded steps, each a Scenes
 * query runner (so each is cancelled when the page moves on): Parca's top trace ids by CPU in the
 * range's last minutes, then one lookup per id in the trace store.
 */
export class TraceIdCheck extends SceneObjectBase<TraceIdCheckState> {
  constructor(p: { parcaUid: string; serviceLabel: string; service: string }) {
    // A placeholder until activation, when the page's range is known.
    const window = { fromMs: 0, toMs: 1 };
    super({
      service: p.service,
      window,
      traceIds: buildTraceIdsQueryRunner({ ...p, window }),
    });
    this.addActivationHandler(() => this.onActivate());
  }

  private onActivate() {
    const { traceIds } = this.state;
    const pageRange = sceneGraph.getTimeRange(this);
    const followPage = ({ value }: SceneTimeRangeState) => {
      const window = traceIdWindow(value.from.valueOf(), value.to.valueOf());
      this.setState({ window });
      (traceIds.state.$timeRange as SceneTimeRange).setState(absoluteRange(window));
    };
    followPage(pageRange.state);
    // The window follows the page's range (and its refreshes); the runner reruns on its own range's change.
    this._subs.add(pageRange.subscribeToState(followPage));
    let lookedUp = '';
    let lookupsDeactivate: (() => void) | undefined;
    this._subs.add(
      traceIds.subscribeToState((state) => {
        if (state.data?.state !== LoadingState.Done) {
          return;
        }
        const sample = readTraceIdSample(state.data.series);
        const key = sample.traceIds.map((t) => t.traceId).join(',');
        if (key === lookedUp) {
          return;
        }
        lookedUp = key;
        lookupsDeactivate?.();
        const lookups = buildTraceLookupsQueryRunner(sample.traceIds);
        this.setState({ lookups });
        lookupsDeactivate = sample.traceIds.length > 0 ? lookups.activate() : undefined;
      })
    );
    const traceIdsDeactivate = traceIds.activate();
    return () => {
      lookupsDeactivate?.();
      traceIdsDeactivate();
    };
  }
}

const pending = (data: PanelData | undefined) =>
  !data || data.state === LoadingState.Loading || data.state === LoadingState.NotStarted;

/**
 * The check's progress and answer: Parca's sample first, then the store's lookups. Lookups that
 * failed are counted apart (tracesNotStored), not as the whole reason failing.
 */
export function traceIdCheckAnswer(
  traceIdsData: PanelData | undefined,
  lookupsData: PanelData | undefined,
  storeName: string
): Answer<TracesNotStoredResult> {
  if (pending(traceIdsData)) {
    return { state: 'loading', progress: 'Asking Parca for the trace ids carrying the most CPU…' };
  }
  const errors = traceIdsData?.errors ?? [];
  if (traceIdsData?.state === LoadingState.Error && errors.length > 0) {
    return { state: 'error', message: errors.map((e) => e.message).join(' ') };
  }
  const sample: TraceIdSample = readTraceIdSample(traceIdsData?.series ?? []);
  if (sample.traceIds.length === 0) {
    return { state: 'done', value: tracesNotStored(sample, []) };
  }
  if (pending(lookupsData)) {
    return {
      state: 'loading',
      progress: `Looking up Parca's ${sample.traceIds.length} trace ids with the most CPU in ${storeName} (at most ${TRACE_ID_SAMPLE_SIZE})…`,
    };
  }
  return { state: 'done', value: tracesNotStored(sample, lookupsData?.series ?? [], lookupsData?.errors) };
}

/**
 * A check's answer for the renderer, re-rendering as its runners answer; without a check (no trace
 * store in the settings) 'no-trace-store'. Hooks run the same either way: the missing check is
 * stood in for by an idle one.
 */
export function useTraceIdCheck(check: TraceIdCheck | undefined, storeName: string) {
  const idle = useMemo(() => new TraceIdCheck({ parcaUid: '', serviceLabel: '', service: '' }), []);
  const { traceIds, lookups, window } = (check ?? idle).useState();
  const idleLookups = useMemo(() => buildTraceLookupsQueryRunner([]), []);
  const traceIdsData = traceIds.useState().data;
  const lookupsData = (lookups ?? idleLookups).useState().data;
  return {
    answer: check ? traceIdCheckAnswer(traceIdsData, lookupsData, storeName) : ('no-trace-store' as const),
    windowMs: window.toMs - window.fromMs,
  };
}
