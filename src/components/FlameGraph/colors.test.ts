import { colorManipulator, createTheme } from '@grafana/data';

import {
  createFlamePalette,
  DIFF_STEPS,
  diffChange,
  diffStep,
  MIN_LABEL_CONTRAST,
  packageColor,
  packageOf,
} from './colors';
import { formatChange, makeValueFormatter } from './format';

describe('packageOf', () => {
  it.each([
    ['github.com/grafana/spanflame/pkg/parca.(*Client).Query', 'github.com/grafana/spanflame/pkg/parca'],
    ['runtime.mallocgc', 'runtime'],
    ['cmd/compile/internal/ssa.(*Func).Log', 'cmd/compile/internal/ssa'],
    ['std::vec::Vec<T>::push', 'std'],
    ['<alloc::vec::Vec<T> as core::ops::Drop>::drop', 'alloc'],
    ['[libc.so.6]', 'libc.so.6'],
    ['libc.so.6`malloc', 'libc.so.6'],
    ['total', 'total'],
  ])('%s is in %s', (label, pkg) => {
    expect(packageOf(label)).toBe(pkg);
  });
});

describe('palette', () => {
  it.each(['dark', 'light'] as const)('keeps labels readable on every fill in the %s theme', (mode) => {
    const palette = createFlamePalette(createTheme({ colors: { mode } }));
    for (const fill of [...palette.packages, ...palette.diff, palette.other]) {
      expect(colorManipulator.getContrastRatio(palette.label, fill)).toBeGreaterThanOrEqual(MIN_LABEL_CONTRAST);
    }
  });

  it('gives one package one colour and tells packages apart', () => {
    const palette = createFlamePalette(createTheme({ colors: { mode: 'dark' } }));
    expect(packageColor(palette, 'runtime.mallocgc')).toBe(packageColor(palette, 'runtime.scanobject'));
    const colors = new Set(
      ['runtime.a', 'net/http.a', 'encoding/json.a', 'sync.a', 'os.a', 'fmt.a'].map((l) => packageColor(palette, l))
    );
    expect(colors.size).toBeGreaterThan(2);
  });

  it('scales diff colours from less (green side) through unchanged to more (red side)', () => {
    const palette = createFlamePalette(createTheme({ colors: { mode: 'dark' } }));
    expect(palette.diff).toHaveLength(2 * DIFF_STEPS + 1);
    const green = (c: string) => colorManipulator.decomposeColor(colorManipulator.asHexString(c)).values;
    const [lessR, lessG] = green(palette.diff[0]);
    const [moreR, moreG] = green(palette.diff[palette.diff.length - 1]);
    expect(lessG).toBeGreaterThan(lessR);
    expect(moreR).toBeGreaterThan(moreG);
  });
});

describe('diff arithmetic', () => {
  it('compares shares, not raw values', () => {
    // Baseline: 10 of 100; comparison: 40 of 200 -> share 10% -> 20%: +100%.
    expect(diffChange(10, 40, 100, 200)).toBeCloseTo(1);
    // Same share in a longer profile: unchanged.
    expect(diffChange(10, 20, 100, 200)).toBeCloseTo(0);
    expect(diffChange(0, 5, 100, 200)).toBe(Infinity);
    expect(diffChange(5, 0, 100, 200)).toBe(-1);
  });

  it('maps changes to palette steps and clamps at ±100%', () => {
    expect(diffStep(0)).toBe(DIFF_STEPS);
    expect(diffStep(-1)).toBe(0);
    expect(diffStep(5)).toBe(2 * DIFF_STEPS);
    expect(diffStep(Infinity)).toBe(2 * DIFF_STEPS);
    expect(formatChange(Infinity)).toBe('new');
    expect(formatChange(-1)).toBe('gone');
    expect(formatChange(0.125)).toBe('+12.5%');
  });
});

describe('units', () => {
  it('formats in the profile unit', () => {
    expect(makeValueFormatter('ns')(1_500_000_000)).toBe('1.50 s');
    expect(makeValueFormatter('bytes')(2048)).toBe('2 KiB');
  });
});
