/**
 * The trace page's two questions, as Scenes query runners: the trace's spans from the trace store
 * (the `spanflame-traces` runtime datasource, trace-by-id), and ONE Parca query for the CPU of all
 * its spans (a profile of the trace's samples grouped by span_id).
 */
import { SceneQueryRunner, SceneTimeRange } from '@grafana/scenes';

import { type ParcaQuery, QueryType } from '../../../datasource/types';
import type { AppSettings } from '../../../shared/appSettings';
import { TRACES_RUNTIME_DS_TYPE, TRACES_RUNTIME_DS_UID, type TraceQuery } from '../../../shared/traces/types';
import { SPAN_ID_LABEL } from '../domain/traceCpu';

export const PARCA_DS_TYPE = 'spanflame-parca-datasource';

/** Every span of the trace. */
export function buildTraceSpansQueryRunner(traceId: string): SceneQueryRunner {
  const query: TraceQuery = { refId: 'trace', kind: 'trace', traceId };
  return new SceneQueryRunner({
    datasource: { uid: TRACES_RUNTIME_DS_UID, type: TRACES_RUNTIME_DS_TYPE },
    queries: [query],
  });
}

/**
 * The query behind the waterfall: the trace's samples grouped by span_id, every node kept (a
 * trimmed span group would make the bars stop adding up to the trace's total).
 */
export function traceCpuQuery(traceId: string, profileType: string): ParcaQuery {
  return {
    refId: 'trace-cpu',
    queryType: QueryType.Profile,
    profileType,
    labelSelector: '{}',
    traceId,
    groupBy: [SPAN_ID_LABEL],
    nodeTrimThreshold: 0,
  };
}

export function buildTraceCpuQueryRunner(
  settings: Pick<AppSettings, 'parcaDatasourceUid'>,
  traceId: string,
  profileType: string,
  window: { fromMs: number; toMs: number }
): SceneQueryRunner {
  const datasource = { uid: settings.parcaDatasourceUid, type: PARCA_DS_TYPE };
  return new SceneQueryRunner({
    datasource,
    queries: [{ ...traceCpuQuery(traceId, profileType), datasource }],
    $timeRange: new SceneTimeRange({
      from: new Date(window.fromMs).toISOString(),
      to: new Date(window.toMs).toISOString(),
    }),
  });
}
