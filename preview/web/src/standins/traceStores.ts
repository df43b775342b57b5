/**
 * STAND-INS for Grafana's Tempo and Jaeger datasource front ends (AGPL, part of Grafana). Spanflame
 * reads both through Grafana's datasource proxy, not through these front ends' queries, so the
 * stand-ins only carry the instance settings (uid, type, name) and answer the connection test
 * through the proxy. A panel query through them fails with a sentence saying so.
 */
import {
  type DataQueryRequest,
  type DataQueryResponse,
  DataSourceApi,
  type DataSourceInstanceSettings,
} from '@grafana/data';
import type { DataQuery } from '@grafana/schema';

abstract class TraceStoreStandIn extends DataSourceApi<DataQuery> {
  protected abstract readonly storeName: string;
  /** A cheap call of the store's own API that proves it answers. */
  protected abstract readonly healthPath: string;

  constructor(settings: DataSourceInstanceSettings) {
    super(settings);
  }

  query(_request: DataQueryRequest<DataQuery>): Promise<DataQueryResponse> {
    return Promise.reject(
      new Error(
        `The preview host's ${this.storeName} datasource is a stand-in that runs no panel queries; Spanflame reads ${this.storeName} through the datasource proxy.`
      )
    );
  }

  async testDatasource() {
    const res = await fetch(`/api/datasources/proxy/uid/${encodeURIComponent(this.uid)}${this.healthPath}`);
    if (!res.ok) {
      return {
        status: 'error',
        message: `${this.storeName} answered HTTP ${res.status} through the datasource proxy.`,
      };
    }
    return { status: 'success', message: `${this.storeName} answers through the datasource proxy.` };
  }
}

export class TempoStandIn extends TraceStoreStandIn {
  protected readonly storeName = 'Tempo';
  protected readonly healthPath = '/api/echo';
}

export class JaegerStandIn extends TraceStoreStandIn {
  protected readonly storeName = 'Jaeger';
  protected readonly healthPath = '/api/services';
}
