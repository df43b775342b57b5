import type { DataSourceApi, TimeRange } from '@grafana/data';

import type { ParcaOptions, ParcaQuery, ProfileTypeInfo } from './types';

/** The services Parca holds profiles for: values of the service label (or `job`, its fallback). */
export interface ServiceList {
  /** The label that names services, as the datasource settings say (or `job`). */
  label: string;
  values: string[];
}

/** Options for listing label names or values. */
export interface LabelLookup {
  profileType: string;
  range?: TimeRange;
  /** Narrows the answer to series matching this selector. */
  labelSelector?: string;
}

/** A merged profile over a range, as the pprof download names it. */
export interface PprofRequest {
  profileType: string;
  labelSelector: string;
  range: TimeRange;
}

/**
 * What the query editors and the app ask a Spanflame Parca datasource besides queries: the
 * backend's lookup resources, and where its pprof download is. The concrete ParcaDataSource
 * implements it; the editors depend on this interface only, so they and the datasource do not
 * import each other.
 */
export interface ParcaLookups {
  readonly uid: string;
  /** Profile types Parca holds, in the time range when one is given. */
  getProfileTypes(range?: TimeRange): Promise<ProfileTypeInfo[]>;
  getLabelNames(lookup: LabelLookup): Promise<string[]>;
  getLabelValues(labelName: string, lookup: LabelLookup): Promise<string[]>;
  /** Services with profiles of this type in the range. */
  getServices(profileType: string, range?: TimeRange): Promise<ServiceList>;
  /** Dashboard variables, offered as `$name` beside the server's names and values. */
  getVariableOptions(): string[];
  /** Where the browser downloads the merged profile of a view as a .pb.gz. */
  pprofDownloadUrl(request: PprofRequest): string;
}

/** What the query editors are handed: a Parca datasource as Grafana's API and its lookups, nothing concrete. */
export type ParcaDataSourceApi = DataSourceApi<ParcaQuery, ParcaOptions> & ParcaLookups;
