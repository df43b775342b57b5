import { fireEvent, render, screen } from '@testing-library/react';
import React from 'react';

import type { UnlinkedFunction } from '../domain/unlinkedFunctions';
import { UnlinkedFunctions } from './UnlinkedFunctions';

const fn = (i: number): UnlinkedFunction => ({
  name: `github.com/acme/shop/internal/jobs.Job${i}`,
  unlinked: 100 - i,
  linked: i,
  ownShare: 100 - i,
  ofUnlinked: 5,
  explains: 100 - i,
});
const rows = () => screen.getAllByTestId('coverage-reason').map((r) => r.getAttribute('data-function'));

describe('UnlinkedFunctions', () => {
  it('shows the first ten functions, by full name, and the rest one click away', () => {
    const functions = Array.from({ length: 14 }, (_, i) => fn(i));
    render(<UnlinkedFunctions functions={functions} formatValue={(v) => `${v} ns`} />);
    expect(rows()).toEqual(functions.slice(0, 10).map((f) => f.name));
    expect(screen.getAllByTestId('coverage-reason')[1]).toHaveTextContent('jobs.Job199 ns99.0%');
    fireEvent.click(screen.getByRole('button', { name: 'Show all 14 functions' }));
    expect(rows()).toEqual(functions.map((f) => f.name));
    fireEvent.click(screen.getByRole('button', { name: 'Show the first 10' }));
    expect(rows()).toHaveLength(10);
  });

  it('has no button and no own-share column when there is nothing more to say', () => {
    render(
      <UnlinkedFunctions functions={[{ name: 'main.job', unlinked: 5, explains: 5 }]} formatValue={(v) => `${v} ns`} />
    );
    expect(rows()).toEqual(['main.job']);
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
    expect(screen.queryByTestId('coverage-function-own-share')).not.toBeInTheDocument();
  });
});
