import type { DataQuery, DataSourceJsonData } from '@grafana/schema';

/**
 * The kinds of question the datasource answers. The Go backend has the same set
 * (pkg: QueryType constants); a Go test fails when the two differ.
 */
export enum QueryType {
  Profile = 'profile',
  Metrics = 'metrics',
  Table = 'table',
  Diff = 'diff',
  Coverage = 'coverage',
}

/** What a diff query compares the query range against. */
export interface DiffBaseline {
  mode: 'offset' | 'range' | 'selector';
  /** Grafana duration such as "1h", for mode "offset". */
  offset?: string;
  /** RFC 3339 or epoch milliseconds, for mode "range". */
  from?: string;
  to?: string;
  /** Another label selector over the same range, for mode "selector". */
  labelSelector?: string;
}

/** One query as the editors build it and the backend reads it (JSON keys are the contract). */
export interface ParcaQuery extends DataQuery {
  queryType?: QueryType;
  /** Parca profile type, e.g. "process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta". */
  profileType?: string;
  /** Label selector such as `{service_name="checkout"}`; empty selects everything. */
  labelSelector?: string;
  /** 32 hex characters: keep only samples taken under this trace. */
  traceId?: string;
  /** 16 hex characters: keep only samples taken under this span. */
  spanId?: string;
  functionFilter?: string;
  binaryFilter?: string;
  filenameFilter?: string;
  groupBy?: string[];
  /** Drop flame graph nodes below this percent of the total (server-side). */
  nodeTrimThreshold?: number;
  /** Rows of the top-functions table. */
  limit?: number;
  baseline?: DiffBaseline;
}

export const DEFAULT_QUERY: Partial<ParcaQuery> = {
  queryType: QueryType.Profile,
  labelSelector: '{}',
};

/** Datasource settings kept in jsonData (never secrets). */
export interface ParcaOptions extends DataSourceJsonData {
  /** Request timeout in seconds. */
  timeoutSeconds?: number;
  /** The profile label that names a service; traces' service.name maps onto it. */
  serviceLabel?: string;
}
