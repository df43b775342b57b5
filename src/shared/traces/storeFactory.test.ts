import type { DataSourceInstanceSettings } from '@grafana/data';
import { type DataSourceSrv, setDataSourceSrv } from '@grafana/runtime';

import { JaegerStore } from './jaegerStore';
import { traceStoreFor } from './storeFactory';
import { TempoStore } from './tempoStore';
import { TraceStoreError } from './types';

function installDataSources(list: Array<Pick<DataSourceInstanceSettings, 'uid' | 'type' | 'name'>>) {
  setDataSourceSrv({
    getInstanceSettings: (ref: { uid?: string } | string | null | undefined) =>
      list.find((ds) => ds.uid === (typeof ref === 'string' ? ref : ref?.uid)) as
        DataSourceInstanceSettings | undefined,
  } as unknown as DataSourceSrv);
}

describe('traceStoreFor', () => {
  beforeEach(() =>
    installDataSources([
      { uid: 'spanflame-tempo', type: 'tempo', name: 'Tempo' },
      { uid: 'spanflame-jaeger', type: 'jaeger', name: 'Jaeger' },
      { uid: 'loki', type: 'loki', name: 'Logs' },
    ])
  );

  it("picks the implementation by the datasource's type", () => {
    expect(traceStoreFor({ traceDatasourceUid: 'spanflame-tempo' })).toBeInstanceOf(TempoStore);
    expect(traceStoreFor({ traceDatasourceUid: 'spanflame-jaeger' })).toBeInstanceOf(JaegerStore);
  });

  it.each([
    [undefined, /No trace datasource is chosen/],
    ['gone', /"gone" chosen in the Spanflame app's settings does not exist/],
    ['loki', /"Logs" is of type "loki": Spanflame reads traces from Tempo or Jaeger/],
  ])('explains a setting it cannot use (%s)', (uid, message) => {
    let caught: unknown;
    try {
      traceStoreFor({ traceDatasourceUid: uid });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(TraceStoreError);
    expect((caught as TraceStoreError).kind).toBe('not-configured');
    expect((caught as TraceStoreError).message).toMatch(message);
  });
});
