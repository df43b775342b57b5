import { FieldConfigProperty, PanelPlugin, ThresholdsMode } from '@grafana/data';

import { type CoveragePanelOptions, DEFAULT_COVERAGE_OPTIONS, DEFAULT_SHARE_THRESHOLDS } from './types';
import { CoveragePanel } from './ui/CoveragePanel';

const D = DEFAULT_COVERAGE_OPTIONS;

export const plugin = new PanelPlugin<CoveragePanelOptions>(CoveragePanel)
  // Only what applies to a share: thresholds colour it, decimals round it. The unit is always percent.
  .useFieldConfig({
    disableStandardOptions: [
      FieldConfigProperty.Unit,
      FieldConfigProperty.Min,
      FieldConfigProperty.Max,
      FieldConfigProperty.Links,
      FieldConfigProperty.Mappings,
      FieldConfigProperty.NoValue,
      FieldConfigProperty.DisplayName,
      FieldConfigProperty.FieldMinMax,
      FieldConfigProperty.Filterable,
      FieldConfigProperty.Actions,
    ],
    standardOptions: {
      [FieldConfigProperty.Thresholds]: {
        defaultValue: { mode: ThresholdsMode.Absolute, steps: DEFAULT_SHARE_THRESHOLDS },
      },
    },
  })
  .setPanelOptions((builder) =>
    builder
      .addBooleanSwitch({
        path: 'showShare',
        name: 'Share',
        description: 'The share of the value without a trace link, coloured by the thresholds',
        category: ['Show'],
        defaultValue: D.showShare,
      })
      .addBooleanSwitch({ path: 'showTrend', name: 'Trend', category: ['Show'], defaultValue: D.showTrend })
      .addBooleanSwitch({
        path: 'showGroups',
        name: 'Per group',
        description: "One row per label set of the query's Group by (per service)",
        category: ['Show'],
        defaultValue: D.showGroups,
      })
      .addBooleanSwitch({
        path: 'showReasons',
        name: 'Reasons',
        description: 'The functions the CPU without a trace link runs under',
        category: ['Show'],
        defaultValue: D.showReasons,
      })
      .addNumberInput({
        path: 'reasonsLimit',
        name: 'Reasons shown',
        category: ['Show'],
        defaultValue: D.reasonsLimit,
        settings: { min: 1, max: 100, integer: true },
        showIf: (o) => o.showReasons,
      })
      .addBooleanSwitch({
        path: 'showStacks',
        name: 'Stacks',
        description: 'The flame graph of the samples without a trace link',
        category: ['Show'],
        defaultValue: D.showStacks,
      })
      .addTextInput({
        path: 'groupBy',
        name: 'Group by',
        description:
          "Label names, comma-separated, among the query's Group by: rows merge the other labels (shares are recomputed, not averaged). Empty: as the query groups.",
        category: ['Grouping'],
        defaultValue: D.groupBy,
        settings: { placeholder: 'as the query groups' },
      })
      .addRadio({
        path: 'groupOrder',
        name: 'Order',
        category: ['Grouping'],
        defaultValue: D.groupOrder,
        settings: {
          options: [
            { value: 'share', label: 'Highest share' },
            { value: 'unlinked', label: 'Most unlinked' },
            { value: 'name', label: 'Name' },
          ],
        },
      })
  );
