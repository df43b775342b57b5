/**
 * The @grafana/runtime services a datasource plugin calls, implemented minimally over the preview
 * host's HTTP API: BackendSrv (fetch with Grafana's response and error shapes), DataSourceSrv
 * (instances from boot data, built by the plugin's own DataSourceClass) and TemplateSrv
 * (variables from the URL, `?var-service=checkout`, as dashboards pass them).
 */
import {
  DataSourceApi,
  DataSourceInstanceSettings,
  EventBusSrv,
  DataSourceRef,
  ScopedVars,
  TypedVariableModel,
} from '@grafana/data';
import {
  BackendSrv,
  BackendSrvRequest,
  config,
  DataSourceSrv,
  FetchError,
  FetchResponse,
  GetDataSourceListFilters,
  setAppEvents,
  setBackendSrv,
  setDataSourceSrv,
  setTemplateSrv,
  TemplateSrv,
} from '@grafana/runtime';
import { sceneGraph, type SceneObject } from '@grafana/scenes';
import { lastValueFrom, Observable } from 'rxjs';

import { loadDataSourcePlugin } from './pluginLoader';
import { builtInDataSource, CORE_MODULE_PREFIX, createStandIn } from './standins';

// ---------------------------------------------------------------------------------------------
// BackendSrv

function buildURL(url: string, params?: BackendSrvRequest['params']): string {
  if (!params || (typeof params === 'object' && Object.keys(params).length === 0)) {
    return url;
  }
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params as Record<string, unknown>)) {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (v !== undefined && v !== null) {
        search.append(key, String(v));
      }
    }
  }
  const query = search.toString();
  return query ? `${url}${url.includes('?') ? '&' : '?'}${query}` : url;
}

const inFlight = new Map<string, AbortController>();

class PreviewBackendSrv implements BackendSrv {
  fetch<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
    return new Observable<FetchResponse<T>>((subscriber) => {
      // Like Grafana, a new request with the same requestId cancels the previous one.
      if (options.requestId) {
        inFlight.get(options.requestId)?.abort();
      }
      const controller = new AbortController();
      if (options.requestId) {
        inFlight.set(options.requestId, controller);
      }
      const method = (options.method ?? 'GET').toUpperCase();
      const headers: Record<string, string> = { Accept: 'application/json', ...(options.headers ?? {}) };
      let body: BodyInit | undefined;
      if (options.data !== undefined && method !== 'GET') {
        if (typeof options.data === 'string' || options.data instanceof FormData || options.data instanceof Blob) {
          body = options.data;
        } else {
          body = JSON.stringify(options.data);
          headers['Content-Type'] = headers['Content-Type'] ?? 'application/json';
        }
      }
      const url = buildURL(options.url, options.params);
      fetch(url, { method, headers, body, signal: controller.signal, credentials: 'same-origin' })
        .then(async (res) => {
          const text = await res.text();
          let data: unknown = text;
          if ((res.headers.get('Content-Type') ?? '').includes('json') && text !== '') {
            try {
              data = JSON.parse(text);
            } catch {
              data = text;
            }
          }
          const response: FetchResponse<T> = {
            data: data as T,
            status: res.status,
            statusText: res.statusText,
            ok: res.ok,
            headers: res.headers,
            redirected: res.redirected,
            type: res.type,
            url: res.url,
            config: options,
          };
          if (!res.ok) {
            const error: FetchError = {
              status: res.status,
              statusText: res.statusText,
              data: typeof data === 'object' && data !== null ? data : { message: String(data || res.statusText) },
              config: options,
            };
            subscriber.error(error);
            return;
          }
          subscriber.next(response);
          subscriber.complete();
        })
        .catch((err: unknown) => {
          if (controller.signal.aborted) {
            subscriber.complete();
            return;
          }
          const error: FetchError = {
            status: 0,
            statusText: 'Network error',
            data: { message: `Network error: ${err instanceof Error ? err.message : String(err)}` },
            config: options,
          };
          subscriber.error(error);
        })
        .finally(() => {
          if (options.requestId && inFlight.get(options.requestId) === controller) {
            inFlight.delete(options.requestId);
          }
        });
      return () => controller.abort();
    });
  }

  async request<T>(options: BackendSrvRequest): Promise<T> {
    return (await lastValueFrom(this.fetch<T>(options))).data;
  }

  datasourceRequest<T>(options: BackendSrvRequest): Promise<FetchResponse<T>> {
    return lastValueFrom(this.fetch<T>(options));
  }

  get<T>(url: string, params?: BackendSrvRequest['params'], requestId?: string, options?: Partial<BackendSrvRequest>) {
    return this.request<T>({ ...options, url, params, requestId, method: 'GET' });
  }
  delete<T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) {
    return this.request<T>({ ...options, url, data, method: 'DELETE' });
  }
  post<T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) {
    return this.request<T>({ ...options, url, data, method: 'POST' });
  }
  patch<T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) {
    return this.request<T>({ ...options, url, data, method: 'PATCH' });
  }
  put<T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) {
    return this.request<T>({ ...options, url, data, method: 'PUT' });
  }
  chunked(): Observable<FetchResponse<Uint8Array | undefined>> {
    throw new Error('chunked requests are not part of the preview host');
  }
}

