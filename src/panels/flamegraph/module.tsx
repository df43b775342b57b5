import { PanelPlugin } from '@grafana/data';

import { DEFAULT_FLAMEGRAPH_OPTIONS as D, type FlameGraphPanelOptions } from './types';
import { FlameGraphPanel } from './ui/FlameGraphPanel';

export const plugin = new PanelPlugin<FlameGraphPanelOptions>(FlameGraphPanel).setPanelOptions((builder) =>
  builder
    .addBooleanSwitch({
      path: 'showTable',
      name: 'Functions table',
      description: 'Show the table of functions beside the graph at first (it can be toggled in the panel)',
      defaultValue: D.showTable,
      showIf: (o) => !o.showFlameGraphOnly,
    })
    .addBooleanSwitch({
      path: 'showFlameGraphOnly',
      name: 'Chart only',
      description: 'No search box, table or status line; zoom and tooltips still work',
      defaultValue: D.showFlameGraphOnly,
    })
    .addTextInput({
      path: 'frame',
      name: 'Frame',
      description: 'Frame name or query letter to draw; empty draws the first frame with level, value, self and label',
      defaultValue: D.frame,
      settings: { placeholder: 'first flame graph frame' },
    })
    .addNumberInput({
      path: 'minFramePx',
      name: 'Smallest frame (px)',
      description: 'Frames narrower than this fold into "smaller frames"',
      defaultValue: D.minFramePx,
      settings: { min: 0.5, max: 20 },
    })
);
