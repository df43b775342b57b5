import { FieldType } from '@grafana/data';
import { render, screen } from '@testing-library/react';
import React from 'react';

import { recordedFrames } from '../../coverage/testing/frames';
import { emptyAnswer, panelProps } from '../../shared/testing/panelProps';
import { DEFAULT_FLAMEGRAPH_OPTIONS, type FlameGraphPanelOptions } from '../types';
import { FlameGraphPanel } from './FlameGraphPanel';

const options = DEFAULT_FLAMEGRAPH_OPTIONS;

describe('FlameGraphPanel', () => {
  it("draws the backend's recorded profile with search, table toggle and status", () => {
    render(<FlameGraphPanel {...panelProps(options, recordedFrames('profile_checkout'))} />);
    expect(screen.getByTestId('flamegraph-panel')).toBeInTheDocument();
    expect(screen.getByTestId('flame-search')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /table/i })).toBeInTheDocument();
  });

  it('finds the flame graph among other frames (the coverage query answers with four)', () => {
    render(<FlameGraphPanel {...panelProps(options, recordedFrames('coverage_payments'))} />);
    expect(screen.getByTestId('flame-graph')).toBeInTheDocument();
    // The stacks frame's own notice (Parca's trim threshold) shows above the graph.
    expect(screen.getByTestId('flame-notice')).toHaveTextContent('node trim threshold');
  });

  it('draws a frame from another datasource with a string label field', () => {
    const frame = {
      name: 'pyroscope',
      fields: [
        { name: 'level', type: FieldType.number, config: {}, values: [0, 1] },
        { name: 'value', type: FieldType.number, config: {}, values: [10, 10] },
        { name: 'self', type: FieldType.number, config: {}, values: [0, 10] },
        { name: 'label', type: FieldType.string, config: {}, values: ['total', 'main'] },
      ],
      length: 2,
    };
    render(
      <FlameGraphPanel {...panelProps<FlameGraphPanelOptions>({ ...options, showFlameGraphOnly: true }, [frame])} />
    );
    expect(screen.getByTestId('flame-graph')).toBeInTheDocument();
    expect(screen.queryByTestId('flame-search')).not.toBeInTheDocument();
  });

  it('says what a flame graph needs when given a time series', () => {
    render(<FlameGraphPanel {...panelProps(options, recordedFrames('metrics_by_service'))} />);
    const state = screen.getByTestId('panel-state-wrong-shape');
    expect(state).toHaveTextContent('needs a frame with the fields level, value, self, label');
    expect(state).toHaveTextContent('Choose a profile (flame graph) query');
  });

  it('names a field of the wrong type', () => {
    const frame = {
      name: 'odd',
      fields: [
        { name: 'level', type: FieldType.string, config: {}, values: ['0'] },
        { name: 'value', type: FieldType.number, config: {}, values: [1] },
        { name: 'self', type: FieldType.number, config: {}, values: [1] },
        { name: 'label', type: FieldType.string, config: {}, values: ['total'] },
      ],
      length: 1,
    };
    render(<FlameGraphPanel {...panelProps(options, [frame])} />);
    expect(screen.getByTestId('panel-state-wrong-shape')).toHaveTextContent('Field "level" holds string values');
  });

  it('says a chosen frame is not there, and which frames are', () => {
    render(
      <FlameGraphPanel
        {...panelProps<FlameGraphPanelOptions>({ ...options, frame: 'B' }, recordedFrames('profile_checkout'))}
      />
    );
    expect(screen.getByTestId('panel-state-wrong-shape')).toHaveTextContent('No frame or query named "B"');
  });

  it('says the query failed, with its message', () => {
    const errors = [{ refId: 'A', message: 'profile type "nope" is not known; known types: process_cpu:…' }];
    render(<FlameGraphPanel {...panelProps(options, [], { errors })} />);
    expect(screen.getByTestId('panel-state-error')).toHaveTextContent('Query A: profile type "nope" is not known');
  });

  it('says there were no samples, with the notice as the reason', () => {
    const empty = emptyAnswer('profile', 'No samples match {service_name="idle"}.');
    render(<FlameGraphPanel {...panelProps(options, [empty])} />);
    expect(screen.getByTestId('panel-state-empty')).toHaveTextContent('No samples match {service_name="idle"}.');
  });
});
