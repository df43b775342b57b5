import { SceneQueryRunner } from '@grafana/scenes';

import { type ParcaQuery, QueryType } from '../../../datasource/types';
import { DATASOURCE_TYPES } from '../../../shared/appSettings';

/** What the page's flame graph shows: one profile type under one selector, over the scene's range. */
export interface FlameGraphQuery {
  profileType?: string;
  labelSelector: string;
  /** Only the samples of this trace (the backend's traceId filter). */
  traceId?: string;
}

export const FLAME_GRAPH_REF_ID = 'flamegraph';

/** The merged-profile query a flame graph of the view sends to the Spanflame Parca datasource. */
export function flameGraphQuery({ profileType, labelSelector, traceId }: FlameGraphQuery): ParcaQuery {
  return {
    refId: FLAME_GRAPH_REF_ID,
    queryType: QueryType.Profile,
    profileType,
    labelSelector,
    ...(traceId ? { traceId } : {}),
  };
}

/**
 * The page's query runner: Scenes runs it on activation and on every time range change or
 * refresh, cancels what is in flight, and feeds the answer to the SceneFlameGraph.
 */
export function buildFlameGraphQueryRunner(datasourceUid: string, query: FlameGraphQuery): SceneQueryRunner {
  return new SceneQueryRunner({
    datasource: { uid: datasourceUid, type: DATASOURCE_TYPES.parca[0] },
    queries: [flameGraphQuery(query)],
    requestIdPrefix: 'spanflame-flame-graph-',
  });
}

/** Points the runner at a new view; runs it at once when it is running, else on activation. */
export function setFlameGraphQuery(runner: SceneQueryRunner, query: FlameGraphQuery): void {
  const next = flameGraphQuery(query);
  const current = runner.state.queries[0] as ParcaQuery | undefined;
  if (
    current?.profileType === next.profileType &&
    current?.labelSelector === next.labelSelector &&
    current?.traceId === next.traceId
  ) {
    return;
  }
  runner.setState({ queries: [next] });
  if (runner.isActive) {
    runner.runQueries();
  }
}
