import { LoadingState, type PanelData } from '@grafana/data';
import { sceneGraph, SceneObjectBase, type SceneObjectState, type SceneQueryRunner } from '@grafana/scenes';
import { useMemo } from 'react';

import type { Answer } from '../domain/measureReasons';
import {
  readTraceIdSample,
  TRACE_ID_SAMPLE_SIZE,
  tracesNotStored,
  type TraceIdSample,
  type TracesNotStoredResult,
} from '../domain/traceIdSample';
import { buildTraceIdsQueryRunner, buildTraceLookupsQueryRunner } from '../infrastructure/buildCoverageQueryRunners';

interface TraceIdCheckState extends SceneObjectState {
  service: string;
  /** Parca's trace ids carrying the most CPU in the window (the backend's bounded traceIds query). */
  traceIds: SceneQueryRunner;
  /** One trace-store lookup per sampled id; rebuilt when the sample changes. */
  lookups?: SceneQueryRunner;
}

/**
 * Trace ids Parca holds whose traces the store never received: two bounded steps, each a Scenes
 * query runner (so each is cancelled when the page moves on): Parca's top trace ids by CPU in the
 * range's last minutes, then one lookup per id in the trace store.
 */
export class TraceIdCheck extends SceneObjectBase<TraceIdCheckState> {
  constructor(p: { parcaUid: string; serviceLabel: string; service: string }) {
    super({ service: p.service, traceIds: buildTraceIdsQueryRunner(p) });
    this.addActivationHandler(() => this.onActivate());
  }

  private onActivate() {
    const { traceIds } = this.state;
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
  const { traceIds, lookups } = (check ?? idle).useState();
  // The sample's window: its runner's range, which follows the page's (TraceIdWindowRange).
  const window = sceneGraph.getTimeRange(traceIds).useState().value;
  const idleLookups = useMemo(() => buildTraceLookupsQueryRunner([]), []);
  const traceIdsData = traceIds.useState().data;
  const lookupsData = (lookups ?? idleLookups).useState().data;
  return {
    answer: check ? traceIdCheckAnswer(traceIdsData, lookupsData, storeName) : ('no-trace-store' as const),
    windowMs: window.to.valueOf() - window.from.valueOf(),
  };
}
