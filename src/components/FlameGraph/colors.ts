import { colorManipulator, type GrafanaTheme2 } from '@grafana/data';

/** WCAG AA for normal text: every fill must keep frame labels at least this readable. */
export const MIN_LABEL_CONTRAST = 4.5;

/**
 * The package or binary a frame belongs to, guessed from its label, so related frames share a colour:
 * `[libc.so.6]` and `libc.so.6\`malloc` give the binary; `std::vec::Vec<T>::push` and Rust/C++ names give
 * the first namespace; Go's `github.com/a/b.(*T).M` gives `github.com/a/b` and `runtime.mallocgc` gives
 * `runtime`. Anything else is its own package.
 */
export function packageOf(label: string): string {
  const bracketed = /^\[(.+)\]$/.exec(label);
  if (bracketed) {
    return bracketed[1];
  }
  const tick = label.indexOf('`');
  if (tick > 0) {
    return label.slice(0, tick);
  }
  const name = label.replace(/^<+/, '');
  const scope = name.indexOf('::');
  if (scope > 0) {
    return name.slice(0, scope);
  }
  // Go: the package path runs to the first '.' after the last '/' that comes before any '('.
  const paren = name.indexOf('(');
  const head = paren >= 0 ? name.slice(0, paren) : name;
  const slash = head.lastIndexOf('/');
  const dot = name.indexOf('.', slash + 1);
  if (dot > 0) {
    return name.slice(0, dot);
  }
  return name;
}

/** FNV-1a: stable across runs and sessions, so a package keeps its colour. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Lightens a fill until `text` on it reaches `minContrast` (all label colours here are dark). */
export function ensureContrast(fill: string, text: string, minContrast = MIN_LABEL_CONTRAST): string {
  let color = colorManipulator.asHexString(fill);
  for (let step = 0; step < 20 && colorManipulator.getContrastRatio(text, color) < minContrast; step++) {
    color = colorManipulator.asHexString(colorManipulator.lighten(color, 0.1));
  }
  return color;
}

/** Everything the chart needs to colour frames for one theme, computed once per theme. */
export interface FlamePalette {
  /** Text colour of frame labels: dark in both themes, so every fill is made light enough for it. */
  label: string;
  packages: string[];
  /** Fill of frames that do not match an active search or selection. */
  dimmed: string;
  /** Fill of "other" aggregate frames. */
  other: string;
  /** Diff fills from "much less" (index 0) over "unchanged" (middle) to "much more" (last). */
  diff: string[];
  /** Outline of the frame that has keyboard focus. */
  focus: string;
}

/** Steps on each side of "unchanged" in the diff scale. */
export const DIFF_STEPS = 10;

export function createFlamePalette(theme: GrafanaTheme2): FlamePalette {
  const label = theme.isDark ? theme.colors.background.canvas : theme.colors.text.maxContrast;
  const byName = theme.visualization.getColorByName;
  // Two shades of each hue: enough colours to tell neighbouring packages apart.
  const hueShades = theme.isDark ? ['', 'light-'] : ['super-light-', 'light-'];
  const packages: string[] = [];
  for (const shade of hueShades) {
    for (const hue of ['blue', 'green', 'yellow', 'orange', 'purple', 'red']) {
      packages.push(ensureContrast(byName(`${shade}${hue}`), label));
    }
  }
  const neutral = ensureContrast(theme.isDark ? '#8e8e9a' : '#c7c7cf', label);
  const less = byName(theme.isDark ? 'green' : 'semi-dark-green');
  const more = byName(theme.isDark ? 'red' : 'semi-dark-red');
  const diff: string[] = [];
  for (let k = -DIFF_STEPS; k <= DIFF_STEPS; k++) {
    const target = k < 0 ? less : more;
    const weight = Math.abs(k) / DIFF_STEPS;
    diff.push(ensureContrast(mix(neutral, target, weight), label));
  }
  return {
    label,
    packages,
    dimmed: ensureContrast(theme.isDark ? '#5b5d66' : '#e4e4e8', label, 3),
    other: neutral,
    diff,
    focus: theme.colors.primary.main,
  };
}

function mix(from: string, to: string, weight: number): string {
  const a = colorManipulator.decomposeColor(colorManipulator.asHexString(from)).values;
  const b = colorManipulator.decomposeColor(colorManipulator.asHexString(to)).values;
  const channel = (i: number) => Math.round(a[i] + (b[i] - a[i]) * weight);
  return `rgb(${channel(0)}, ${channel(1)}, ${channel(2)})`;
}

export function packageColor(palette: FlamePalette, label: string): string {
  return palette.packages[hashString(packageOf(label)) % palette.packages.length];
}

/** packageColor by name id, computed once per name: a redraw colours thousands of frames. */
export function createPackageColorer(palette: FlamePalette, names: string[]): (nameId: number) => string {
  const cache: Array<string | undefined> = [];
  return (nameId) => (cache[nameId] ??= packageColor(palette, names[nameId]));
}

/**
 * Relative change of a frame's share between baseline and comparison: (shareRight - shareLeft) / shareLeft.
 * +Infinity for a frame only in the comparison, -1 for one only in the baseline, 0 for no samples.
 * Shares, not raw values, so profiles of different lengths compare fairly (as Grafana's diff does).
 */
export function diffChange(left: number, right: number, rootLeft: number, rootRight: number): number {
  const shareLeft = rootLeft > 0 ? left / rootLeft : 0;
  const shareRight = rootRight > 0 ? right / rootRight : 0;
  if (shareLeft === 0) {
    return shareRight > 0 ? Infinity : 0;
  }
  return (shareRight - shareLeft) / shareLeft;
}

/** Index into FlamePalette.diff: a change of ±100% or more takes the strongest colour. */
export function diffStep(change: number): number {
  const clamped = Math.max(-1, Math.min(1, change));
  return Math.round(clamped * DIFF_STEPS) + DIFF_STEPS;
}
