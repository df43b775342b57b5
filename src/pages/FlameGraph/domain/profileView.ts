import { formatSelector } from '../../../datasource/selector';
import type { ProfileTypeInfo } from '../../../datasource/types';

/** What the flame graph page shows: one profile type of one service (or of all) over the time range. */
export interface ProfileView {
  profileType?: string;
  /** A value of the service label; undefined means every service. */
  service?: string;
}

/**
 * The selector of a view: the service label matched exactly (quotes and backslashes escaped), or
 * everything; with a trace id, only that trace's samples (for the pprof download, which takes a selector).
 */
export function viewSelector(serviceLabel: string, service: string | undefined, traceId?: string): string {
  const matchers = [
    ...(service ? [{ name: serviceLabel, operator: '=' as const, value: service }] : []),
    ...(traceId ? [{ name: 'trace_id', operator: '=' as const, value: traceId }] : []),
  ];
  return matchers.length > 0 ? formatSelector(matchers) : '{}';
}

/**
 * The profile type to show when the URL names none, or names one this Parca does not hold:
 * on-CPU time first (what "where does the time go" means to most people), then whatever there is.
 */
export function defaultProfileType(types: ProfileTypeInfo[], wanted?: string): string | undefined {
  if (wanted && types.some((t) => t.id === wanted)) {
    return wanted;
  }
  const cpu =
    types.find((t) => t.sampleType === 'cpu' && t.sampleUnit === 'nanoseconds' && t.delta) ??
    types.find((t) => /cpu/i.test(t.name) || /cpu/i.test(t.sampleType));
  return (cpu ?? types[0])?.id;
}
