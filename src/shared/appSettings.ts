/**
 * The app's settings: what the user picks on the app's config page, stored in the app plugin's
 * jsonData (and provisioned in provisioning/plugins/app.yaml). Every page reads them through
 * `resolveAppSettings`, so a missing or bad value is caught in one place and explained in one way.
 *
 * This file is a contract between the config page, the pages, provisioning and the tests: change the
 * keys here and in provisioning/plugins/app.yaml together.
 */

/** Fixed uids the provisioning gives the datasources (provisioning/datasources/). */
export const PROVISIONED_UIDS = {
  parca: 'spanflame-parca',
  prometheus: 'spanflame-prometheus',
  tempo: 'spanflame-tempo',
  jaeger: 'spanflame-jaeger',
} as const;

/** Datasource plugin types the config page's pickers offer. */
export const DATASOURCE_TYPES = {
  parca: ['spanflame-parca-datasource'],
  traces: ['tempo', 'jaeger'],
  prometheus: ['prometheus'],
} as const;

/** What is stored in the app's jsonData. Every key is optional: defaults fill the gaps. */
export interface AppJsonData {
  /** uid of a Spanflame Parca datasource. */
  parcaDatasourceUid?: string;
  /** uid of a Tempo or Jaeger datasource; optional (pages that need traces say so when unset). */
  traceDatasourceUid?: string;
  /** uid of a Prometheus datasource holding Beyla (or OTel-named) RED metrics; optional. */
  prometheusDatasourceUid?: string;
  /** The profile label (and Prometheus label) that names a service. */
  serviceLabel?: string;
  /**
   * CPU sampling frequency in Hz, keyed by profile name (the part of a Parca profile type id before
   * the first colon, e.g. `parca_agent` or `process_cpu`). Used to judge whether a span is long
   * enough to hold samples, and to turn sample counts into CPU time.
   */
  samplingHz?: Record<string, number>;
}

export const DEFAULT_SERVICE_LABEL = 'service_name';

/** parca-agent samples at 19 Hz; Go's runtime/pprof at 100 Hz. */
export const DEFAULT_SAMPLING_HZ: Readonly<Record<string, number>> = {
  parca_agent: 19,
  process_cpu: 100,
};

/** Settings with defaults applied, plus every problem found in them, each a sentence saying what to fix. */
export interface AppSettings {
  parcaDatasourceUid: string;
  traceDatasourceUid?: string;
  prometheusDatasourceUid?: string;
  serviceLabel: string;
  samplingHz: Record<string, number>;
  problems: string[];
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Applies defaults and checks values; never throws: bad values become `problems` and are replaced by defaults. */
export function resolveAppSettings(jsonData: AppJsonData | undefined | null): AppSettings {
  const data = jsonData ?? {};
  const problems: string[] = [];

  let serviceLabel = (data.serviceLabel ?? '').trim() || DEFAULT_SERVICE_LABEL;
  if (!LABEL_NAME.test(serviceLabel)) {
    problems.push(
      `The service label "${serviceLabel}" is not a valid label name (letters, digits and _, not starting with a digit); using "${DEFAULT_SERVICE_LABEL}".`
    );
    serviceLabel = DEFAULT_SERVICE_LABEL;
  }

  const samplingHz: Record<string, number> = { ...DEFAULT_SAMPLING_HZ };
  for (const [profile, hz] of Object.entries(data.samplingHz ?? {})) {
    if (typeof hz !== 'number' || !Number.isFinite(hz) || hz <= 0) {
      problems.push(
        `The sampling frequency for "${profile}" profiles is ${String(hz)}: it must be a number of Hz above 0; using ${
          DEFAULT_SAMPLING_HZ[profile] ?? 'none'
        }.`
      );
      continue;
    }
    samplingHz[profile] = hz;
  }

  return {
    parcaDatasourceUid: data.parcaDatasourceUid?.trim() || PROVISIONED_UIDS.parca,
    traceDatasourceUid: data.traceDatasourceUid?.trim() || undefined,
    prometheusDatasourceUid: data.prometheusDatasourceUid?.trim() || undefined,
    serviceLabel,
    samplingHz,
    problems,
  };
}

/**
 * The sampling frequency that applies to a Parca profile type id such as
 * `parca_agent:samples:count:cpu:nanoseconds:delta`, or undefined when the settings have none for it.
 */
export function samplingHzFor(settings: Pick<AppSettings, 'samplingHz'>, profileTypeId: string): number | undefined {
  const name = profileTypeId.split(':')[0];
  return settings.samplingHz[name];
}
