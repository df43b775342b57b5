/**
 * Stand-ins for Grafana's standard field options (unit, decimals, min, max, display name, no value, color,
 * thresholds, value mappings, data links). Grafana fills @grafana/data's standardFieldConfigEditorRegistry at
 * boot with its own option editors (part of Grafana, not of any npm package). A panel plugin's field config
 * registry is built from it, and options missing there are dropped from a panel's field config, so without
 * these a scene's `setUnit`, `setNoValue` or link override would silently vanish. The host has no panel editor:
 * each stand-in keeps its value as given and renders no editor.
 */
import { type FieldConfigPropertyItem, FieldConfigProperty, standardFieldConfigEditorRegistry } from '@grafana/data';

const STANDARD_OPTIONS: FieldConfigProperty[] = [
  FieldConfigProperty.Unit,
  FieldConfigProperty.Decimals,
  FieldConfigProperty.Min,
  FieldConfigProperty.Max,
  FieldConfigProperty.DisplayName,
  FieldConfigProperty.NoValue,
  FieldConfigProperty.Color,
  FieldConfigProperty.Thresholds,
  FieldConfigProperty.Mappings,
  FieldConfigProperty.Links,
];

function standIn(id: FieldConfigProperty): FieldConfigPropertyItem {
  return {
    id,
    path: id,
    name: id,
    description: 'preview host stand-in for a standard field option',
    editor: () => null,
    override: () => null,
    process: (value) => value,
    shouldApply: () => true,
  };
}

let registered = false;

/** Idempotent: fills the registry once, before any panel plugin builds its field config registry. */
export function registerStandardOptionStandIns(): void {
  if (!registered) {
    registered = true;
    standardFieldConfigEditorRegistry.setInit(() => STANDARD_OPTIONS.map(standIn));
  }
}
