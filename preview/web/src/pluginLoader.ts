/**
 * Loads built plugin modules the way Grafana does: SystemJS with its AMD extra executes the
 * webpack AMD bundle, and an import map points each external at a module the host registered.
 */
import 'systemjs/dist/system.js';
import 'systemjs/dist/extras/amd.js';
import type { AppPlugin, DataSourceApi, DataSourcePlugin } from '@grafana/data';

/** A datasource plugin of any kind: the host only renders its components. */
export type AnyDataSourcePlugin = DataSourcePlugin<DataSourceApi>;

import { SHARED_DEPENDENCIES } from './shared';

interface SystemJSLoader {
  set(id: string, module: object): void;
  addImportMap(map: { imports: Record<string, string> }): void;
  import<T = unknown>(id: string): Promise<T>;
}

declare global {
  interface Window {
    System: SystemJSLoader;
  }
}

const SHARED_PREFIX = 'grafana-shared:';
let registered = false;

/**
 * Registers the shared packages. Each gets `__esModule: true` with its default export under
 * `default`, the shape webpack's own namespace objects have: webpack's interop in the plugin then
 * takes `default` for default imports (moment(), lodash's _) and named members for the rest.
 */
export function registerSharedDependencies(): void {
  if (registered) {
    return;
  }
  registered = true;
  const imports: Record<string, string> = {};
  for (const [name, namespace] of Object.entries(SHARED_DEPENDENCIES)) {
    const url = SHARED_PREFIX + name;
    imports[name] = url;
    window.System.set(url, { ...namespace, __esModule: true });
  }
  window.System.addImportMap({ imports });
}

/** Explains the usual reasons a built module fails to load. */
function explainLoadError(path: string, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const bare = /Unable to resolve bare specifier '([^']+)'/.exec(message);
  if (bare) {
    return new Error(
      `${path} imports "${bare[1]}", which Grafana does not share with plugins: bundle it into the plugin ` +
        `or remove it from the webpack externals. (${message})`
    );
  }
  return new Error(`Loading ${path} failed: ${message}`);
}

export async function importPluginModule<T>(path: string): Promise<T> {
  registerSharedDependencies();
  try {
    return await window.System.import<T>(`/${path.replace(/^\//, '')}`);
  } catch (error) {
    throw explainLoadError(path, error);
  }
}

/** Imports a datasource module.js and returns its `plugin` export. */
export async function loadDataSourcePlugin(modulePath: string): Promise<AnyDataSourcePlugin> {
  const exports = await importPluginModule<{ plugin?: AnyDataSourcePlugin }>(modulePath);
  if (!exports.plugin || typeof exports.plugin.DataSourceClass !== 'function') {
    throw new Error(`${modulePath} does not export a DataSourcePlugin named "plugin"`);
  }
  return exports.plugin;
}

/** Imports an app module.js and returns its `plugin` export. */
export async function loadAppPlugin(modulePath: string): Promise<AppPlugin> {
  const exports = await importPluginModule<{ plugin?: AppPlugin }>(modulePath);
  if (!exports.plugin || typeof exports.plugin.setRootPage !== 'function') {
    throw new Error(`${modulePath} does not export an AppPlugin named "plugin"`);
  }
  return exports.plugin;
}
