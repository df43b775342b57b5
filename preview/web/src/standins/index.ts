/** The stand-in front ends of Grafana's core datasources, by the type Grafana gives them. */
import type { DataSourceApi, DataSourceInstanceSettings } from '@grafana/data';

import { MIXED_SETTINGS, MIXED_UID, MixedStandIn } from './mixed';
import { PrometheusStandIn } from './prometheus';
import { JaegerStandIn, TempoStandIn } from './traceStores';

const STAND_INS: Record<string, new (settings: DataSourceInstanceSettings) => DataSourceApi> = {
  prometheus: PrometheusStandIn as unknown as new (settings: DataSourceInstanceSettings) => DataSourceApi,
  tempo: TempoStandIn,
  jaeger: JaegerStandIn,
  mixed: MixedStandIn,
};

/** Grafana's built-in datasources, which its boot data does not list but any scene may name by uid. */
export function builtInDataSource(key: string): DataSourceInstanceSettings | undefined {
  return key === MIXED_UID || key === MIXED_SETTINGS.type ? MIXED_SETTINGS : undefined;
}

/** Grafana names a core plugin's module "core:plugin/<id>". */
export const CORE_MODULE_PREFIX = 'core:plugin/';

export function createStandIn(settings: DataSourceInstanceSettings): DataSourceApi {
  const StandIn = STAND_INS[settings.type];
  if (!StandIn) {
    throw new Error(`The preview host has no stand-in for Grafana's core datasource "${settings.type}".`);
  }
  const instance = new StandIn(settings);
  instance.meta = settings.meta;
  return instance;
}
