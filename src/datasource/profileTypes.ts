import type { ComboboxOption } from '@grafana/ui';

import type { ProfileTypeInfo } from './types';

/**
 * Parca names profile types with pprof's raw ids (`process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta`).
 * People recognise "CPU, nanoseconds" under "Go process", so the picker shows these names and keeps
 * the id as the value and in the description.
 */

/** Human names of pprof sample types; anything else is shown as Parca spells it. */
const SAMPLE_TYPE_NAMES: Record<string, string> = {
  cpu: 'CPU',
  samples: 'CPU samples',
  alloc_space: 'Allocated memory',
  alloc_objects: 'Allocated objects',
  inuse_space: 'In-use memory',
  inuse_objects: 'In-use objects',
  goroutine: 'Goroutines',
  goroutines: 'Goroutines',
  contentions: 'Lock contentions',
  delay: 'Lock wait time',
  wall: 'Wall time',
  exception: 'Exceptions',
};

/** Human names of profile families (the first part of the id). */
const PROFILE_NAME_GROUPS: Record<string, string> = {
  process_cpu: 'Process CPU (pprof)',
  parca_agent: 'Parca agent (eBPF)',
  parca_agent_cpu: 'Parca agent (eBPF)',
  memory: 'Memory (pprof heap)',
  goroutine: 'Goroutines (pprof)',
  block: 'Blocking (pprof)',
  mutex: 'Mutex contention (pprof)',
  wallclock: 'Wall clock',
};

/** Parses `<name>:<sample type>:<sample unit>:<period type>:<period unit>[:delta]`; undefined when it is not one. */
export function parseProfileTypeId(id: string): ProfileTypeInfo | undefined {
  const parts = id.trim().split(':');
  if ((parts.length !== 5 && parts.length !== 6) || parts.slice(0, 5).some((p) => p === '')) {
    return undefined;
  }
  if (parts.length === 6 && parts[5] !== 'delta') {
    return undefined;
  }
  const [name, sampleType, sampleUnit, periodType, periodUnit] = parts;
  return { id: id.trim(), name, sampleType, sampleUnit, periodType, periodUnit, delta: parts.length === 6 };
}

/** Renders the id Parca expects from the parts. */
export function profileTypeId(t: Omit<ProfileTypeInfo, 'id'>): string {
  const id = [t.name, t.sampleType, t.sampleUnit, t.periodType, t.periodUnit].join(':');
  return t.delta ? `${id}:delta` : id;
}

/** "CPU, nanoseconds" */
export function profileTypeLabel(t: ProfileTypeInfo): string {
  const sample = SAMPLE_TYPE_NAMES[t.sampleType] ?? t.sampleType;
  return `${sample}, ${t.sampleUnit}`;
}

/** "Process CPU (pprof)": what kind of profiler wrote it. */
export function profileTypeGroup(t: ProfileTypeInfo): string {
  return PROFILE_NAME_GROUPS[t.name] ?? t.name;
}

/** A label for an id alone (a saved query whose type the server no longer lists, or a variable). */
export function describeProfileTypeId(id: string): string {
  const parsed = parseProfileTypeId(id);
  return parsed ? `${profileTypeLabel(parsed)} (${profileTypeGroup(parsed)})` : id;
}

/** Picker options, grouped by family and sorted so CPU comes first within each group. */
export function profileTypeOptions(types: ProfileTypeInfo[]): Array<ComboboxOption<string>> {
  const sorted = [...types].sort(
    (a, b) =>
      profileTypeGroup(a).localeCompare(profileTypeGroup(b)) || profileTypeLabel(a).localeCompare(profileTypeLabel(b))
  );
  return sorted.map((t) => ({
    value: t.id,
    label: profileTypeLabel(t),
    group: profileTypeGroup(t),
    description: t.id,
  }));
}

/** Whether a type measures CPU: pprof's `cpu` sample type, or CPU-period samples (eBPF agents). */
export function isCpuProfileType(t: ProfileTypeInfo): boolean {
  return t.sampleType === 'cpu' || (t.sampleType === 'samples' && t.periodType === 'cpu');
}

/**
 * The type a new query starts with: the first CPU type in the picker's order (what most people
 * open a profiler for), else the first type; undefined when Parca holds none.
 */
export function defaultProfileType(types: ProfileTypeInfo[]): string | undefined {
  const ordered = profileTypeOptions(types).map((o) => types.find((t) => t.id === o.value)!);
  return (ordered.find(isCpuProfileType) ?? ordered[0])?.id;
}
