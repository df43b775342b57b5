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

/**
 * A function's name without its package path, for columns too narrow for the whole name: every Go
 * name starts with the same module path ("github.com/org/repo/..."), so the end is what tells rows
 * apart. "github.com/a/b/service.(*Server).handle" -> "service.(*Server).handle"; a path inside a
 * receiver or type parameters stays. The backend's table frames do the same (report.ShortFunctionName).
 */
export function shortFunctionName(name: string): string {
  const cut = name.search(/[[(]/);
  const head = cut >= 0 ? name.slice(0, cut) : name;
  const slash = head.lastIndexOf('/');
  return slash >= 0 ? name.slice(slash + 1) : name;
}
