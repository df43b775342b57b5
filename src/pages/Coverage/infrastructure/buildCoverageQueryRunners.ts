import { dateTime } from '@grafana/data';
import { SceneQueryRunner, SceneTimeRangeTransformerBase, type SceneTimeRangeState } from '@grafana/scenes';

import { QueryType } from '../../../datasource/types';
import { PROFILE_TYPE_VARIABLE } from '../../../shared/parca/profileTypeVariable';
import { requestsByDurationBucketOverRange } from '../../../shared/promql/redQueries';
import {
  TRACES_RUNTIME_DS_TYPE,
  TRACES_RUNTIME_DS_UID,
  type TraceQuery,
  type TraceSpan,
} from '../../../shared/traces/types';
import { SPAN_SAMPLE_SIZE, spanRefId } from '../domain/spanSamples';
import { type SampledTraceId, TRACE_ID_SAMPLE_SIZE, traceIdWindow, traceRefId } from '../domain/traceIdSample';

const PROFILE_TYPE = `$${PROFILE_TYPE_VARIABLE}`;

/** `{service_name="checkout"}`, quoted so that no service name can end the string. */
export function serviceSelector(serviceLabel: string, service?: string): string {
  return service === undefined ? '{}' : `{${serviceLabel}=${JSON.stringify(service)}}`;
}

/**
 * The Parca datasource's `coverage` query: linked and unlinked CPU per service (a series frame each,
 * the share, the top unlinked functions and their stacks). For one service, `service` narrows it.
 */
export function buildCoverageQueryRunner(p: {
  parcaUid: string;
  serviceLabel: string;
  service?: string;
  /** Rows of the top unlinked functions; the page filters them, so one service's query asks for more. */
  functions?: number;
}) {
  return new SceneQueryRunner({
    datasource: { uid: p.parcaUid },
    maxDataPoints: 60,
    queries: [
      {
        refId: 'coverage',
        queryType: 'coverage',
        profileType: PROFILE_TYPE,
        labelSelector: serviceSelector(p.serviceLabel, p.service),
        groupBy: [p.serviceLabel],
        limit: p.functions ?? 10,
        nodeTrimThreshold: 1,
      },
    ],
  });
}

/** One service's requests per duration bucket over the whole range (Beyla's histograms; an instant query). */
export function buildDurationBucketsQueryRunner(p: { prometheusUid: string; serviceLabel: string; service: string }) {
  return new SceneQueryRunner({
    datasource: { uid: p.prometheusUid, type: 'prometheus' },
    queries: [
      {
        refId: 'buckets',
        expr: requestsByDurationBucketOverRange({ serviceLabel: p.serviceLabel, service: p.service }),
        legendFormat: '{{le}}',
        instant: true,
        range: false,
        format: 'time_series',
      },
    ],
  });
}

const TRACES = { uid: TRACES_RUNTIME_DS_UID, type: TRACES_RUNTIME_DS_TYPE };

/** A service's recent server spans from the trace store, at most SPAN_SAMPLE_SIZE; the window is set by setSpanWindow. */
export function buildRecentSpansQueryRunner(service: string): SceneQueryRunner {
  return new SceneQueryRunner({ datasource: TRACES, queries: [recentSpansQuery(service)] });
}

export function recentSpansQuery(service: string, window?: { startMs: number; endMs: number }): TraceQuery {
  return { refId: 'spans', kind: 'search', service, spanKind: 'server', limit: SPAN_SAMPLE_SIZE, ...window };
}

/**
 * One Parca `metrics` query per span, filtered by its trace and span id (the backend's traceId /
 * spanId filter): a span whose answer has no sample is one Parca holds nothing for.
 */
export function buildSpanSamplesQueryRunner(p: { parcaUid: string; spans: TraceSpan[] }): SceneQueryRunner {
  return new SceneQueryRunner({
    datasource: { uid: p.parcaUid },
    maxDataPoints: 10,
    queries: p.spans.map((span, i) => ({
      refId: spanRefId(i),
      queryType: 'metrics',
      profileType: PROFILE_TYPE,
      labelSelector: '{}',
      traceId: span.traceId,
      spanId: span.spanId,
    })),
  });
}

/**
 * The time range of the trace-id sample: the last minutes of the page's range (traceIdWindow),
 * following it as it changes. A transformer of the page's range rather than a SceneTimeRange of
 * its own, so that it never writes a second from/to into the URL.
 */
export class TraceIdWindowRange extends SceneTimeRangeTransformerBase<SceneTimeRangeState> {
  constructor() {
    super(absoluteRange({ fromMs: 0, toMs: 1 })); // replaced on activation, from the page's range
  }

  protected ancestorTimeRangeChanged({ value, timeZone }: SceneTimeRangeState) {
    this.setState({ ...absoluteRange(traceIdWindow(value.from.valueOf(), value.to.valueOf())), timeZone });
  }
}

/**
 * The backend's bounded `traceIds` query: the service's trace ids carrying the most CPU in the
 * last minutes of the page's range (TraceIdWindowRange), at most TRACE_ID_SAMPLE_SIZE.
 */
export function buildTraceIdsQueryRunner(p: { parcaUid: string; serviceLabel: string; service: string }) {
  return new SceneQueryRunner({
    datasource: { uid: p.parcaUid },
    $timeRange: new TraceIdWindowRange(),
    queries: [
      {
        refId: 'traceIds',
        queryType: QueryType.TraceIds,
        profileType: PROFILE_TYPE,
        labelSelector: serviceSelector(p.serviceLabel, p.service),
        limit: TRACE_ID_SAMPLE_SIZE,
      },
    ],
  });
}

/** A time range's state for a fixed window, epoch milliseconds. */
function absoluteRange({ fromMs, toMs }: { fromMs: number; toMs: number }) {
  const from = dateTime(fromMs);
  const to = dateTime(toMs);
  return { from: from.toISOString(), to: to.toISOString(), value: { from, to, raw: { from, to } } };
}

/** One trace-store lookup per sampled trace id (traceRefId(i)); a trace the store lacks answers "not found". */
export function buildTraceLookupsQueryRunner(traceIds: SampledTraceId[]): SceneQueryRunner {
  return new SceneQueryRunner({
    datasource: TRACES,
    queries: traceIds.map((t, i): TraceQuery => ({ refId: traceRefId(i), kind: 'trace', traceId: t.traceId })),
  });
}
