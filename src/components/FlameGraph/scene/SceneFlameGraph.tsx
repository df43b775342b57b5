import {
  sceneGraph,
  type SceneComponentProps,
  SceneObjectBase,
  type SceneObjectState,
  SceneObjectUrlSyncConfig,
  type SceneObjectUrlValues,
} from '@grafana/scenes';
import React, { useCallback, useMemo } from 'react';

import { FlameGraph, ZOOM_PATH_SEPARATOR } from '../FlameGraph';
import { flameGraphData } from './flameGraphData';

export interface SceneFlameGraphState extends SceneObjectState {
  /** The zoomed frame: names from the root down, joined by ";" as in folded stacks. Unset is the root. */
  zoom?: string;
  /**
   * The URL key the zoom is kept under, so a reload or a shared link opens at the same frame.
   * Unset keeps the zoom out of the URL (two flame graphs on one page need two keys).
   */
  zoomUrlKey?: string;
  showTable?: boolean;
  minFramePx?: number;
  showFlameGraphOnly?: boolean;
}

/**
 * Spanflame's d3 flame graph as a scene object: it draws the flame graph frame of its `$data`
 * (a SceneQueryRunner, usually) and shows loading, errors, and empty answers with the
 * datasource's notices. Loading, cancellation, refresh and time range are the runner's.
 */
export class SceneFlameGraph extends SceneObjectBase<SceneFlameGraphState> {
  static Component = SceneFlameGraphRenderer;

  protected _urlSync = new SceneObjectUrlSyncConfig(this, {
    keys: () => (this.state.zoomUrlKey ? [this.state.zoomUrlKey] : []),
  });

  getUrlState(): SceneObjectUrlValues {
    const key = this.state.zoomUrlKey;
    return key ? { [key]: this.state.zoom || undefined } : {};
  }

  updateFromUrl(values: SceneObjectUrlValues) {
    const key = this.state.zoomUrlKey;
    if (!key) {
      return;
    }
    const value = values[key];
    const zoom = typeof value === 'string' && value !== '' ? value : undefined;
    if (zoom !== this.state.zoom) {
      this.setState({ zoom });
    }
  }

  setZoomPath = (path: string[]) => {
    const zoom = path.length > 0 ? path.join(ZOOM_PATH_SEPARATOR) : undefined;
    if (zoom !== this.state.zoom) {
      this.setState({ zoom });
    }
  };
}

function SceneFlameGraphRenderer({ model }: SceneComponentProps<SceneFlameGraph>) {
  const { zoom, showTable, minFramePx, showFlameGraphOnly } = model.useState();
  const { data } = sceneGraph.getData(model).useState();
  const view = useMemo(() => flameGraphData(data), [data]);
  const zoomPath = useMemo(() => (zoom ? zoom.split(ZOOM_PATH_SEPARATOR) : []), [zoom]);
  const onZoomPathChange = useCallback((path: string[]) => model.setZoomPath(path), [model]);
  return (
    <FlameGraph
      data={view.frame}
      loading={view.loading}
      error={view.error}
      notices={view.notices}
      showTable={showTable}
      minFramePx={minFramePx}
      showFlameGraphOnly={showFlameGraphOnly}
      zoomPath={zoomPath}
      onZoomPathChange={onZoomPathChange}
    />
  );
}
