import { createTheme } from '@grafana/data';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import { createFlamePalette } from './colors';
import { FlameGraph } from './FlameGraph';
import { shortFunctionName } from './format';
import { frameFrom } from './testing/frames';
import { TopFunctionsTable } from './TopFunctionsTable';

const LONG = 'github.com/spanflame/spanflame/demo/shop/internal/service.(*Server).handle';

describe('TopFunctionsTable', () => {
  it('shows the end of a long Go name, with the whole name on hover', () => {
    render(
      <TopFunctionsTable
        functions={[{ nameId: 0, name: LONG, self: 5, total: 10 }]}
        rootTotal={10}
        format={String}
        palette={createFlamePalette(createTheme())}
        onSelect={() => {}}
        onSandwich={() => {}}
      />
    );
    const cell = screen.getByTitle(LONG);
    expect(cell).toHaveTextContent(/^service\.\(\*Server\)\.handle$/);
  });

  it('cuts names at the package path only', () => {
    expect(shortFunctionName('runtime/internal/syscall.Syscall6')).toBe('syscall.Syscall6');
    expect(shortFunctionName('github.com/a/pkg.Map[go.shape.*github.com/x/y.T]')).toBe(
      'pkg.Map[go.shape.*github.com/x/y.T]'
    );
    expect(shortFunctionName('main.main')).toBe('main.main');
  });
});

describe('flame graph search', () => {
  it('says that a /regex/ is invalid instead of only finding nothing', async () => {
    const user = userEvent.setup({ delay: null });
    render(<FlameGraph data={frameFrom(['total', 0, [['main.main', 5, [['main.work', 10]]]]], { unit: 'ns' })} />);
    await user.type(screen.getByTestId('flame-search'), '/(/');
    expect(await screen.findByTestId('search-invalid-regex')).toHaveTextContent(
      'Not a valid regular expression (Unterminated group)'
    );
    expect(screen.getByTestId('search-summary')).toHaveTextContent('0 functions');
  });
});
