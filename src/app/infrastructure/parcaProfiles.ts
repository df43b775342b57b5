import { CoreApp, type DataFrame, type DataQueryRequest, type DataQueryResponse, type TimeRange } from '@grafana/data';
import { config, getDataSourceSrv } from '@grafana/runtime';
import { type Observable } from 'rxjs';

import type { ParcaDataSource, ServiceList } from '../../datasource/datasource';
import { type ParcaQuery, type ProfileTypeInfo, QueryType } from '../../datasource/types';
import { PROVISIONED_PARCA_UID } from '../../constants';

/** The app's way to Parca: the provisioned Spanflame Parca datasource, through Grafana. */
export interface ProfileSource {
  profileTypes(range: TimeRange): Promise<ProfileTypeInfo[]>;
  services(profileType: string, range: TimeRange): Promise<ServiceList>;
  /** The merged flame graph frame of the selector over the range; unsubscribe to cancel. */
  flameGraph(query: { profileType: string; labelSelector: string }, range: TimeRange): Observable<DataQueryResponse>;
}

let requestCounter = 0;

/** A Grafana query request for one Spanflame Parca query, as a panel would send it. */
export function profileRequest(query: ParcaQuery, range: TimeRange): DataQueryRequest<ParcaQuery> {
  requestCounter += 1;
  return {
    app: CoreApp.Unknown,
    requestId: `spanflame-app-${requestCounter}`,
    interval: '15s',
    intervalMs: 15_000,
    range,
    scopedVars: {},
    targets: [query],
    timezone: 'browser',
    startTime: Date.now(),
  };
}

/** The provisioned datasource; fails with a message that says what to set up when it is missing. */
export async function openProfileSource(uid = PROVISIONED_PARCA_UID): Promise<ProfileSource> {
  let ds: ParcaDataSource;
  try {
    ds = (await getDataSourceSrv().get({ uid })) as ParcaDataSource;
  } catch (err) {
    throw new Error(
      `The Spanflame Parca datasource (uid "${uid}") is not set up: provision it (provisioning/datasources) or add it under Connections. (${String(err)})`
    );
  }
  return {
    profileTypes: (range) => ds.getProfileTypes(range),
    services: (profileType, range) => ds.getServices(profileType, range),
    flameGraph: ({ profileType, labelSelector }, range) =>
      ds.query(
        profileRequest({ refId: 'flamegraph', queryType: QueryType.Profile, profileType, labelSelector }, range)
      ) as Observable<DataQueryResponse>,
  };
}

/** The flame graph frame of a profile answer (the datasource may add notice-only frames). */
export function flameGraphFrame(frames: DataFrame[]): DataFrame | undefined {
  return frames.find((f) => f.meta?.preferredVisualisationType === 'flamegraph') ?? frames.find((f) => f.length > 0);
}

/**
 * Where the backend's pprof resource serves the merged profile of a view as a .pb.gz, for `go tool
 * pprof` and friends (Grafana routes datasource resources under /api/datasources/uid/<uid>/resources).
 */
export function pprofDownloadUrl(
  query: { profileType: string; labelSelector: string },
  range: TimeRange,
  uid = PROVISIONED_PARCA_UID,
  appSubUrl = config.appSubUrl ?? ''
): string {
  const params = new URLSearchParams({
    profileType: query.profileType,
    labelSelector: query.labelSelector,
    from: String(range.from.valueOf()),
    to: String(range.to.valueOf()),
  });
  return `${appSubUrl}/api/datasources/uid/${encodeURIComponent(uid)}/resources/pprof?${params}`;
}
