import type { CoverageResult } from '../../../panels/coverage/domain/readCoverage';
import { countOf, formatShare, type Reason, type ReasonId } from './reasons';
import type { SpanSampleResult } from './spanSamples';
import type { ShortRequestShare } from './shortRequests';
import type { TracesNotStoredResult } from './traceIdSample';
import { rankUnlinkedFunctions } from './unlinkedFunctions';

/** A query's progress as the page sees it: still running, failed with a message, or answered. */
export type Answer<T> =
  { state: 'loading'; progress?: string } | { state: 'error'; message: string } | { state: 'done'; value: T };

function notAnswered(id: Reason['id'], answer: Answer<unknown>): Reason | undefined {
  if (answer.state === 'loading') {
    return { id, state: 'loading', detail: answer.progress ?? 'Measuring…' };
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
  const top = rankUnlinkedFunctions(result.topFunctions)[0] ?? result.topFunctions[0];
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

/** A bounded sample's lookups: how many were answered, how many failed, and the first failure. */
interface SampleLookups {
  checked: number;
  failed: number;
  firstError?: string;
}

/**
 * A reason measured on a bounded sample checked against a trace store: unavailable without one,
 * empty without anything to check, else the share of the checked items `counted` picks.
 */
function sampleReason<T extends SampleLookups>(
  id: ReasonId,
  answer: Answer<T> | 'no-trace-store',
  words: {
    noStore: string;
    asked: string;
    empty: string;
    population: string;
    counted: (r: T) => number;
    measured: (r: T, counted: number) => string;
  }
): Reason {
  if (answer === 'no-trace-store') {
    return { id, state: 'unavailable', needsSetting: true, detail: words.noStore };
  }
  const early = notAnswered(id, answer);
  if (early || answer.state !== 'done') {
    return early!;
  }
  const r = answer.value;
  if (r.checked === 0) {
    return {
      id,
      state: r.failed > 0 ? 'unavailable' : 'empty',
      detail: r.failed > 0 ? `${words.asked} could not be asked: ${r.firstError}` : words.empty,
    };
  }
  const counted = words.counted(r);
  return {
    id,
    state: 'measured',
    share: (100 * counted) / r.checked,
    population: words.population,
    detail: words.measured(r, counted) + (r.failed > 0 ? `; ${r.failed} lookups failed: ${r.firstError}` : '.'),
  };
}

/** Spans the trace store holds that have no sample in Parca. */
export function spansWithoutSamplesReason(
  answer: Answer<SpanSampleResult> | 'no-trace-store',
  sampleSize: number
): Reason {
  return sampleReason('spans-without-samples', answer, {
    noStore: "Spans come from the trace store: choose a Tempo or Jaeger datasource in the app's settings.",
    asked: 'Parca',
    empty: 'The trace store holds no server spans of this service in the range.',
    population: 'of the sampled spans',
    counted: (r) => r.withoutSamples.length,
    measured: (r, counted) =>
      `${countOf(counted, r.checked)} recent server spans have no profile sample ` +
      `(${r.checked} Parca queries, one per span, at most ${sampleSize})`,
  });
}

const minutes = (ms: number) => (ms >= 90_000 ? `${Math.round(ms / 60_000)} minutes` : `${Math.round(ms / 1000)} s`);

/** Trace ids Parca holds whose traces the store never received: sampling or export gaps. */
export function tracesNotStoredReason(
  answer: Answer<TracesNotStoredResult> | 'no-trace-store',
  sample: { size: number; windowMs: number },
  storeName = 'the trace store'
): Reason {
  return sampleReason('traces-not-stored', answer, {
    noStore: "Traces are looked up in a trace store: choose a Tempo or Jaeger datasource in the app's settings.",
    asked: storeName,
    empty: `Parca holds no samples with a trace id for this service in the range's last ${minutes(sample.windowMs)}.`,
    population: 'of the sampled trace ids',
    counted: (r) => r.missing.length,
    measured: (r, counted) =>
      `${countOf(counted, r.checked)} trace ids are missing from ${storeName}: Parca's ${r.checked} ` +
      `carrying the most CPU, of ${r.inWindow} in the range's last ${minutes(sample.windowMs)} ` +
      `(at most ${sample.size} looked up, one call each)`,
  });
}
