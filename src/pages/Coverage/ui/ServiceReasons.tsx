import { css } from '@emotion/css';
import { type DataFrame, type GrafanaTheme2, LoadingState, type PanelData } from '@grafana/data';
import {
  sceneGraph,
  SceneObjectBase,
  type SceneComponentProps,
  type SceneObjectState,
  SceneQueryRunner,
} from '@grafana/scenes';
import { useStyles2 } from '@grafana/ui';
import React, { useMemo } from 'react';

import { readCoverage } from '../../../panels/coverage/domain/readCoverage';
import { CoverageStacks } from '../../../panels/coverage/ui/CoverageStacks';
import { type AppSettings, samplingHzFor } from '../../../shared/appSettings';
import { PROFILE_TYPE_VARIABLE } from '../../../shared/parca/profileTypeVariable';
import { spansFromFrame } from '../../../shared/traces/spansFrame';
import type { TraceSpan } from '../../../shared/traces/types';
import {
  type Answer,
  outsideRequestsReason,
  shortRequestsReason,
  spansWithoutSamplesReason,
  tracesNotStoredReason,
} from '../domain/measureReasons';
import { rankReasons } from '../domain/reasons';
import { readDurationBuckets, shortRequestShare } from '../domain/shortRequests';
import { TRACE_ID_SAMPLE_SIZE } from '../domain/traceIdSample';
import {
  pickSpans,
  SETTLE_MS,
  SPAN_SAMPLE_SIZE,
  type SpanSampleResult,
  spansWithoutSamples,
} from '../domain/spanSamples';
import {
  buildCoverageQueryRunner,
  buildDurationBucketsQueryRunner,
  buildRecentSpansQueryRunner,
  buildSpanSamplesQueryRunner,
  recentSpansQuery,
} from '../infrastructure/buildCoverageQueryRunners';
import { ReasonsList } from './ReasonsList';
import { TraceIdCheck, useTraceIdCheck } from './TraceIdCheck';

/**
 * Rows of unlinked functions asked of the backend, which ranks them by what they explain. The page
 * leaves out the runtime's and the standard library's (often a hundred or more, wholly unlinked: GC,
 * the scheduler) before it shows any, so it asks for many more than it shows first.
 */
const FUNCTIONS_ASKED = 300;

interface ServiceReasonsState extends SceneObjectState {
  service: string;
  coverage: SceneQueryRunner;
  buckets?: SceneQueryRunner;
  spans?: SceneQueryRunner;
  samples?: SceneQueryRunner;
  traceIdCheck?: TraceIdCheck;
}

/** What a runner's data says so far, read through `read` once it is done. */
export function answerOf<T>(data: PanelData | undefined, read: (frames: DataFrame[]) => T): Answer<T> {
  if (!data || data.state === LoadingState.Loading || data.state === LoadingState.NotStarted) {
    return { state: 'loading' };
  }
  const errors = data.errors ?? [];
  if (data.state === LoadingState.Error && errors.length > 0 && data.series.length === 0) {
    return { state: 'error', message: errors.map((e) => e.message).join(' ') };
  }
  return { state: 'done', value: read(data.series) };
}

/**
 * One service's reasons for missing trace links. The coverage query is the object's data; the
 * duration buckets, the recent spans and their Parca lookups are runners it activates itself,
 * the last one built once the spans are known (its queries name them).
 */
export class ServiceReasons extends SceneObjectBase<ServiceReasonsState> {
  static Component = ServiceReasonsRenderer;

  constructor(
    readonly settings: AppSettings,
    service: string
  ) {
    const scope = { serviceLabel: settings.serviceLabel, service };
    super({
      service,
      coverage: buildCoverageQueryRunner({
        parcaUid: settings.parcaDatasourceUid,
        ...scope,
        functions: FUNCTIONS_ASKED,
      }),
      buckets: settings.prometheusDatasourceUid
        ? buildDurationBucketsQueryRunner({ prometheusUid: settings.prometheusDatasourceUid, ...scope })
        : undefined,
      spans: settings.traceDatasourceUid ? buildRecentSpansQueryRunner(service) : undefined,
      traceIdCheck: settings.traceDatasourceUid
        ? new TraceIdCheck({ parcaUid: settings.parcaDatasourceUid, ...scope })
        : undefined,
    });
    this.addActivationHandler(() => this.onActivate());
  }

