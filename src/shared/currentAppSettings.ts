/**
 * The one place every page reads the app's settings from. The app's root sets them from the
 * plugin meta Grafana hands it (AppRootProps.meta.jsonData) before any page is built; the
 * datasources they name are checked against Grafana's list here too, so every page explains a
 * bad setting the same way.
 */
import { type AppJsonData, type AppSettings, DATASOURCE_TYPES, resolveAppSettings } from './appSettings';

let current: AppSettings = resolveAppSettings(undefined);

export function setAppJsonData(jsonData: AppJsonData | undefined | null): AppSettings {
  current = resolveAppSettings(jsonData);
  return current;
}

export function getAppSettings(): AppSettings {
  return current;
}

/** Which datasource setting: the keys of DATASOURCE_TYPES. */
export type DatasourceRole = keyof typeof DATASOURCE_TYPES;

const ROLE_NAMES: Record<DatasourceRole, string> = {
  parca: 'Parca datasource',
  traces: 'trace datasource (Tempo or Jaeger)',
  prometheus: 'Prometheus datasource',
};

/** What the checks need of Grafana's datasource list (getDataSourceSrv() satisfies it). */
export interface DatasourceDirectory {
  getInstanceSettings(uid: string): { type: string; name: string } | undefined;
}

/** Why the datasource a setting names cannot serve, as a sentence that says what to fix; undefined when it can. */
export function datasourceProblem(
  role: DatasourceRole,
  uid: string | undefined,
  directory: DatasourceDirectory
): string | undefined {
  const wanted: readonly string[] = DATASOURCE_TYPES[role];
  if (!uid) {
    return `No ${ROLE_NAMES[role]} is set: pick one on the app's settings page.`;
  }
  const found = directory.getInstanceSettings(uid);
  if (!found) {
    return `No datasource has the uid "${uid}" set as the app's ${ROLE_NAMES[role]}: it was deleted or never provisioned. Pick another on the app's settings page.`;
  }
  if (!wanted.includes(found.type)) {
    return `The app's ${ROLE_NAMES[role]} "${found.name}" is a ${found.type} datasource; it must be ${wanted.join(
      ' or '
    )}. Pick another on the app's settings page.`;
  }
  return undefined;
}

/** Every problem of the settings: bad values, and datasources that are set but cannot serve. */
export function settingsProblems(settings: AppSettings, directory: DatasourceDirectory): string[] {
  const problems = [...settings.problems];
  const set: Array<[DatasourceRole, string | undefined]> = [
    ['parca', settings.parcaDatasourceUid],
    ['traces', settings.traceDatasourceUid],
    ['prometheus', settings.prometheusDatasourceUid],
  ];
  for (const [role, uid] of set) {
    // Traces and Prometheus are optional: unset is not a problem until a page needs one.
    const problem = uid ? datasourceProblem(role, uid, directory) : undefined;
    if (problem) {
      problems.push(problem);
    }
  }
  return problems;
}
