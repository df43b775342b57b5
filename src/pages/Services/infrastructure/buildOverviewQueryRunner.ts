import { SceneQueryRunner } from '@grafana/scenes';

import { PROFILE_TYPE_VARIABLE } from '../../../shared/parca/profileTypeVariable';
import { durationQuantile, errorRatio, requestRate, type RedScope } from '../../../shared/promql/redQueries';
import { OverviewQuery } from '../domain/serviceRows';

/** Grafana's Mixed datasource: each query names its own datasource, so one runner asks Prometheus and Parca. */
const MIXED = { uid: '-- Mixed --' };

/**
 * Every service's request rate, error ratio and p95 duration (Beyla metrics in Prometheus), and its CPU
 * (Parca's `metrics` query summed by the service label), as time series: the overview joins them by service.
 */
export function buildOverviewQueryRunner(p: {
  /** Unset: only Parca's services and CPU are asked for. */
  prometheusUid?: string;
  parcaUid: string;
  serviceLabel: string;
}): SceneQueryRunner {
  const scope: RedScope = { serviceLabel: p.serviceLabel };
  const prometheus = { uid: p.prometheusUid, type: 'prometheus' };
  const legendFormat = `{{${p.serviceLabel}}}`;
  const red = p.prometheusUid
    ? [
        { refId: OverviewQuery.Rate, datasource: prometheus, expr: requestRate(scope), legendFormat, range: true },
        { refId: OverviewQuery.ErrorRatio, datasource: prometheus, expr: errorRatio(scope), legendFormat, range: true },
        {
          refId: OverviewQuery.P95,
          datasource: prometheus,
          expr: durationQuantile(0.95, scope),
          legendFormat,
          range: true,
        },
      ]
    : [];
  return new SceneQueryRunner({
    datasource: MIXED,
    maxDataPoints: 60,
    queries: [
      ...red,
      {
        refId: OverviewQuery.Cpu,
        datasource: { uid: p.parcaUid },
        queryType: 'metrics',
        profileType: `$${PROFILE_TYPE_VARIABLE}`,
        labelSelector: '{}',
        groupBy: [p.serviceLabel],
      },
    ],
  });
}
