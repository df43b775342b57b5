import { getDefaultTimeRange, LoadingState, type PanelData } from '@grafana/data';
import { SceneDataNode } from '@grafana/scenes';
import { act, render, screen } from '@testing-library/react';
import React from 'react';

import { frameFrom } from '../testing/frames';
import { SceneFlameGraph } from './SceneFlameGraph';

const profile = frameFrom(['total', 0, [['main.main', 5, [['main.work', 10]]]]], { unit: 'ns' });

function panelData(partial: Partial<PanelData>): PanelData {
  return { state: LoadingState.Done, series: [], timeRange: getDefaultTimeRange(), ...partial };
}

function renderScene(data: PanelData, state: Partial<ConstructorParameters<typeof SceneFlameGraph>[0]> = {}) {
  const dataNode = new SceneDataNode({ data });
  const scene = new SceneFlameGraph({ $data: dataNode, ...state });
  render(<scene.Component model={scene} />);
  return { scene, dataNode };
}

describe('SceneFlameGraph', () => {
  it('draws the flame graph frame of its $data', () => {
    renderScene(panelData({ series: [profile] }));
    expect(screen.getByTestId('flame-graph')).toBeInTheDocument();
  });

  it('shows loading until the runner answers, then the answer', () => {
    const { dataNode } = renderScene(panelData({ state: LoadingState.Loading }));
    expect(screen.getByTestId('flame-loading')).toBeInTheDocument();
    act(() => dataNode.setState({ data: panelData({ series: [profile] }) }));
    expect(screen.getByTestId('flame-graph')).toBeInTheDocument();
  });

  it('says what failed', () => {
    renderScene(panelData({ state: LoadingState.Error, errors: [{ message: 'Parca did not answer within 30s' }] }));
    expect(screen.getByTestId('flame-error')).toHaveTextContent('Parca did not answer within 30s');
  });

  it('shows an empty answer as an empty state with the notice that says why', () => {
    const empty = { ...frameFrom(['total', 0]), length: 0, fields: [] };
    const notice = {
      ...empty,
      meta: { notices: [{ severity: 'info' as const, text: 'No samples for process_cpu{service_name="x"}.' }] },
    };
    renderScene(panelData({ series: [notice] }));
    expect(screen.getByTestId('flame-empty')).toHaveTextContent('No samples for process_cpu{service_name="x"}.');
    expect(screen.queryByTestId('flame-error')).not.toBeInTheDocument();
  });

  it('keeps the zoom in the URL under its key only', () => {
    const withKey = new SceneFlameGraph({ zoomUrlKey: 'zoom' });
    withKey.setZoomPath(['main.main', 'main.work']);
    expect(withKey.getUrlState()).toEqual({ zoom: 'main.main;main.work' });
    withKey.updateFromUrl({ zoom: 'main.main' });
    expect(withKey.state.zoom).toBe('main.main');
    withKey.setZoomPath([]);
    expect(withKey.getUrlState()).toEqual({ zoom: undefined });
    expect(new SceneFlameGraph({ zoom: 'a' }).getUrlState()).toEqual({});
  });
});
