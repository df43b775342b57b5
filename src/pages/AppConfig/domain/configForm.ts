import { type AppJsonData, DEFAULT_SAMPLING_HZ, resolveAppSettings } from '../../../shared/appSettings';

/** One row of the sampling frequency table, as typed (a half-typed number stays what was typed). */
export interface SamplingRow {
  profile: string;
  hz: string;
}

/** The config page's form: the app's jsonData as the inputs hold it. */
export interface ConfigForm {
  parcaDatasourceUid?: string;
  traceDatasourceUid?: string;
  prometheusDatasourceUid?: string;
  serviceLabel: string;
  samplingRows: SamplingRow[];
}

/** The form for stored jsonData: defaults where nothing is stored, stored values (bad ones too) as they are. */
export function formFromJsonData(jsonData: AppJsonData | undefined | null): ConfigForm {
  const data = jsonData ?? {};
  const rates: Record<string, unknown> = { ...DEFAULT_SAMPLING_HZ, ...(data.samplingHz ?? {}) };
  return {
    parcaDatasourceUid: data.parcaDatasourceUid,
    traceDatasourceUid: data.traceDatasourceUid,
    prometheusDatasourceUid: data.prometheusDatasourceUid,
    serviceLabel: data.serviceLabel ?? '',
    samplingRows: Object.entries(rates).map(([profile, hz]) => ({ profile, hz: String(hz) })),
  };
}

/** The jsonData a form saves. A frequency that is not a number is kept as NaN so the checks name it. */
export function jsonDataFromForm(form: ConfigForm): AppJsonData {
  const samplingHz: Record<string, number> = {};
  for (const row of form.samplingRows) {
    const profile = row.profile.trim();
    if (profile) {
      samplingHz[profile] = row.hz.trim() === '' ? NaN : Number(row.hz);
    }
  }
  return {
    parcaDatasourceUid: form.parcaDatasourceUid || undefined,
    traceDatasourceUid: form.traceDatasourceUid || undefined,
    prometheusDatasourceUid: form.prometheusDatasourceUid || undefined,
    serviceLabel: form.serviceLabel.trim() || undefined,
    samplingHz,
  };
}

/** Problems of the values in the form (not of the datasources it names), each saying what to fix. */
export function formProblems(form: ConfigForm): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  form.samplingRows.forEach((row, index) => {
    const profile = row.profile.trim();
    if (!profile) {
      problems.push(
        `Sampling frequency row ${index + 1} has no profile name: type one (e.g. parca_agent) or remove the row.`
      );
    } else if (seen.has(profile)) {
      problems.push(`"${profile}" has two sampling frequency rows: keep one.`);
    }
    seen.add(profile);
  });
  return [...problems, ...resolveAppSettings(jsonDataFromForm(form)).problems];
}
