import { fireEvent, render, screen } from '@testing-library/react';
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

  it('opens at a kept zoom path and reports zooming out, so a caller can keep it in a URL', () => {
    const onZoomPathChange = jest.fn();
    const { rerender } = render(
      <FlameGraph data={profile} zoomPath={['main.main', 'main.work']} onZoomPathChange={onZoomPathChange} />
    );
    expect(screen.getByTestId('zoom-path')).toHaveTextContent('main.work');
    fireEvent.click(screen.getByRole('button', { name: 'main.main' }));
    expect(onZoomPathChange).toHaveBeenLastCalledWith(['main.main']);
    // The caller's back button: a new kept path moves the view.
    rerender(<FlameGraph data={profile} zoomPath={[]} onZoomPathChange={onZoomPathChange} />);
    expect(screen.queryByTestId('zoom-path')).not.toBeInTheDocument();
  });
});
