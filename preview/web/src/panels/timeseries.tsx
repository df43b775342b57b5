/**
 * Stand-in for Grafana's built-in "timeseries" panel (AGPL, part of Grafana): @grafana/ui's uPlot TimeSeries
 * (Apache-2.0) drawing the frames as lines with a list legend.
 * Left out: every panel option but the legend's visibility (tooltip modes, stacking, bars and points styles,
 * axis placement, thresholds drawn as lines, overrides of custom options beyond the defaults below), annotations,
 * exemplars, zooming the time range, series-limit and "show all".
 */
import { FieldType, PanelPlugin, type PanelProps } from '@grafana/data';
import { GraphDrawStyle, LegendDisplayMode, type VizLegendOptions } from '@grafana/schema';
import { TimeSeries } from '@grafana/ui';

import { coreStandInMeta, customOptionDefaults, drawnSeriesNames, NoDataStandIn, seriesHooks } from './common';

const TEST_ID = 'standin-timeseries';

interface TimeSeriesOptions {
  legend?: Partial<VizLegendOptions>;
}

/** The few custom field options uPlot needs to draw a line, with Grafana's defaults. */
const LINE_DEFAULTS: Record<string, unknown> = {
  drawStyle: GraphDrawStyle.Line,
  lineWidth: 1,
  fillOpacity: 10,
  pointSize: 5,
  showPoints: 'auto',
  spanNulls: false,
};

function TimeSeriesStandIn({
  data,
  width,
  height,
  timeRange,
  timeZone,
  options,
  fieldConfig,
}: PanelProps<TimeSeriesOptions>) {
  const names = drawnSeriesNames(data.series);
  if (names.length === 0) {
    return <NoDataStandIn fieldConfig={fieldConfig} testId={TEST_ID} />;
  }
  const legend: VizLegendOptions = {
    showLegend: options.legend?.showLegend ?? true,
    displayMode: options.legend?.displayMode ?? LegendDisplayMode.List,
    placement: options.legend?.placement ?? 'bottom',
    calcs: options.legend?.calcs ?? [],
  };
  return (
    <div {...seriesHooks(TEST_ID, names)}>
      <TimeSeries
        frames={data.series}
        structureRev={data.structureRev}
        width={width}
        height={height}
        timeRange={timeRange}
        timeZone={timeZone}
        legend={legend}
      />
    </div>
  );
}

export function timeSeriesStandIn(): PanelPlugin<TimeSeriesOptions> {
  const plugin = new PanelPlugin<TimeSeriesOptions>(TimeSeriesStandIn).useFieldConfig({
    standardOptions: { color: { defaultValue: { mode: 'palette-classic' } } },
    useCustomConfig: customOptionDefaults(LINE_DEFAULTS, (field) => field.type === FieldType.number),
  });
  plugin.meta = coreStandInMeta('timeseries', 'Time series');
  return plugin;
}
