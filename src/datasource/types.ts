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
  /** The few trace ids carrying the most value in a short range (at most 15 minutes, 50 ids). */
  TraceIds = 'traceIds',
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
  /** Rows of the top-functions table; trace ids of a traceIds query (at most 50). */
  limit?: number;
  baseline?: DiffBaseline;
}

export const DEFAULT_QUERY: Partial<ParcaQuery> = {
  queryType: QueryType.Profile,
  labelSelector: '{}',
};

/** Datasource settings kept in jsonData (never secrets). */
export interface ParcaOptions extends DataSourceJsonData, ParcaHttpJsonData {
  /** Seconds one query may take, all its calls to Parca together. */
  timeoutSeconds?: number;
  /** Calls to Parca running at once (default 4); beyond it a call waits, or is refused as busy before its timeout. */
  maxConcurrentQueries?: number;
  /** The profile label that names a service; traces' service.name maps onto it. */
  serviceLabel?: string;
  authType?: ParcaAuthType;
}

/**
 * Secrets, kept by Grafana in secureJsonData: sent once on save, never returned to the browser
 * (only `secureJsonFields[key] === true`). Basic auth and TLS use Grafana's standard keys, which the
 * SDK's HTTP client options read; the backend (pkg/models/settings.go) adds the bearer token.
 */
export interface ParcaSecureJsonData {
  basicAuthPassword?: string;
  /** Sent as `Authorization: Bearer <token>` when jsonData.authType is "bearer". */
  bearerToken?: string;
  tlsCACert?: string;
  tlsClientCert?: string;
  tlsClientKey?: string;
}

/** Grafana's standard HTTP client settings in jsonData (read by the SDK's HTTPClientOptions). */
export interface ParcaHttpJsonData {
  tlsAuth?: boolean;
  tlsAuthWithCACert?: boolean;
  tlsSkipVerify?: boolean;
  serverName?: string;
}

/** How the backend authenticates to Parca (pkg/models/settings.go); empty infers it from what is saved. */
export type ParcaAuthType = 'none' | 'basic' | 'bearer';

/** One profile type as the backend lists it; `id` is what queries carry in `profileType`. */
export interface ProfileTypeInfo {
  id: string;
  name: string;
  sampleType: string;
  sampleUnit: string;
  periodType: string;
  periodUnit: string;
  delta: boolean;
}

/** What a template variable of this datasource lists. */
export enum VariableQueryType {
  ProfileTypes = 'profileTypes',
  LabelNames = 'labelNames',
  LabelValues = 'labelValues',
}

/** The query a template variable stores (Grafana keeps it in the dashboard JSON). */
export interface ParcaVariableQuery extends DataQuery {
  type: VariableQueryType;
  /** For label names/values: the profile type whose labels to list (may be a variable). */
  profileType?: string;
  /** For label values: the label whose values to list. */
  labelName?: string;
  /** Narrows names/values to series matching this selector (may use variables). */
  labelSelector?: string;
}
