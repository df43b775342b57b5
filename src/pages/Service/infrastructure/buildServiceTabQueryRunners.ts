/**
 * The query runners of the service page's Profile, Slow spans and Why slow tabs: the Parca
 * datasource for profiles, the `spanflame-traces` runtime datasource for spans. Scenes runs them
 * on activation and on every range change or refresh, and cancels what is in flight.
 */
import { SceneQueryRunner } from '@grafana/scenes';

import { formatSelector } from '../../../datasource/selector';
import { type ParcaQuery, QueryType } from '../../../datasource/types';
import { DATASOURCE_TYPES } from '../../../shared/appSettings';
import { TRACES_RUNTIME_DS_TYPE, TRACES_RUNTIME_DS_UID, type TraceQuery } from '../../../shared/traces/types';
import { type DurationBand, SLOW_SPANS_SEARCH_LIMIT } from '../domain/slowSpans';
import { WHY_SLOW_SEARCH_LIMIT } from '../domain/whySlow';

const TRACES_DS = { uid: TRACES_RUNTIME_DS_UID, type: TRACES_RUNTIME_DS_TYPE };

function parcaRunner(parcaUid: string, query: ParcaQuery, prefix: string): SceneQueryRunner {
  const datasource = { uid: parcaUid, type: DATASOURCE_TYPES.parca[0] };
  return new SceneQueryRunner({ datasource, queries: [{ ...query, datasource }], requestIdPrefix: prefix });
}

/** The service's merged profile over the page range: its samples by the service label. */
export function buildServiceProfileQueryRunner(
  parcaUid: string,
  p: { profileType: string; serviceLabel: string; service: string }
): SceneQueryRunner {
  return parcaRunner(
    parcaUid,
    {
      refId: 'service-profile',
      queryType: QueryType.Profile,
      profileType: p.profileType,
      labelSelector: formatSelector([{ name: p.serviceLabel, operator: '=', value: p.service }]),
    },
    'spanflame-service-profile-'
  );
}

/** Server spans of the service in the band over the page range (the store's own duration filter). */
export function buildSlowSpansQueryRunner(service: string, band: DurationBand): SceneQueryRunner {
  const query: TraceQuery = {
    refId: 'slow-spans',
    kind: 'search',
    service,
    spanKind: 'server',
    limit: SLOW_SPANS_SEARCH_LIMIT,
    ...(band.minMs !== undefined ? { minDurationMs: band.minMs } : {}),
    ...(band.maxMs !== undefined ? { maxDurationMs: band.maxMs } : {}),
  };
  return new SceneQueryRunner({ datasource: TRACES_DS, queries: [query] });
}

/** Server spans of the service over the page range, of one span name (a route) or of all. */
export function buildRouteSpansQueryRunner(service: string, name?: string): SceneQueryRunner {
  const query: TraceQuery = {
    refId: name ? 'route-spans' : 'service-spans',
    kind: 'search',
    service,
    spanKind: 'server',
    limit: WHY_SLOW_SEARCH_LIMIT,
    ...(name ? { name } : {}),
  };
  return new SceneQueryRunner({ datasource: TRACES_DS, queries: [query] });
}

/** The why-slow diff (whySlowDiffQuery): one query, two Parca merges, however many traces exist. */
export function buildWhySlowDiffQueryRunner(parcaUid: string, query: ParcaQuery): SceneQueryRunner {
  return parcaRunner(parcaUid, query, 'spanflame-why-slow-');
}
