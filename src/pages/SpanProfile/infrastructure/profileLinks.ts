/**
 * Where the shown profile goes next: downloaded as pprof from the backend's resource, or opened in
 * Grafana's Explore with the same query and window.
 */
import { type DataFrame, serializeStateToUrlParam, urlUtil } from '@grafana/data';

import { flameGraphFrame } from '../../../components/FlameGraph/scene';
import type { PlannedQuery } from '../domain/profileQueries';
import { PARCA_DS_TYPE } from './queryRunners';

/**
 * The backend's pprof resource for a planned query (GET reads profileType, labelSelector, traceId,
 * spanId, from, to in epoch ms). Grafana routes datasource resources under
 * /api/datasources/uid/<uid>/resources.
 *
 * TODO(fe-foundations): use the datasource class's pprof URL method once it has one.
 */
export function pprofUrl(datasourceUid: string, planned: PlannedQuery, appSubUrl = ''): string | undefined {
  const { query, window } = planned;
  if (!query.profileType) {
    return undefined;
  }
  const params: Record<string, string> = {
    profileType: query.profileType,
    labelSelector: query.labelSelector ?? '{}',
    from: String(window.fromMs),
    to: String(window.toMs),
  };
  if (query.traceId) {
    params.traceId = query.traceId;
  }
  if (query.spanId) {
    params.spanId = query.spanId;
  }
  return `${appSubUrl}/api/datasources/uid/${encodeURIComponent(datasourceUid)}/resources/pprof?${new URLSearchParams(params)}`;
}

/** Grafana's Explore with the planned Parca query over its exact window (epoch ms keep the milliseconds). */
export function exploreUrl(datasourceUid: string, planned: PlannedQuery, appSubUrl = ''): string {
  const datasource = { uid: datasourceUid, type: PARCA_DS_TYPE };
  const pane = {
    datasource: datasourceUid,
    queries: [{ ...planned.query, refId: 'A', datasource }],
    range: { from: String(planned.window.fromMs), to: String(planned.window.toMs) },
  };
  return urlUtil.renderUrl(`${appSubUrl}/explore`, {
    schemaVersion: 1,
    panes: JSON.stringify({ spanflame: JSON.parse(serializeStateToUrlParam(pane)) }),
  });
}

/**
 * The total of a profile answer: the root node's value, 0 for an empty profile (the backend answers
 * an empty frame with a notice when nothing matched), undefined when there is no profile frame at all.
 */
export function profileTotal(frames: DataFrame[] | undefined): number | undefined {
  const frame = flameGraphFrame(frames ?? []) ?? frames?.find((f) => f.fields.some((field) => field.name === 'value'));
  if (!frame) {
    return undefined;
  }
  const value = frame.fields.find((f) => f.name === 'value')?.values[0];
  return frame.length > 0 && typeof value === 'number' ? value : 0;
}
