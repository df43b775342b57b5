/**
 * How a Parca profile type counts CPU. Profile type ids read
 * `<name>:<sample type>:<sample unit>:<period type>:<period unit>[:delta]`: Go's `process_cpu` counts
 * CPU nanoseconds, parca-agent's `parca_agent` counts samples, each one sampling period of CPU.
 */
import { type AppSettings, samplingHzFor } from '../appSettings';

export type CpuUnit = 'samples' | 'nanoseconds';

function parts(profileType: string) {
  const [name = '', sampleType = '', sampleUnit = '', periodType = ''] = profileType.toLowerCase().split(':');
  return { name, sampleUnit, cpu: sampleType === 'cpu' || periodType === 'cpu' };
}

/** How a CPU profile type counts, or undefined if it is not CPU or counts in a unit of its own. */
export function cpuUnitOf(profileType: string): CpuUnit | undefined {
  const { sampleUnit, cpu } = parts(profileType);
  if (!cpu) {
    return undefined;
  }
  if (sampleUnit === 'nanoseconds' || sampleUnit === 'ns') {
    return 'nanoseconds';
  }
  if (sampleUnit === 'count' || sampleUnit === 'samples') {
    return 'samples';
  }
  return undefined;
}

/**
 * Milliseconds of CPU per unit of a profile type's value: CPU nanoseconds are 1e-6 ms each, a sample
 * is one sampling period (1000 / Hz ms). A sentence that says what to do instead, when the type is not
 * CPU or the app's settings lack its frequency.
 */
export function msPerUnit(profileType: string, settings: Pick<AppSettings, 'samplingHz'>): number | string {
  const { name, sampleUnit, cpu } = parts(profileType);
  switch (cpuUnitOf(profileType)) {
    case 'nanoseconds':
      return 1e-6;
    case 'samples': {
      const hz = samplingHzFor(settings, profileType);
      return hz
        ? 1000 / hz
        : `The app's settings hold no sampling frequency for "${name}" profiles, so their samples cannot be turned into CPU time: add one on the app's configuration page.`;
    }
  }
  return cpu
    ? `"${profileType}" counts CPU in ${sampleUnit}, which this page cannot turn into time.`
    : `"${profileType}" profiles do not measure CPU time: pick a CPU profile type.`;
}
