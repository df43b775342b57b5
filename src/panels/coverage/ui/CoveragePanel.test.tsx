import { createTheme, FieldType, ThresholdsMode } from '@grafana/data';
import { render, screen, within } from '@testing-library/react';
import React from 'react';

import { emptyAnswer, panelProps } from '../../shared/testing/panelProps';
import { groupedCoverage, recordedFrames } from '../testing/frames';
import { DEFAULT_COVERAGE_OPTIONS } from '../types';
import { CoveragePanel } from './CoveragePanel';

// The trend is drawn by uPlot on a canvas, which jsdom lacks; the browser tests cover it.
const options = { ...DEFAULT_COVERAGE_OPTIONS, showTrend: false };

// BigValue sizes its text with a canvas's measureText; jsdom has no canvas. A fixed width per
// character is enough to lay it out.
const realGetContext = HTMLCanvasElement.prototype.getContext;
beforeAll(() => {
  HTMLCanvasElement.prototype.getContext = (() => ({
    font: '',
    measureText: (text: string) => ({ width: text.length * 8 }),
  })) as unknown as typeof realGetContext;
});
afterAll(() => {
  HTMLCanvasElement.prototype.getContext = realGetContext;
});

describe('CoveragePanel', () => {
  it("shows the backend's recorded share and the functions the unlinked CPU runs under", () => {
    render(<CoveragePanel {...panelProps(options, recordedFrames('coverage_payments'))} />);
    expect(screen.getByTestId('coverage-share')).toHaveTextContent('31.6%');
    expect(screen.getByTestId('coverage-share')).toHaveTextContent('2.35 s of 7.43 s carry no trace_id label');
    const reasons = screen.getAllByTestId('coverage-reason').map((r) => r.textContent);
    expect(reasons).toHaveLength(5);
    expect(reasons.join('\n')).toMatch(/hotpath\.ReindexInventory/);
    // Without group-by there are no rows per group.
    expect(screen.queryByTestId('coverage-groups')).not.toBeInTheDocument();
  });

  it('colours each service by the panel thresholds', () => {
    const theme = createTheme();
    const fieldConfig = {
      defaults: {
        thresholds: {
          mode: ThresholdsMode.Absolute,
          // As dashboard JSON stores it: the base step's value is null.
          steps: [
            { value: null as unknown as number, color: 'green' },
            { value: 40, color: 'red' },
          ],
        },
      },
      overrides: [],
    };
    render(<CoveragePanel {...panelProps(options, groupedCoverage(), { fieldConfig })} />);
    const rows = screen.getAllByTestId('coverage-group');
    expect(rows.map((r) => r.getAttribute('data-group'))).toEqual(['checkout', 'frontend', 'payments']);
    const shareCell = (row: HTMLElement) => within(row).getByText(/%$/);
    expect(shareCell(rows[0])).toHaveTextContent('50.0%');
    expect(shareCell(rows[0])).toHaveStyle({ color: theme.visualization.getColorByName('red') });
    expect(shareCell(rows[2])).toHaveTextContent('0.0%');
    expect(shareCell(rows[2])).toHaveStyle({ color: theme.visualization.getColorByName('green') });
  });

  it('hides the parts the options turn off', () => {
    const off = { ...options, showGroups: false, showReasons: false };
    render(<CoveragePanel {...panelProps(off, groupedCoverage())} />);
    expect(screen.getByTestId('coverage-share')).toBeInTheDocument();
    expect(screen.queryByTestId('coverage-groups')).not.toBeInTheDocument();
    expect(screen.queryByTestId('coverage-reasons')).not.toBeInTheDocument();
  });

  it('says the query failed, with its message', () => {
    const errors = [{ refId: 'A', message: 'Parca at http://parca:7070 did not answer within 30s' }];
    render(<CoveragePanel {...panelProps(options, [], { errors })} />);
    expect(screen.getByTestId('panel-state-error')).toHaveTextContent(
      'Query A: Parca at http://parca:7070 did not answer within 30s'
    );
  });

  it('says there were no samples, with the backend notice as the reason', () => {
    const empty = emptyAnswer('missing trace link share', 'No samples match {service_name="nope"}.');
    render(<CoveragePanel {...panelProps(options, [empty])} />);
    expect(screen.getByTestId('panel-state-empty')).toHaveTextContent('No samples match {service_name="nope"}.');
  });

  it('says what to change when the query is not a coverage query', () => {
    render(<CoveragePanel {...panelProps(options, recordedFrames('table_checkout'))} />);
    expect(screen.getByTestId('panel-state-wrong-shape')).toHaveTextContent('Set the query type to Coverage');
  });

  it('says which group-by label is missing', () => {
    const series = [
      {
        name: 'x',
        fields: [
          { name: 'time', type: FieldType.time, config: {}, values: [1] },
          { name: 'linked', type: FieldType.number, config: {}, values: [1] },
          { name: 'unlinked', type: FieldType.number, config: {}, values: [1] },
        ],
        length: 1,
      },
    ];
    render(<CoveragePanel {...panelProps({ ...options, groupBy: 'service_name' }, series)} />);
    expect(screen.getByTestId('panel-state-wrong-shape')).toHaveTextContent('groups by "service_name"');
  });
});
