/**
 * Panel plugins as Grafana hands them to Scenes and dashboards: `setPluginImportUtils` from @grafana/runtime
 * gives a VizPanel its plugin by id. The app's nested panels load from dist/ (dashboard/panelPlugin.ts);
 * Grafana's built-in panels that the app's scenes and provisioned dashboards use (time series, table,
 * heatmap) are AGPL parts of Grafana, so the host answers those ids with small stand-ins built on
 * @grafana/ui. Any other id is an error that names it.
 */
import type { PanelPlugin } from '@grafana/data';
import { setPluginImportUtils } from '@grafana/runtime';

import { loadPanelPlugin, panelMeta } from '../dashboard/panelPlugin';
import { heatmapStandIn } from './heatmap';
import { registerStandardOptionStandIns } from './standardOptions';
import { tableStandIn } from './table';
import { timeSeriesStandIn } from './timeseries';

const CORE_STAND_INS: Record<string, () => PanelPlugin> = {
  timeseries: timeSeriesStandIn,
  table: tableStandIn,
  heatmap: heatmapStandIn,
};

/** One import per id, shared by concurrent callers; `loaded` holds those that finished. */
const imports = new Map<string, Promise<PanelPlugin>>();
const loaded = new Map<string, PanelPlugin>();

/** True for the ids of Grafana's built-in panels the host draws with a stand-in. */
export function isCoreStandIn(id: string): boolean {
  return id in CORE_STAND_INS;
}

async function load(id: string): Promise<PanelPlugin> {
  if (isCoreStandIn(id)) {
    return CORE_STAND_INS[id]();
  }
  const meta = panelMeta(id);
  if (!meta) {
    throw new Error(
      `The preview host has no panel plugin "${id}": it draws the app's own panels and stand-ins for ` +
        `Grafana's ${Object.keys(CORE_STAND_INS).join(', ')} panels.`
    );
  }
  return loadPanelPlugin(meta);
}

export function importPanelPlugin(id: string): Promise<PanelPlugin> {
  let plugin = imports.get(id);
  if (!plugin) {
    plugin = load(id).then((loadedPlugin) => {
      loaded.set(id, loadedPlugin);
      return loadedPlugin;
    });
    imports.set(id, plugin);
  }
  return plugin;
}

export function getPanelPluginFromCache(id: string): PanelPlugin | undefined {
  return loaded.get(id);
}

/** Installs the panel plugins before any scene renders (Grafana does it at boot). */
export function installPanelPlugins(): void {
  registerStandardOptionStandIns();
  setPluginImportUtils({ importPanelPlugin, getPanelPluginFromCache });
}
