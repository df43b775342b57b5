/**
 * Panel plugins of a dashboard: the nested panels of the built plugin, loaded from dist/ by
 * SystemJS as Grafana loads them, with option defaults filled in from the plugin's own option
 * builders (Grafana does the same when it opens a panel).
 * Not done: option migrations (onPanelMigration), standard field config defaults, library panels.
 */
import {
  type FieldConfigSource,
  type PanelPlugin,
  type PanelPluginMeta,
  PluginType,
  standardEditorsRegistry,
} from '@grafana/data';
import { config } from '@grafana/runtime';
import { merge } from 'lodash';

import { importPluginModule } from '../pluginLoader';

/** The built panel plugin with this id, or undefined if it is not one of the plugin's panels. */
export function panelMeta(type: string): PanelPluginMeta | undefined {
  const meta = (config.panels as Record<string, PanelPluginMeta | undefined>)[type];
  return meta && meta.type === PluginType.panel ? meta : undefined;
}

/** Imports the panel's module.js (once per id: panels/index.ts caches it) and returns its `plugin` export. */
export async function loadPanelPlugin(meta: PanelPluginMeta): Promise<PanelPlugin> {
  const exports = await importPluginModule<{ plugin?: PanelPlugin }>(meta.module);
  if (!exports.plugin || typeof exports.plugin.setPanelOptions !== 'function') {
    throw new Error(`${meta.module} does not export a PanelPlugin named "plugin"`);
  }
  exports.plugin.meta = meta;
  return exports.plugin;
}

/**
 * The option builders (addBooleanSwitch, addRadio, ...) look their editor components up in
 * @grafana/data's standardEditorsRegistry, which Grafana fills at boot with its own editors (part
 * of Grafana, not of any npm package). The host has no panel editor, so each id gets a stand-in
 * that renders nothing: the builders run and yield the plugin's defaults.
 */
const OPTION_EDITOR_IDS = [
  'boolean',
  'color',
  'dashboard-uid',
  'field-name',
  'multi-select',
  'number',
  'radio',
  'select',
  'slider',
  'strings',
  'text',
  'timezone',
  'unit',
];
let editorsRegistered = false;
function registerOptionEditorStandIns() {
  if (!editorsRegistered) {
    editorsRegistered = true;
    standardEditorsRegistry.setInit(() =>
      OPTION_EDITOR_IDS.map((id) => ({ id, name: id, description: 'preview host stand-in', editor: () => null }))
    );
  }
}

/**
 * The panel's options over the plugin's defaults (what its option builders declare). Field config
 * defaults of Grafana's standard options are not applied: their registry is Grafana's own.
 */
export function optionsWithDefaults(plugin: PanelPlugin, options: object | undefined): Record<string, unknown> {
  registerOptionEditorStandIns();
  return merge<Record<string, unknown>, object, object>({}, plugin.defaults, options ?? {});
}

export function fieldConfigOf(fieldConfig: FieldConfigSource | undefined): FieldConfigSource {
  return { defaults: fieldConfig?.defaults ?? {}, overrides: fieldConfig?.overrides ?? [] };
}
