import pluginJson from './plugin.json';

export const PLUGIN_ID = pluginJson.id;
export const PLUGIN_BASE_URL = `/a/${pluginJson.id}`;

export enum ROUTES {
  Home = 'home',
  FlameGraph = 'flame-graph',
}

/** The uid provisioning gives the Parca datasource (provisioning/datasources/spanflame.yaml). */
export const PROVISIONED_PARCA_UID = 'spanflame-parca';
