import { render, screen } from '@testing-library/react';
import React from 'react';

import { FlameGraph } from './FlameGraph';
import { frameFrom } from './testing/frames';

const profile = frameFrom(['total', 0, [['main.main', 5, [['main.work', 10]]]]], { unit: 'ns' });

describe('FlameGraph', () => {
  it('shows search, table toggle and status around the chart by default', () => {
    render(<FlameGraph data={profile} />);
    expect(screen.getByTestId('flame-search')).toBeInTheDocument();
    expect(screen.getByTestId('flame-status')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /table/i })).toBeInTheDocument();
  });

  it('draws only the chart with showFlameGraphOnly, as a small panel would want', () => {
    render(<FlameGraph data={profile} showFlameGraphOnly />);
    expect(screen.getByTestId('flame-graph')).toBeInTheDocument();
    expect(screen.queryByTestId('flame-search')).not.toBeInTheDocument();
    expect(screen.queryByTestId('flame-status')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /table/i })).not.toBeInTheDocument();
  });
});
