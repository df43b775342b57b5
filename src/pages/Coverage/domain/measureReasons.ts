import type { CoverageResult } from '../../../panels/coverage/domain/readCoverage';
import { countOf, formatShare, type Reason } from './reasons';
import type { SpanSampleResult } from './spanSamples';
import type { ShortRequestShare } from './shortRequests';
import { whereToLook } from './whereToLook';

/** A query's progress as the page sees it: still running, failed with a message, or answered. */
export type Answer<T> = { state: 'loading' } | { state: 'error'; message: string } | { state: 'done'; value: T };

function notAnswered(id: Reason['id'], answer: Answer<unknown>): Reason | undefined {
  if (answer.state === 'loading') {
    return { id, state: 'loading', detail: 'Measuring…' };
  }
  if (answer.state === 'error') {
    return { id, state: 'unavailable', detail: answer.message };
  }
  return undefined;
}

/** Unlinked CPU ran outside any request's labels: worker pools, background jobs, hand-offs over channels. */
export function outsideRequestsReason(answer: Answer<CoverageResult>): Reason {
  const early = notAnswered('outside-requests', answer);
  if (early || answer.state !== 'done') {
    return early!;
  }
  const result = answer.value;
  if (result.kind === 'empty') {
    return { id: 'outside-requests', state: 'empty', detail: result.reason };
  }
  if (result.kind === 'wrong-shape') {
    return { id: 'outside-requests', state: 'unavailable', detail: result.message };
  }
  const share = result.overall.share;
  if (share === undefined) {
    return { id: 'outside-requests', state: 'empty', detail: 'No CPU samples of this service in the range.' };
  }
  const top = whereToLook(result.topFunctions, 1)[0] ?? result.topFunctions[0];
  return {
    id: 'outside-requests',
    state: 'measured',
    share,
    population: "of the service's CPU",
    detail:
      `${formatShare(share)} of the CPU samples carry no trace_id label: the code ran outside a request's labels` +
      (top ? `, most of it under ${top.name}.` : '.'),
  };
}

/** Requests shorter than one sampling period: their spans often get no sample at all. */
export function shortRequestsReason(
  answer: Answer<ShortRequestShare | undefined> | 'no-prometheus',
  samplingHz: number | undefined
): Reason {
  if (answer === 'no-prometheus') {
    return {
      id: 'short-requests',
      state: 'unavailable',
      needsSetting: true,
      detail:
        "Request durations come from Beyla's histograms in Prometheus: choose a Prometheus datasource in the app's settings.",
    };
  }
  if (samplingHz === undefined) {
    return {
      id: 'short-requests',
      state: 'unavailable',
      needsSetting: true,
      detail: "The settings have no sampling frequency for this profile type: add it in the app's settings.",
    };
  }
  const early = notAnswered('short-requests', answer);
  if (early || answer.state !== 'done') {
    return early!;
  }
  const short = answer.value;
  if (!short) {
    return {
      id: 'short-requests',
      state: 'empty',
      detail: "Prometheus holds no request duration histogram (Beyla's) for this service in the range.",
    };
  }
  const periodMs = 1000 / samplingHz;
  return {
    id: 'short-requests',
    state: 'measured',
    share: short.share,
    population: "of the service's requests",
    detail:
      `${formatShare(short.share)} of ${Math.round(short.total)} requests took less than ${periodMs.toFixed(1)} ms, ` +
      `one sampling period at ${samplingHz} Hz` +
      (short.interpolated ? ' (interpolated between histogram buckets).' : '.'),
  };
}

/** Spans the trace store holds that have no sample in Parca. */
export function spansWithoutSamplesReason(
  answer: Answer<SpanSampleResult> | 'no-trace-store',
  sampleSize: number
): Reason {
  if (answer === 'no-trace-store') {
    return {
      id: 'spans-without-samples',
      state: 'unavailable',
      needsSetting: true,
      detail: "Spans come from the trace store: choose a Tempo or Jaeger datasource in the app's settings.",
    };
  }
  const early = notAnswered('spans-without-samples', answer);
  if (early || answer.state !== 'done') {
    return early!;
  }
  const r = answer.value;
  if (r.checked === 0) {
    return {
      id: 'spans-without-samples',
      state: r.failed > 0 ? 'unavailable' : 'empty',
      detail:
        r.failed > 0
          ? `Parca could not be asked: ${r.firstError}`
          : 'The trace store holds no server spans of this service in the range.',
    };
  }
  return {
    id: 'spans-without-samples',
    state: 'measured',
    share: (100 * r.withoutSamples.length) / r.checked,
    population: 'of the sampled spans',
    detail:
      `${countOf(r.withoutSamples.length, r.checked)} recent server spans have no profile sample ` +
      `(${r.checked} Parca queries, one per span, at most ${sampleSize})` +
      (r.failed > 0 ? `; ${r.failed} lookups failed: ${r.firstError}` : '.'),
  };
}

/**
 * Trace ids Parca holds whose traces the store never received. Not measured yet: drawing a sample
 * of Parca's trace ids needs their label values, which the Parca datasource refuses to list (one
 * value per request), so the page says so rather than showing a number it cannot back.
 */
export function tracesNotStoredReason(): Reason {
  return {
    id: 'traces-not-stored',
    state: 'unavailable',
    detail:
      'Not measured: the Parca datasource does not list trace_id values (there is one per request), so no sample of ' +
      "Parca's trace ids can be checked against the trace store. A gap here means traces lost to sampling or export.",
  };
}
