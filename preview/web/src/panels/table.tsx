/**
 * Stand-in for Grafana's built-in "table" panel (AGPL, part of Grafana): @grafana/ui's TableNG (Apache-2.0), the
 * component Grafana 13's table panel draws with, on the first frame. Cells follow their field config: units,
 * `custom.cellOptions` (sparklines for frame-typed cells), data links.
 * Left out: the frame picker for several frames, footers and pagination options, column widths saved back to
 * the panel, sort and filter state kept in the panel options, ad hoc filters from cells.
 */
import { PanelPlugin, type PanelProps } from '@grafana/data';
import { TableCellDisplayMode } from '@grafana/schema';
import { TableNG } from '@grafana/ui/unstable';

import { coreStandInMeta, customOptionDefaults, NoDataStandIn } from './common';

const TEST_ID = 'standin-table';

/** The custom column options scenes set through overrides, with Grafana's defaults. */
const COLUMN_DEFAULTS: Record<string, unknown> = {
  align: 'auto',
  cellOptions: { type: TableCellDisplayMode.Auto },
  inspect: false,
  filterable: false,
};

interface TableOptions {
  showHeader?: boolean;
}

function TableStandIn({ data, width, height, timeRange, fieldConfig, options }: PanelProps<TableOptions>) {
  const frame = data.series[0];
  if (!frame || frame.length === 0) {
    return <NoDataStandIn fieldConfig={fieldConfig} testId={TEST_ID} />;
  }
  return (
    <div data-testid={TEST_ID} data-row-count={frame.length} data-frame-count={data.series.length}>
      <TableNG
        data={frame}
        width={width}
        height={height}
        timeRange={timeRange}
        structureRev={data.structureRev}
        fieldConfig={fieldConfig}
        noHeader={options.showHeader === false}
      />
    </div>
  );
}

export function tableStandIn(): PanelPlugin<TableOptions> {
  const plugin = new PanelPlugin<TableOptions>(TableStandIn).useFieldConfig({
    useCustomConfig: customOptionDefaults(COLUMN_DEFAULTS, () => true),
  });
  plugin.meta = coreStandInMeta('table', 'Table');
  return plugin;
}
