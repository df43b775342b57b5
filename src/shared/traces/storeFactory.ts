/**
 * Picks the TraceStore for the trace datasource chosen in the app's settings, by the datasource's
 * type (tempo or jaeger), looked up by uid in Grafana's DataSourceSrv.
 */
import { getDataSourceSrv } from '@grafana/runtime';

import type { AppSettings } from '../appSettings';
import { JaegerStore } from './jaegerStore';
import type { ProxyTarget } from './proxyFetch';
import { TempoStore } from './tempoStore';
import { type TraceStore, TraceStoreError } from './types';

export interface TraceStoreOptions {
  timeoutMs?: number;
}

export function traceStoreFor(
  settings: Pick<AppSettings, 'traceDatasourceUid'>,
  options: TraceStoreOptions = {}
): TraceStore {
  const uid = settings.traceDatasourceUid;
  if (!uid) {
    throw new TraceStoreError(
      'not-configured',
      "No trace datasource is chosen: pick a Tempo or Jaeger datasource on the Spanflame app's configuration page."
    );
  }
  const ds = getDataSourceSrv().getInstanceSettings({ uid });
  if (!ds) {
    throw new TraceStoreError(
      'not-configured',
      `The trace datasource "${uid}" chosen in the Spanflame app's settings does not exist: pick another on the app's configuration page, or provision it.`
    );
  }
  const target: Omit<ProxyTarget, 'storeName'> = { uid: ds.uid, timeoutMs: options.timeoutMs };
  switch (ds.type) {
    case 'tempo':
      return new TempoStore({ ...target, storeName: 'Tempo' });
    case 'jaeger':
      return new JaegerStore({ ...target, storeName: 'Jaeger' });
    default:
      throw new TraceStoreError(
        'not-configured',
        `The trace datasource "${ds.name}" is of type "${ds.type}": Spanflame reads traces from Tempo or Jaeger datasources only. Pick one on the app's configuration page.`
      );
  }
}
