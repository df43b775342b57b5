import {
  CoreApp,
  DataSourceInstanceSettings,
  MetricFindValue,
  ScopedVars,
  TimeRange,
  TypedVariableModel,
} from '@grafana/data';
import { config, DataSourceWithBackend, getTemplateSrv } from '@grafana/runtime';

import type { LabelLookup, ParcaLookups, PprofRequest, ServiceList } from './parcaLookups';

import { parseProfileTypeId } from './profileTypes';
import { isHighCardinalityLabel } from './selector';
import {
  DEFAULT_QUERY,
  ParcaOptions,
  ParcaQuery,
  ParcaVariableQuery,
  ProfileTypeInfo,
  QueryType,
  VariableQueryType,
} from './types';
import { ParcaVariableSupport } from './variables';

/**
 * Resource paths of the Go backend (CallResource, pkg/plugin/resources.go). Each answers JSON;
 * time ranges travel as epoch milliseconds in `from`/`to`.
 */
export const RESOURCE_PATHS = {
  profileTypes: 'profile-types',
  labelNames: 'label-names',
  labelValues: 'label-values',
  services: 'services',
  pprof: 'pprof',
} as const;

export type { LabelLookup, ParcaLookups, ServiceList } from './parcaLookups';

/** Front half of spanflame-parca-datasource: every query goes to the Go backend. */
export class ParcaDataSource extends DataSourceWithBackend<ParcaQuery, ParcaOptions> implements ParcaLookups {
  constructor(instanceSettings: DataSourceInstanceSettings<ParcaOptions>) {
    super(instanceSettings);
    this.variables = new ParcaVariableSupport(this);
  }

  getDefaultQuery(_: CoreApp): Partial<ParcaQuery> {
    return DEFAULT_QUERY;
  }

  applyTemplateVariables(query: ParcaQuery, scopedVars: ScopedVars): ParcaQuery {
    const templateSrv = getTemplateSrv();
    const interpolate = (value?: string) => (value ? templateSrv.replace(value, scopedVars) : value);
    return {
      ...query,
      profileType: interpolate(query.profileType),
      labelSelector: interpolate(query.labelSelector),
      traceId: interpolate(query.traceId),
      spanId: interpolate(query.spanId),
      functionFilter: interpolate(query.functionFilter),
      binaryFilter: interpolate(query.binaryFilter),
      filenameFilter: interpolate(query.filenameFilter),
      groupBy: query.groupBy?.flatMap((g) => templateSrv.replace(g, scopedVars, 'csv').split(',')).filter(Boolean),
      baseline: query.baseline && {
        ...query.baseline,
        labelSelector: interpolate(query.baseline.labelSelector),
      },
    };
  }

  filterQuery(query: ParcaQuery): boolean {
    return !query.hide && Boolean(query.profileType);
  }

  /** Profile types Parca holds, in the time range when one is given. */
  async getProfileTypes(range?: TimeRange): Promise<ProfileTypeInfo[]> {
    const answer = await this.getResource<unknown>(RESOURCE_PATHS.profileTypes, rangeParams(range));
    return toProfileTypes(answer);
  }

  /** Label names of one profile type. */
  async getLabelNames({ profileType, range, labelSelector }: LabelLookup): Promise<string[]> {
    const answer = await this.getResource<unknown>(RESOURCE_PATHS.labelNames, {
      profileType: this.interpolate(profileType),
      labelSelector: this.interpolate(labelSelector ?? ''),
      ...rangeParams(range),
    });
    return toStrings(answer, 'names');
  }

  /**
   * Values of one label. Never asks for trace_id/span_id: there is one value per request, so a
   * list would run to millions; those ids are typed or come from a link.
   */
  async getLabelValues(labelName: string, { profileType, range, labelSelector }: LabelLookup): Promise<string[]> {
    const label = this.interpolate(labelName);
    if (!label || isHighCardinalityLabel(label)) {
      return [];
    }
    const answer = await this.getResource<unknown>(RESOURCE_PATHS.labelValues, {
      profileType: this.interpolate(profileType),
      label,
      labelSelector: this.interpolate(labelSelector ?? ''),
      ...rangeParams(range),
    });
    return toStrings(answer, 'values');
  }

