/**
 * How many samples a span can hold: a sampling profiler takes one sample per period, so a span of
 * d milliseconds at f Hz holds about d·f/1000 of them, and under a few the flame graph is noise.
 */
import { type AppSettings, samplingHzFor } from '../../../shared/appSettings';
import type { ProfileTypeInfo } from '../../../datasource/types';

/** Under this many expected samples a span's own profile is not worth reading. */
export const MIN_RELIABLE_SAMPLES = 3;

export function expectedSamples(durationMs: number, hz: number): number {
  return (Math.max(0, durationMs) * hz) / 1000;
}

export interface ShortSpanWarning {
  expected: number;
  sentence: string;
}

/** A warning when the span is too short to hold a reliable profile, else undefined. */
export function shortSpanWarning(durationMs: number, hz: number | undefined): ShortSpanWarning | undefined {
  if (hz === undefined || !Number.isFinite(durationMs)) {
    return undefined;
  }
  const expected = expectedSamples(durationMs, hz);
  if (expected >= MIN_RELIABLE_SAMPLES) {
    return undefined;
  }
  return {
    expected,
    sentence:
      `This span lasted ${formatMs(durationMs)}: at ${hz} Hz a profiler takes about ${formatCount(expected)} ` +
      `sample${expected === 1 ? '' : 's'} in it, too few for a reliable profile (${MIN_RELIABLE_SAMPLES} or more are needed). ` +
      `The merged profile of the same route's spans over the time range says more.`,
  };
}

/** The sampling frequency for a profile type, and a sentence when the settings have none. */
export function samplingFor(
  settings: Pick<AppSettings, 'samplingHz'>,
  profileType: string | undefined
): { hz?: number; problem?: string } {
  if (!profileType) {
    return {};
  }
  const hz = samplingHzFor(settings, profileType);
  if (hz === undefined) {
    const name = profileType.split(':')[0];
    return {
      problem: `The app's settings hold no sampling frequency for "${name}" profiles, so it cannot judge whether this span is long enough to hold samples: add one on the app's configuration page.`,
    };
  }
  return { hz };
}

/**
 * The CPU profile type to show when the link names none: on-CPU samples whose sampling frequency the
 * settings know first (the short-span check needs it), then any CPU type, then whatever there is.
 */
export function chooseCpuProfileType(
  types: ProfileTypeInfo[],
  settings: Pick<AppSettings, 'samplingHz'>,
  wanted?: string
): string | undefined {
  if (wanted && types.some((t) => t.id === wanted)) {
    return wanted;
  }
  const isCpu = (t: ProfileTypeInfo) => t.periodType === 'cpu' || /cpu/i.test(t.sampleType) || /cpu/i.test(t.name);
  const known = (t: ProfileTypeInfo) => samplingHzFor(settings, t.id) !== undefined;
  return (
    types.find((t) => isCpu(t) && t.delta && known(t)) ??
    types.find((t) => isCpu(t) && known(t)) ??
    types.find(isCpu) ??
    types[0]
  )?.id;
}

export function formatMs(ms: number): string {
  if (ms >= 1000) {
    return `${(ms / 1000).toFixed(ms >= 10_000 ? 1 : 2)} s`;
  }
  if (ms >= 10) {
    return `${Math.round(ms)} ms`;
  }
  return `${Number(ms.toFixed(ms >= 1 ? 1 : 3))} ms`;
}

function formatCount(n: number): string {
  return n >= 1 ? n.toFixed(1).replace(/\.0$/, '') : n.toFixed(2);
}
