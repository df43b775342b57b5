import { css } from '@emotion/css';
import {
  type DataFrame,
  type FieldConfig,
  FieldType,
  formattedValueToString,
  getDisplayProcessor,
  getValueFormat,
  type GrafanaTheme2,
  type PanelProps,
} from '@grafana/data';
import {
  BigValue,
  BigValueColorMode,
  BigValueGraphMode,
  BigValueJustifyMode,
  BigValueTextMode,
  useStyles2,
  useTheme2,
} from '@grafana/ui';
import React, { useMemo } from 'react';

import { dataState, FrameProblemState } from '../../shared/PanelState';
import { type CoverageReading, readCoverage } from '../domain/readCoverage';
import { type CoveragePanelOptions, DEFAULT_COVERAGE_OPTIONS } from '../types';
import { CoverageGroups } from './CoverageGroups';
import { CoverageReasons } from './CoverageReasons';
import { CoverageStacks } from './CoverageStacks';
import { displayShare, shareField, shareFieldConfig } from './shareDisplay';

/** How tall the big number is when other parts share the panel. */
const SHARE_HEIGHT = 120;

export function CoveragePanel({ data, options, fieldConfig, width, height }: PanelProps<CoveragePanelOptions>) {
  const styles = useStyles2(getStyles);
  const opts = { ...DEFAULT_COVERAGE_OPTIONS, ...options };
  const groupBy = useMemo(
    () =>
      opts.groupBy
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    [opts.groupBy]
  );
  const result = useMemo(() => readCoverage(data.series, { groupBy }), [data.series, groupBy]);

  const early = dataState(data);
  if (early) {
    return <div className={styles.fill}>{early}</div>;
  }
  if (result.kind !== 'coverage') {
    return (
      <FrameProblemState
        problem={result}
        emptyTitle="No profile samples in this range"
        wrongShapeTitle="This is not a trace link coverage answer"
      />
    );
  }
  return (
    <div className={styles.panel} style={{ width, height }} data-testid="coverage-panel">
      <CoverageBody
        reading={result}
        options={opts}
        config={shareFieldConfig(fieldConfig.defaults)}
        width={width}
        height={height}
      />
    </div>
  );
}

interface BodyProps {
  reading: CoverageReading;
  options: CoveragePanelOptions;
  config: FieldConfig;
  width: number;
  height: number;
}

function CoverageBody({ reading, options, config, width, height }: BodyProps) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const display = useMemo(
    () => getDisplayProcessor({ field: { type: FieldType.number, config }, theme }),
    [config, theme]
  );
  const formatValue = useMemo(() => {
    const format = getValueFormat(reading.unit);
    return (value: number) => formattedValueToString(format(value));
  }, [reading.unit]);

  const showGroups = options.showGroups && reading.groups.length > 0;
  const showReasons = options.showReasons && reading.topFunctions.length > 0;
  const showStacks = options.showStacks && Boolean(reading.stacks);
  const onlyShare = !showGroups && !showReasons && !showStacks;
  const trend = reading.overall.trend;
  const sparkline =
    options.showTrend && trend && trend.times.length > 1
      ? {
          x: { name: 'time', type: FieldType.time, config: {}, values: trend.times },
          y: shareField('unlinked share', trend.shares, config, theme),
        }
      : undefined;

  return (
    <>
      {options.showShare && (
        <div data-testid="coverage-share" data-share={reading.overall.share ?? ''}>
          {reading.overall.share === undefined && reading.groups.length > 0 ? (
            <div className={styles.caption}>Per {reading.groupLabels.join(', ')} only (an alerting answer)</div>
          ) : (
            <BigValue
              theme={theme}
              width={width}
              height={onlyShare ? height : Math.min(SHARE_HEIGHT, height)}
              value={{
                ...displayShare(display, reading.overall.share),
                title: 'CPU without a trace link',
              }}
              sparkline={sparkline}
              colorMode={BigValueColorMode.Value}
              graphMode={sparkline ? BigValueGraphMode.Area : BigValueGraphMode.None}
              justifyMode={BigValueJustifyMode.Auto}
              textMode={BigValueTextMode.ValueAndName}
            />
          )}
          {reading.overall.unlinked !== undefined && reading.overall.linked !== undefined && (
            <div className={styles.caption}>
              {formatValue(reading.overall.unlinked)} of{' '}
              {formatValue(reading.overall.unlinked + reading.overall.linked)} carry no trace_id label
            </div>
          )}
        </div>
      )}
      {showGroups && (
        <CoverageGroups
          reading={reading}
          order={options.groupOrder}
          display={display}
          config={config}
          showTrend={options.showTrend}
          formatValue={formatValue}
        />
      )}
      {showReasons && (
        <CoverageReasons
          functions={reading.topFunctions.slice(0, Math.max(1, options.reasonsLimit))}
          unlinkedTotal={reading.overall.unlinked}
          formatValue={formatValue}
        />
      )}
      {showStacks && reading.stacks && <CoverageStacks stacks={reading.stacks as DataFrame} />}
      {reading.notices.length > 0 && (
        <div className={styles.caption} data-testid="coverage-notices">
          {reading.notices.join(' ')}
        </div>
      )}
    </>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  fill: css({ width: '100%', height: '100%', overflow: 'auto' }),
  panel: css({
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
    overflowY: 'auto',
    overflowX: 'hidden',
  }),
  caption: css({
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    padding: theme.spacing(0, 1),
  }),
});
