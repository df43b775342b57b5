import { formattedValueToString, getValueFormat } from '@grafana/data';

/** Formats a profile value in the profile's unit ("ns" -> "1.23 s", "bytes" -> "4 MiB", "short" -> "12.3 K"). */
export function makeValueFormatter(unit: string): (value: number) => string {
  const format = getValueFormat(unit || 'short');
  return (value) => formattedValueToString(format(value));
}

export function formatShare(share: number): string {
  if (!Number.isFinite(share)) {
    return '—';
  }
  const percent = share * 100;
  if (percent !== 0 && Math.abs(percent) < 0.01) {
    return percent < 0 ? '> -0.01%' : '< 0.01%';
  }
  return `${percent.toFixed(2)}%`;
}

/** "+12.5%", "-40.0%", "new", "gone" for a diff change as diffChange returns it. */
export function formatChange(change: number): string {
  if (change === Infinity) {
    return 'new';
  }
  if (change === -1) {
    return 'gone';
  }
  const percent = change * 100;
  return `${percent > 0 ? '+' : ''}${percent.toFixed(1)}%`;
}
