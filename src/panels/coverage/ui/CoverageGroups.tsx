import { css } from '@emotion/css';
import { type DisplayProcessor, type FieldConfig, FieldType, type GrafanaTheme2 } from '@grafana/data';
import { Sparkline, useStyles2, useTheme2 } from '@grafana/ui';
import React from 'react';

import { type CoverageReading, type GroupOrder, sortGroups } from '../domain/readCoverage';
import { displayShare, shareField } from './shareDisplay';
import { compactTable } from './tableStyles';

interface Props {
  reading: CoverageReading;
  order: GroupOrder;
  display: DisplayProcessor;
  config: FieldConfig;
  showTrend: boolean;
  formatValue: (value: number) => string;
}

const SPARK_WIDTH = 120;
const SPARK_HEIGHT = 22;

/** One row per group (service): its unlinked share coloured by the thresholds, its trend and its CPU. */
export function CoverageGroups({ reading, order, display, config, showTrend, formatValue }: Props) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const groups = sortGroups(reading.groups, order);
  const hasValues = groups.some((g) => g.unlinked !== undefined);
  return (
    <table className={styles.table} data-testid="coverage-groups">
      <thead>
        <tr>
          <th>{reading.groupLabels.join(', ')}</th>
          <th className={styles.number}>Without trace link</th>
          {showTrend && hasValues && <th>Trend</th>}
          {hasValues && <th className={styles.number}>Unlinked / total</th>}
        </tr>
      </thead>
      <tbody>
        {groups.map((group) => {
          const shown = displayShare(display, group.share);
          const trend = group.trend;
          return (
            <tr key={group.name} data-testid="coverage-group" data-group={group.name} data-share={group.share ?? ''}>
              <td className={styles.name} title={group.name}>
                {group.name}
              </td>
              <td className={styles.number} style={{ color: shown.color }}>
                {shown.text}
                {shown.suffix ?? ''}
              </td>
              {showTrend && hasValues && (
                <td className={styles.spark}>
                  {trend && trend.times.length > 1 ? (
                    <Sparkline
                      theme={theme}
                      width={SPARK_WIDTH}
                      height={SPARK_HEIGHT}
                      config={config}
                      sparkline={{
                        x: { name: 'time', type: FieldType.time, config: {}, values: trend.times },
                        y: shareField(group.name, trend.shares, config, theme),
                      }}
                    />
                  ) : (
                    // One step of samples (a short range, or a long one with a wide step): no line to draw.
                    <span className={styles.noTrend} title="A trend needs samples in at least two steps of the range">
                      one step only
                    </span>
                  )}
                </td>
              )}
              {hasValues && (
                <td className={styles.number}>
                  {group.unlinked !== undefined && group.linked !== undefined
                    ? `${formatValue(group.unlinked)} / ${formatValue(group.unlinked + group.linked)}`
                    : ''}
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  table: compactTable(theme),
  name: css({ maxWidth: 240, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }),
  number: css({ textAlign: 'right', fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }),
  spark: css({ width: SPARK_WIDTH + 16 }),
  noTrend: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