// ---------------------------------------------------------------------------------------------
// DataSourceSrv

interface BootDataSource {
  id: number;
  uid: string;
  type: string;
  name: string;
  meta: DataSourceInstanceSettings['meta'];
  url: string;
  jsonData: DataSourceInstanceSettings['jsonData'];
  access: 'proxy' | 'direct';
  readOnly: boolean;
  isDefault: boolean;
}

function bootDataSources(): BootDataSource[] {
  return Object.values(config.datasources as unknown as Record<string, BootDataSource>);
}

class PreviewDataSourceSrv implements DataSourceSrv {
  private instances = new Map<string, Promise<DataSourceApi>>();

  /** Grafana's list, narrowed as pickers ask: by plugin type(s), plugin id, or a filter function. */
  getList(filters: GetDataSourceListFilters = {}): DataSourceInstanceSettings[] {
    const types = filters.type === undefined ? undefined : [filters.type].flat();
    return bootDataSources()
      .map((ds) => this.toInstanceSettings(ds))
      .filter(
        (ds) =>
          (!types || types.includes(ds.type)) &&
          (!filters.pluginId || ds.type === filters.pluginId) &&
          (!filters.filter || filters.filter(ds))
      );
  }

  getInstanceSettings(ref?: DataSourceRef | string | null): DataSourceInstanceSettings | undefined {
    const key = typeof ref === 'string' ? ref : ref?.uid;
    const builtIn = key ? builtInDataSource(key) : undefined;
    if (builtIn) {
      return builtIn;
    }
    const all = bootDataSources();
    const found = key
      ? all.find((ds) => ds.uid === key || ds.name === key)
      : (all.find((ds) => ds.isDefault) ?? all[0]);
    return found && this.toInstanceSettings(found);
  }

  get(ref?: DataSourceRef | string | null): Promise<DataSourceApi> {
    const settings = this.getInstanceSettings(ref);
    if (!settings) {
      return Promise.reject(new Error(`Datasource ${JSON.stringify(ref)} was not found`));
    }
    let instance = this.instances.get(settings.uid);
    if (!instance) {
      instance = this.create(settings);
      this.instances.set(settings.uid, instance);
      instance.catch(() => this.instances.delete(settings.uid));
    }
    return instance;
  }

  /** After a save, Grafana reloads its settings and builds new instances from them. */
  async reload(): Promise<void> {
    const settings = await getBackendSrv().get<{ datasources: typeof config.datasources }>('/api/frontend/settings');
    config.datasources = settings.datasources;
    this.instances.clear();
  }

  registerRuntimeDataSource(): void {
    throw new Error('runtime datasources are not part of the preview host');
  }

  private async create(settings: DataSourceInstanceSettings): Promise<DataSourceApi> {
    if (settings.meta.module.startsWith(CORE_MODULE_PREFIX)) {
      return createStandIn(settings);
    }
    const plugin = await loadDataSourcePlugin(settings.meta.module);
    // Grafana's order: meta on the plugin, then the instance from the plugin's own class.
    plugin.meta = settings.meta;
    const instance = new plugin.DataSourceClass(settings);
    instance.components = plugin.components;
    instance.meta = settings.meta;
    return instance;
  }

  private toInstanceSettings(ds: BootDataSource): DataSourceInstanceSettings {
    return {
      id: ds.id,
      uid: ds.uid,
      type: ds.type,
      name: ds.name,
      meta: ds.meta,
      url: ds.url,
      jsonData: ds.jsonData ?? {},
      access: ds.access,
      readOnly: ds.readOnly,
      isDefault: ds.isDefault,
    };
  }
}

