import { SceneQueryRunner } from '@grafana/scenes';

import { PROFILE_TYPE_VARIABLE } from '../../../shared/parca/profileTypeVariable';
import { requestsByDurationBucketOverRange } from '../../../shared/promql/redQueries';
import {
  TRACES_RUNTIME_DS_TYPE,
  TRACES_RUNTIME_DS_UID,
  type TraceQuery,
  type TraceSpan,
} from '../../../shared/traces/types';
import { SPAN_SAMPLE_SIZE, spanRefId } from '../domain/spanSamples';

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
