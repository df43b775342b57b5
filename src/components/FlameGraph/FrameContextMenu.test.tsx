import { fireEvent, render, screen } from '@testing-library/react';
import React from 'react';

import { FrameContextMenu } from './FrameContextMenu';

const frame = { name: 'runtime.mallocgc', value: 10, node: 7 };
const aggregate = { name: '12 smaller frames', value: 3, node: -1, otherCount: 12, otherParent: 2 };

function open(datum: typeof frame | typeof aggregate, withSandwich = true) {
  const actions = { onClose: jest.fn(), onZoom: jest.fn(), onHighlight: jest.fn(), onSandwich: jest.fn() };
  render(
    <FrameContextMenu
      datum={datum}
      x={10}
      y={20}
      {...actions}
      onSandwich={withSandwich ? actions.onSandwich : undefined}
    />
  );
  return actions;
}

describe('FrameContextMenu', () => {
  it("offers a function's actions, and each one closes the menu", () => {
    const actions = open(frame);
    expect(screen.getByTestId('frame-menu-title')).toHaveTextContent('runtime.mallocgc');
    fireEvent.click(screen.getByText('Highlight this function everywhere'));
    expect(actions.onHighlight).toHaveBeenCalledWith(7);
    expect(actions.onClose).toHaveBeenCalled();
    fireEvent.click(screen.getByText('Sandwich view: callers and callees'));
    expect(actions.onSandwich).toHaveBeenCalledWith(7);
    fireEvent.click(screen.getByText('Zoom into this frame'));
    expect(actions.onZoom).toHaveBeenCalledWith(frame);
    expect(screen.getByText('Copy function name')).toBeInTheDocument();
  });

  it('offers only zoom on an aggregate of smaller frames, which is no function', () => {
    const actions = open(aggregate);
    expect(screen.queryByText('Highlight this function everywhere')).not.toBeInTheDocument();
    expect(screen.queryByText('Copy function name')).not.toBeInTheDocument();
    fireEvent.click(screen.getByText('Zoom into the parent of these frames'));
    expect(actions.onZoom).toHaveBeenCalledWith(aggregate);
  });

  it('leaves out the sandwich where there is no way back from it', () => {
    open(frame, false);
    expect(screen.queryByText('Sandwich view: callers and callees')).not.toBeInTheDocument();
  });
});