function getBackendSrv(): BackendSrv {
  return backendSrv;
}

// ---------------------------------------------------------------------------------------------
// TemplateSrv

/** Grafana's variable syntaxes: $name, [[name:format]], ${name:format}. */
const VARIABLE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:}]+))?(?::([^}]+))?\}/g;

function formatValues(values: string[], format?: string): string {
  if (values.length === 1 && format !== 'regex') {
    return values[0];
  }
  switch (format) {
    case 'csv':
    case 'raw':
      return values.join(',');
    case 'pipe':
      return values.join('|');
    case 'regex':
      return values.length === 1
        ? values[0].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        : `(${values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`;
    default:
      return `{${values.join(',')}}`;
  }
}

/**
 * The scene object a SceneQueryRunner passes in `scopedVars.__sceneObject` (wrapped, or not, by the plugin's
 * own copy of Scenes; `valueOf()` unwraps both).
 */
function sceneObjectOf(scopedVars?: ScopedVars): SceneObject | undefined {
  const wrapped: unknown = scopedVars?.__sceneObject?.value;
  return wrapped ? (wrapped.valueOf() as SceneObject) : undefined;
}

class PreviewTemplateSrv implements TemplateSrv {
  private values = new Map<string, string[]>();
  /** A dashboard variable's "All" value, used as it is (never regex-escaped), as Grafana does. */
  private allValues = new Map<string, string>();

  /** The dashboard page's variables that include All: what `$__all` in the URL stands for. */
  setAllValues(allValues: Map<string, string>): void {
    this.allValues = allValues;
  }

  constructor(search: string) {
    for (const [key, value] of new URLSearchParams(search)) {
      if (key.startsWith('var-')) {
        const name = key.slice(4);
        this.values.set(name, [...(this.values.get(name) ?? []), value]);
      }
    }
  }

  getVariables(): TypedVariableModel[] {
    return [...this.values.entries()].map(
      ([name, values]) =>
        ({
          type: 'custom',
          name,
          label: name,
          multi: values.length > 1,
          current: { text: values, value: values.length > 1 ? values : values[0] },
          options: values.map((v) => ({ text: v, value: v, selected: true })),
        }) as unknown as TypedVariableModel
    );
  }

  replace(target?: string, scopedVars?: ScopedVars, format?: string | Function): string {
    if (!target) {
      return target ?? '';
    }
    // As Grafana does: a query from a scene is interpolated with the scene's variables (Scenes' own
    // interpolation, walking up from the runner), not the URL's.
    const sceneObject = sceneObjectOf(scopedVars);
    if (sceneObject) {
      return sceneGraph.interpolate(
        sceneObject,
        target,
        scopedVars,
        format as Parameters<typeof sceneGraph.interpolate>[3]
      );
    }
    return target.replace(VARIABLE, (match, plain, bracket, bracketFormat, braced, _field, bracedFormat) => {
      const name: string = plain ?? bracket ?? braced;
      const scoped = scopedVars?.[name];
      const values = scoped ? [String(scoped.value)] : this.values.get(name);
      if (!values) {
        return match;
      }
      const all = this.allValues.get(name);
      if (all !== undefined && values.length === 1 && values[0] === '$__all') {
        return all;
      }
      const chosen = bracketFormat ?? bracedFormat ?? (typeof format === 'string' ? format : undefined);
      return typeof format === 'function'
        ? String(format(values.length > 1 ? values : values[0]))
        : formatValues(values, chosen);
    });
  }

  containsTemplate(target?: string): boolean {
    if (!target) {
      return false;
    }
    VARIABLE.lastIndex = 0;
    return [...target.matchAll(VARIABLE)].some((m) => this.values.has(m[1] ?? m[2] ?? m[4]));
  }

  updateTimeRange(): void {}
}

// ---------------------------------------------------------------------------------------------

const backendSrv = new PreviewBackendSrv();
export const dataSourceSrv = new PreviewDataSourceSrv();
export const templateSrv = new PreviewTemplateSrv(window.location.search);

/** Installs the services before any plugin code runs. */
export function installRuntimeServices(): void {
  setBackendSrv(backendSrv);
  // Grafana's app-wide event bus: panels without a sync scope (a VizPanel's context) hover and listen on it.
  setAppEvents(new EventBusSrv());
  setDataSourceSrv(dataSourceSrv);
  setTemplateSrv(templateSrv);
}

export { backendSrv };
