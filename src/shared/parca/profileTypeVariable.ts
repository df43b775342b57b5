import { QueryVariable } from '@grafana/scenes';
import { VariableRefresh } from '@grafana/schema';

/** The variable's name: its choice is in the URL as var-profileType, and queries read `$profileType`. */
export const PROFILE_TYPE_VARIABLE = 'profileType';

/**
 * The CPU profile types Parca holds in the page's range, from the Parca datasource's `profileTypes`
 * variable query. Listed again when the range changes: a type appears only where profiles of it exist.
 */
export function buildCpuProfileTypeVariable(parcaUid: string): QueryVariable {
  return new QueryVariable({
    name: PROFILE_TYPE_VARIABLE,
    label: 'CPU profile',
    datasource: { uid: parcaUid },
    query: { refId: 'profileTypes', type: 'profileTypes' },
    regex: '/:cpu:/',
    includeAll: false,
    refresh: VariableRefresh.onTimeRangeChanged,
  });
}
