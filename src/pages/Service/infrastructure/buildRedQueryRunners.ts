import { map } from 'rxjs';
import type { DataFrame } from '@grafana/data';
import { SceneDataTransformer, SceneQueryRunner } from '@grafana/scenes';

import { serviceUrl } from '../../../shared/appUrls';
import { withGrpcStatusNames } from '../../../shared/promql/grpcStatusNames';

import {
  durationQuantile,
  errorsByStatus,
  latencyBuckets,
  legendOf,
  rateByRoute,
  type RedScope,
} from '../../../shared/promql/redQueries';
import { bandLinkTitle, withBandLinks } from '../domain/latencyBands';

function runner(
  prometheusUid: string,
  queries: Array<{ refId: string; expr: string; legendFormat: string; format?: string }>
) {
  return new SceneQueryRunner({
    datasource: { uid: prometheusUid, type: 'prometheus' },
    queries: queries.map((q) => ({ ...q, range: true })),
  });
}

/** Requests per second of one service, a series per HTTP route or gRPC method. */
export function buildRateByRouteQueryRunner(prometheusUid: string, scope: RedScope): SceneQueryRunner {
  return runner(prometheusUid, [
    { refId: 'rate', expr: rateByRoute(scope), legendFormat: legendOf((f) => f.routeLabel) },
  ]);
}

/**
 * Failed requests per second of one service, a series per status code (HTTP 5xx, gRPC not OK); gRPC statuses
 * by name in both generations of Beyla's metrics.
 */
export function buildErrorsByStatusData(prometheusUid: string, scope: RedScope): SceneDataTransformer {
  return new SceneDataTransformer({
    $data: runner(prometheusUid, [
      { refId: 'errors', expr: errorsByStatus(scope), legendFormat: legendOf((f) => f.statusLabel) },
    ]),
    transformations: [() => (source) => source.pipe(map(withGrpcStatusNames))],
  });
}

/** p50, p95 and p99 request duration of one service. */
export function buildDurationQueryRunner(prometheusUid: string, scope: RedScope): SceneQueryRunner {
  return runner(
    prometheusUid,
    [0.5, 0.95, 0.99].map((q) => ({
      refId: `p${Math.round(q * 100)}`,
      expr: durationQuantile(q, scope),
      legendFormat: `p${Math.round(q * 100)}`,
    }))
  );
}

/**
 * Requests per second per duration bucket, in Prometheus' heatmap format (buckets sorted and de-accumulated),
 * each bucket linking to the service's Slow spans tab with its duration band over the panel's time range.
 */
export function buildLatencyHeatmapData(prometheusUid: string, scope: RedScope & { service: string }) {
  const buckets = runner(prometheusUid, [
    { refId: 'heatmap', expr: latencyBuckets(scope), legendFormat: '{{le}}', format: 'heatmap' },
  ]);
  return new SceneDataTransformer({
    $data: buckets,
    transformations: [
      () => (source) =>
        source.pipe(
          map((frames: DataFrame[]) =>
            withBandLinks(frames, (band) => ({
              title: bandLinkTitle(band),
              // Grafana fills in the panel's range (a data link macro, in Grafana and in Scenes).
              url: `${serviceUrl({ service: scope.service, tab: 'slow-spans', ...band })}&\${__url_time_range}`,
            }))
          )
        ),
    ],
  });
}
