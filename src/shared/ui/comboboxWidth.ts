import { type ComboboxOption, measureText } from '@grafana/ui';

/** Combobox's menu fonts (@grafana/ui getComboboxStyles): label 14 px weight 500, description 12 px. */
const LABEL_FONT_PX = 14;
const LABEL_FONT_WEIGHT = 500;
const DESCRIPTION_FONT_PX = 12;
/** The menu's item padding, scroll container padding and a scrollbar, with a little to spare. */
const MENU_EXTRA_PX = 8 * 2 + 8 + 17 + 8;
const GRID_PX = 8;

type Measure = (text: string, fontSize: number, fontWeight?: number) => { width: number };

/**
 * A Combobox width (in theme spacing units, as its `width` prop takes) at which its menu is no
 * wider than the box. Why: the menu opens at the box's width and then grows to its widest option;
 * that second resize, inside the menu's own ResizeObserver callback, is what Chromium reports as
 * "ResizeObserver loop completed with undelivered notifications" every time the box opens.
 */
export function comboboxWidthFor(
  options: Array<ComboboxOption<string>>,
  minUnits: number,
  measure: Measure = (text, size, weight) => measureText(text, size, weight)
): number {
  let widest = 0;
  for (const option of options) {
    widest = Math.max(
      widest,
      measure(option.label ?? String(option.value), LABEL_FONT_PX, LABEL_FONT_WEIGHT).width,
      option.description ? measure(option.description, DESCRIPTION_FONT_PX).width : 0
    );
  }
  return Math.max(minUnits, Math.ceil((widest + MENU_EXTRA_PX) / GRID_PX));
}
