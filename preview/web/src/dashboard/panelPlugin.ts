/**
 * Panel plugins of a dashboard: the nested panels of the built plugin, loaded from dist/ by
 * SystemJS as Grafana loads them, with option defaults filled in from the plugin's own option
 * builders (Grafana does the same when it opens a panel).
 * Not done: option migrations (onPanelMigration), plugin version changes, library panels.
 */
import { type FieldConfigSource, type PanelPlugin, type PanelPluginMeta, PluginType } from '@grafana/data';
import { config } from '@grafana/runtime';
import { merge } from 'lodash';

import { importPluginModule } from '../pluginLoader';

const loaded = new Map<string, Promise<PanelPlugin>>();

/** The built panel plugin with this id, or undefined if it is not one of the plugin's panels. */
export function panelMeta(type: string): PanelPluginMeta | undefined {
  const meta = (config.panels as Record<string, PanelPluginMeta | undefined>)[type];
  return meta && meta.type === PluginType.panel ? meta : undefined;
}

export function loadPanelPlugin(meta: PanelPluginMeta): Promise<PanelPlugin> {
  let plugin = loaded.get(meta.id);
  if (!plugin) {
    plugin = importPluginModule<{ plugin?: PanelPlugin }>(meta.module).then((exports) => {
      if (!exports.plugin || typeof exports.plugin.setPanelOptions !== 'function') {
        throw new Error(`${meta.module} does not export a PanelPlugin named "plugin"`);
      }
      exports.plugin.meta = meta;
      return exports.plugin;
    });
    loaded.set(meta.id, plugin);
  }
  return plugin;
}

/** The panel's options over the plugin's defaults (what its option builders declare). */
export function optionsWithDefaults(plugin: PanelPlugin, options: object | undefined): Record<string, unknown> {
  return merge<Record<string, unknown>, object, object>({}, plugin.defaults, options ?? {});
}

/** The panel's field config over the plugin's standard option defaults (thresholds, say). */
export function fieldConfigWithDefaults(
  plugin: PanelPlugin,
  fieldConfig: FieldConfigSource | undefined
): FieldConfigSource {
  const defaults = plugin.fieldConfigDefaults;
  return {
    defaults: merge({}, defaults.defaults, fieldConfig?.defaults ?? {}),
    overrides: fieldConfig?.overrides ?? defaults.overrides,
  };
}
