import { getDataSourceSrv } from '@grafana/runtime';

import type { ParcaLookups } from '../../datasource/parcaLookups';

/**
 * The Spanflame Parca datasource the settings name, as the lookups the app asks it (profile
 * types, services, labels, the pprof download). Pages check the setting first (datasourceProblem),
 * so a failure here is Grafana's own and is said as it says it.
 */
export async function openParcaLookups(uid: string): Promise<ParcaLookups> {
  return (await getDataSourceSrv().get({ uid })) as unknown as ParcaLookups;
}
