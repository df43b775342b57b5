import { css } from '@emotion/css';
import { type GrafanaTheme2, LoadingState, type PanelProps } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import React, { useMemo } from 'react';

import { FlameGraph } from '../../../components/FlameGraph';
import { dataState, FrameProblemState } from '../../shared/PanelState';
import { pickFlameFrame } from '../domain/pickFlameFrame';
import { DEFAULT_FLAMEGRAPH_OPTIONS, type FlameGraphPanelOptions } from '../types';

/** Spanflame's flame graph (search, zoom, functions table, sandwich) in a dashboard panel. */
export function FlameGraphPanel({ data, options, width, height }: PanelProps<FlameGraphPanelOptions>) {
  const styles = useStyles2(getStyles);
  const opts = { ...DEFAULT_FLAMEGRAPH_OPTIONS, ...options };
  const pick = useMemo(() => pickFlameFrame(data.series, opts.frame.trim()), [data.series, opts.frame]);

  const early = dataState(data);
  if (early) {
    return early;
  }
  if (pick.kind !== 'frame') {
    return (
      <FrameProblemState
        problem={pick}
        emptyTitle="No profile samples"
        wrongShapeTitle="This is not a flame graph frame"
      />
    );
  }
  return (
    <div className={styles.panel} style={{ width, height }} data-testid="flamegraph-panel">
      <FlameGraph
        data={pick.frame}
        loading={data.state === LoadingState.Loading}
        showTable={opts.showTable}
        showFlameGraphOnly={opts.showFlameGraphOnly}
        minFramePx={Math.max(0.5, opts.minFramePx)}
      />
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  panel: css({ overflowY: 'auto', overflowX: 'hidden', paddingRight: theme.spacing(0.5) }),
});
