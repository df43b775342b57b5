/** The flame graph panel's options (the panel JSON's `options`). */
export interface FlameGraphPanelOptions {
  /** Show the functions table beside the graph at first (it can be toggled in the panel). */
  showTable: boolean;
  /** Only the chart: no search, table or status line (zoom and tooltips still work). */
  showFlameGraphOnly: boolean;
  /** Frame name or query refId to draw; empty: the first flame graph frame. */
  frame: string;
  /** Frames narrower than this many pixels fold into "smaller frames". */
  minFramePx: number;
}

export const DEFAULT_FLAMEGRAPH_OPTIONS: FlameGraphPanelOptions = {
  showTable: true,
  showFlameGraphOnly: false,
  frame: '',
  minFramePx: 1,
};