  private onActivate() {
    const deactivations: Array<() => void> = [this.state.coverage.activate()];
    if (this.state.buckets) {
      deactivations.push(this.state.buckets.activate());
    }
    if (this.state.traceIdCheck) {
      deactivations.push(this.state.traceIdCheck.activate());
    }
    const spans = this.state.spans;
    let samplesDeactivate: (() => void) | undefined;
    if (spans) {
      const timeRange = sceneGraph.getTimeRange(this);
      const setWindow = () => {
        // Spans that ended within SETTLE_MS of the range's end may not have their samples in Parca yet.
        const { from, to } = timeRange.state.value;
        const endMs = Math.max(from.valueOf() + 1, to.valueOf() - SETTLE_MS);
        spans.setState({ queries: [recentSpansQuery(this.state.service, { startMs: from.valueOf(), endMs })] });
      };
      setWindow();
      deactivations.push(spans.activate());
      this._subs.add(timeRange.subscribeToState(() => (setWindow(), spans.runQueries())));
      let lookedUp = '';
      this._subs.add(
        spans.subscribeToState((state) => {
          if (state.data?.state !== LoadingState.Done) {
            return;
          }
          const picked = pickSpans(spansFromFrame(state.data.series[0]));
          const key = picked.map((s) => s.spanId).join(',');
          if (key === lookedUp) {
            return;
          }
          lookedUp = key;
          samplesDeactivate?.();
          const samples = buildSpanSamplesQueryRunner({ parcaUid: this.settings.parcaDatasourceUid, spans: picked });
          this.setState({ samples });
          samplesDeactivate = picked.length > 0 ? samples.activate() : undefined;
        })
      );
    }
    return () => {
      samplesDeactivate?.();
      deactivations.forEach((d) => d());
    };
  }
}

/** The span lookups' progress: the spans' search first, then Parca's answers for the picked spans. */
function spanLookupAnswer(
  spansData: PanelData | undefined,
  picked: TraceSpan[],
  samplesData: PanelData | undefined
): Answer<SpanSampleResult> {
  const search = answerOf(spansData, () => picked);
  if (search.state !== 'done') {
    return search;
  }
  if (picked.length === 0) {
    return { state: 'done', value: spansWithoutSamples([], []) };
  }
  if (!samplesData || samplesData.state === LoadingState.Loading || samplesData.state === LoadingState.NotStarted) {
    return { state: 'loading' };
  }
  // Failed lookups are counted per span (spansWithoutSamples), not as the whole reason failing.
  return { state: 'done', value: spansWithoutSamples(picked, samplesData.series, samplesData.errors) };
}

function useRunnerData(runner: SceneQueryRunner | undefined): PanelData | undefined {
  const fallback = useMemo(() => new SceneQueryRunner({ queries: [] }), []);
  return (runner ?? fallback).useState().data;
}

function ServiceReasonsRenderer({ model }: SceneComponentProps<ServiceReasons>) {
  const styles = useStyles2(getStyles);
  const { service, coverage, buckets, spans, samples, traceIdCheck } = model.useState();
  const coverageData = useRunnerData(coverage);
  const bucketsData = useRunnerData(buckets);
  const spansData = useRunnerData(spans);
  const samplesData = useRunnerData(samples);
  const { answer: notStored, windowMs } = useTraceIdCheck(traceIdCheck, 'the trace store');
  const { from, to } = sceneGraph.getTimeRange(model).useState();
  const profileType = sceneGraph.interpolate(model, `$${PROFILE_TYPE_VARIABLE}`);
  const hz = samplingHzFor(model.settings, profileType);

  const coverageAnswer = answerOf(coverageData, (frames) => readCoverage(frames));
  const picked = useMemo(() => pickSpans(spansFromFrame(spansData?.series[0])), [spansData]);
  const reasons = rankReasons([
    outsideRequestsReason(coverageAnswer),
    shortRequestsReason(
      buckets
        ? answerOf(bucketsData, (frames) => (hz ? shortRequestShare(readDurationBuckets(frames), 1 / hz) : undefined))
        : 'no-prometheus',
      hz
    ),
    spansWithoutSamplesReason(
      spans ? spanLookupAnswer(spansData, picked, samplesData) : 'no-trace-store',
      SPAN_SAMPLE_SIZE
    ),
    tracesNotStoredReason(notStored, { size: TRACE_ID_SAMPLE_SIZE, windowMs }),
  ]);
  const reading =
    coverageAnswer.state === 'done' && coverageAnswer.value.kind === 'coverage' ? coverageAnswer.value : undefined;
  const spanResult = spans ? spanLookupAnswer(spansData, picked, samplesData) : undefined;

  return (
    <div className={styles.reasons} data-testid="coverage-service-reasons" data-service={service}>
      <ReasonsList
        reasons={reasons}
        service={service}
        range={{ from, to }}
        profileType={profileType}
        topFunctions={reading?.topFunctions ?? []}
        unlinkedTotal={reading?.overall.unlinked}
        unit={reading?.unit ?? 'ns'}
        spansWithoutSamples={spanResult?.state === 'done' ? spanResult.value.withoutSamples : []}
        tracesNotStored={notStored !== 'no-trace-store' && notStored.state === 'done' ? notStored.value : undefined}
      />
      {reading?.stacks && (
        <div id="unlinked-stacks">
          <CoverageStacks stacks={reading.stacks} />
        </div>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  reasons: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
});
