import {
  type DisplayProcessor,
  type DisplayValue,
  type Field,
  type FieldConfig,
  FieldType,
  getDisplayProcessor,
  type GrafanaTheme2,
  type ThresholdsConfig,
  ThresholdsMode,
} from '@grafana/data';

import { DEFAULT_SHARE_THRESHOLDS } from '../types';

/**
 * The panel's thresholds with the base step's value as -Infinity: dashboard JSON stores it as
 * null, which Grafana's dashboard loader turns into -Infinity before a panel sees it. A host that
 * passes the JSON on unchanged (or a hand-written dashboard) would otherwise compare against 0.
 */
export function normalizeThresholds(thresholds: ThresholdsConfig | undefined): ThresholdsConfig {
  const steps = thresholds?.steps?.length ? thresholds.steps : DEFAULT_SHARE_THRESHOLDS;
  return {
    mode: thresholds?.mode ?? ThresholdsMode.Absolute,
    steps: steps.map((step, i) => ({
      ...step,
      value: i === 0 || step.value === null || step.value === undefined ? -Infinity : Number(step.value),
    })),
  };
}

/** Field config of a share: percent 0-100 whatever unit the panel was given, the panel's thresholds. */
export function shareFieldConfig(defaults: FieldConfig): FieldConfig {
  return {
    ...defaults,
    unit: 'percent',
    min: 0,
    max: 100,
    decimals: defaults.decimals ?? 1,
    thresholds: normalizeThresholds(defaults.thresholds),
    color: defaults.color ?? { mode: 'thresholds' },
  };
}

/**
 * A share series as Grafana's sparklines want it: a display processor, and `state.range`, which
 * Grafana's field processing fills and @grafana/ui's Sparkline reads (without it uPlot's range
 * function throws). Shares always span 0-100, so rows compare at a glance.
 */
export function shareField(
  name: string,
  values: Array<number | null>,
  config: FieldConfig,
  theme: GrafanaTheme2
): Field {
  const field: Field = {
    name,
    type: FieldType.number,
    config,
    values,
    state: { range: { min: 0, max: 100, delta: 100 } },
  };
  field.display = getDisplayProcessor({ field, theme });
  return field;
}

/** The share as Grafana displays a value: text, suffix and the colour of its threshold step. */
export function displayShare(display: DisplayProcessor, share: number | undefined): DisplayValue {
  if (share === undefined) {
    return { text: 'no samples', numeric: NaN };
  }
  return display(share);
}