  /** Services with profiles of this type in the range (the label is the configured service label, else job). */
  async getServices(profileType: string, range?: TimeRange): Promise<ServiceList> {
    const answer = await this.getResource<unknown>(RESOURCE_PATHS.services, {
      profileType: this.interpolate(profileType),
      ...rangeParams(range),
    });
    const label = isRecord(answer) && typeof answer.label === 'string' ? answer.label : 'job';
    return { label, values: toStrings(answer, 'values') };
  }

  /**
   * Where the backend's pprof resource serves the merged profile of a view as a .pb.gz, for `go tool
   * pprof` and friends (Grafana routes datasource resources under /api/datasources/uid/<uid>/resources).
   */
  pprofDownloadUrl({ profileType, labelSelector, range }: PprofRequest): string {
    const params = new URLSearchParams({
      profileType: this.interpolate(profileType),
      labelSelector: this.interpolate(labelSelector),
      from: String(range.from.valueOf()),
      to: String(range.to.valueOf()),
    });
    const base = `${config.appSubUrl ?? ''}/api/datasources/uid/${encodeURIComponent(this.uid)}/resources`;
    return `${base}/${RESOURCE_PATHS.pprof}?${params}`;
  }

  /** What a template variable of this datasource lists. */
  async listVariableValues(query: ParcaVariableQuery, range?: TimeRange): Promise<MetricFindValue[]> {
    switch (query.type) {
      case VariableQueryType.ProfileTypes:
        return (await this.getProfileTypes(range)).map((t) => ({ text: t.id, value: t.id }));
      case VariableQueryType.LabelNames:
        if (!query.profileType) {
          return [];
        }
        return (await this.getLabelNames({ profileType: query.profileType, range, labelSelector: query.labelSelector }))
          .filter((name) => !name.startsWith('__'))
          .map((name) => ({ text: name, value: name }));
      case VariableQueryType.LabelValues:
        if (!query.profileType || !query.labelName) {
          return [];
        }
        return (
          await this.getLabelValues(query.labelName, {
            profileType: query.profileType,
            range,
            labelSelector: query.labelSelector,
          })
        ).map((value) => ({ text: value, value }));
      default:
        return [];
    }
  }

  /** Dashboard variables, offered as `$name` beside the server's names and values. */
  getVariableOptions(): string[] {
    return getTemplateSrv()
      .getVariables()
      .map((v: TypedVariableModel) => `$${v.name}`);
  }

  getQueryDisplayText(query: ParcaQuery): string {
    return `${query.queryType ?? QueryType.Profile}: ${query.profileType ?? ''}${query.labelSelector ?? ''}`;
  }

  private interpolate(text: string): string {
    return text ? getTemplateSrv().replace(text) : text;
  }
}

function rangeParams(range?: TimeRange): Record<string, number> {
  return range ? { from: range.from.valueOf(), to: range.to.valueOf() } : {};
}

/** Accepts `[...]` or `{key: [...]}`: the list is what matters. */
function toStrings(answer: unknown, key: string): string[] {
  const list = Array.isArray(answer) ? answer : isRecord(answer) ? answer[key] : undefined;
  return Array.isArray(list) ? list.filter((v): v is string => typeof v === 'string') : [];
}

function toProfileTypes(answer: unknown): ProfileTypeInfo[] {
  const list = Array.isArray(answer) ? answer : isRecord(answer) ? (answer.profileTypes ?? answer.types) : undefined;
  if (!Array.isArray(list)) {
    return [];
  }
  return list.flatMap((item): ProfileTypeInfo[] => {
    const id = typeof item === 'string' ? item : isRecord(item) && typeof item.id === 'string' ? item.id : undefined;
    const parsed = id ? parseProfileTypeId(id) : isRecord(item) ? fromParts(item) : undefined;
    return parsed ? [parsed] : [];
  });
}

function fromParts(item: Record<string, unknown>): ProfileTypeInfo | undefined {
  const parts = ['name', 'sampleType', 'sampleUnit', 'periodType', 'periodUnit'].map((k) => item[k]);
  if (parts.some((p) => typeof p !== 'string' || p === '')) {
    return undefined;
  }
  return parseProfileTypeId([...parts, ...(item.delta ? ['delta'] : [])].join(':'));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
