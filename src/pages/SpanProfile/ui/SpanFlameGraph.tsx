/**
 * The flame graph of its $data, drawn by Spanflame's FlameGraph.
 *
 * TODO(fe-foundations): replace with the shared SceneFlameGraph once h/fe-foundations lands; this
 * is the smallest scene object that does the same job, kept inside the span page until then.
 */
import { type DataFrame, LoadingState } from '@grafana/data';
import { type SceneComponentProps, sceneGraph, SceneObjectBase, type SceneObjectState } from '@grafana/scenes';
import React from 'react';

import { FlameGraph } from '../../../components/FlameGraph';

export type SpanFlameGraphState = SceneObjectState;

export class SpanFlameGraph extends SceneObjectBase<SpanFlameGraphState> {
  static Component = SpanFlameGraphRenderer;
}

function flameFrame(series: DataFrame[] | undefined): DataFrame | undefined {
  return series?.find((f) => f.meta?.preferredVisualisationType === 'flamegraph') ?? series?.find((f) => f.length > 0);
}

function SpanFlameGraphRenderer({ model }: SceneComponentProps<SpanFlameGraph>) {
  const { data } = sceneGraph.getData(model).useState();
  const loading = !data || data.state === LoadingState.Loading || data.state === LoadingState.NotStarted;
  return (
    <div data-testid="span-flame-graph">
      <FlameGraph data={flameFrame(data?.series)} loading={loading} />
    </div>
  );
}
