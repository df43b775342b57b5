import { css } from '@emotion/css';
import { type DataFrame, type GrafanaTheme2 } from '@grafana/data';
import { Alert, EmptyState, LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import React, { useMemo } from 'react';

import { buildProfileTree, type ProfileTree } from './profileTree';
import { ProfileView } from './ProfileView';

export interface FlameGraphProps {
  /** Grafana's flame graph frame: level, value, self, label (+ valueRight, selfRight for a diff). */
  data?: DataFrame;
  loading?: boolean;
  error?: string | Error;
  /** Show the functions table beside the graph (it can also be toggled in the header). */
  showTable?: boolean;
  /** Frames narrower than this many pixels are folded into "other" frames. */
  minFramePx?: number;
  /**
   * Only the chart (zoom, tooltips and keyboard still work): no header, table or status line. For
   * small panels; named after @grafana/flamegraph's prop of the same meaning.
   */
  showFlameGraphOnly?: boolean;
  /**
   * What the datasource said about the answer (why it is empty, what it left out). Defaults to the
   * frame's own `meta.notices`; a caller with several frames (notice-only ones too) passes them all.
   */
  notices?: string[];
  /**
   * The zoomed frame as names from the root down (see namePathOf). With `onZoomPathChange` the zoom
   * is the caller's to keep (a URL, say) and survives new data wherever the path still leads.
   */
  zoomPath?: readonly string[];
  onZoomPathChange?: (path: string[]) => void;
}

type TreeResult = { tree: ProfileTree } | { error: string } | undefined;

function useProfileTree(data: DataFrame | undefined): TreeResult {
  return useMemo(() => {
    if (!data || data.fields.length === 0 || (data.fields[0]?.values.length ?? 0) === 0) {
      return undefined;
    }
    try {
      return { tree: buildProfileTree(data) };
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
  }, [data]);
}

export { ZOOM_PATH_SEPARATOR } from './ProfileView';

/**
 * Spanflame's flame graph: d3-flame-graph drawing only what is at least a pixel wide, with exact
 * totals, search, zoom, tooltips, a functions table, diff colours and a sandwich view.
 */
export function FlameGraph({
  data,
  loading,
  error,
  showTable: showTableProp = true,
  minFramePx = 1,
  showFlameGraphOnly = false,
  notices: noticesProp,
  zoomPath,
  onZoomPathChange,
}: FlameGraphProps) {
  const styles = useStyles2(getStyles);
  const result = useProfileTree(data);
  if (error) {
    return (
      <Alert severity="error" title="Could not load the profile" data-testid="flame-error">
        {typeof error === 'string' ? error : error.message}
      </Alert>
    );
  }
  if (result && 'error' in result) {
    return (
      <Alert severity="error" title="This is not a flame graph frame" data-testid="flame-error">
        {result.error}
      </Alert>
    );
  }
  if (loading && !result) {
    return <LoadingPlaceholder text="Loading profile…" className={styles.loading} data-testid="flame-loading" />;
  }
  // The datasource explains what it left out (e.g. Parca's node trim threshold), or why nothing
  // came back, in frame notices.
  const notices = noticesProp ?? (data?.meta?.notices ?? []).map((notice) => notice.text);
  if (!result || result.tree.total[0] <= 0) {
    return (
      <div data-testid="flame-empty">
        <EmptyState variant="not-found" message="No profile samples" hideImage>
          {notices.length > 0
            ? notices.join(' ')
            : 'Nothing was sampled in this time range and selection. Widen the range or check the profile type.'}
        </EmptyState>
      </div>
    );
  }
  return (
    <>
      {notices.map((text) => (
        <div key={text} className={styles.notice} data-testid="flame-notice">
          {text}
        </div>
      ))}
      <ProfileView
        tree={result.tree}
        showTableInitially={showTableProp && !showFlameGraphOnly}
        minFramePx={minFramePx}
        loading={loading}
        chartOnly={showFlameGraphOnly}
        zoomPath={zoomPath}
        onZoomPathChange={onZoomPathChange}
      />
    </>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  loading: css({ padding: theme.spacing(2) }),
  notice: css({
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    marginBottom: theme.spacing(0.5),
    // A notice may quote a whole selector (the why-slow diff names dozens of trace ids): wrap it
    // anywhere rather than widen the page to thousands of pixels.
    overflowWrap: 'anywhere',
  }),
});
