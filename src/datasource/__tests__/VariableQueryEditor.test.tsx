import React, { useState } from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { VariableQueryEditor } from '../components/VariableQueryEditor';
import { ParcaVariableQuery, VariableQueryType } from '../types';
import { CPU, giveElementsASize, makeDatasource } from '../testing/fixtures';

beforeAll(giveElementsASize);
// Combobox-driven tests are slow on a loaded 2-core machine.
jest.setTimeout(60_000);
const user = userEvent.setup({ delay: null });

function renderEditor(initial: ParcaVariableQuery) {
  const { datasource } = makeDatasource();
  const changes: ParcaVariableQuery[] = [];
  function Host() {
    const [query, setQuery] = useState(initial);
    return (
      <VariableQueryEditor
        datasource={datasource}
        query={query}
        onRunQuery={jest.fn()}
        onChange={(q) => {
          changes.push(q);
          setQuery(q);
        }}
      />
    );
  }
  render(<Host />);
  return { last: () => changes[changes.length - 1] };
}

describe('VariableQueryEditor', () => {
  it('builds a label-values variable without offering trace_id or span_id', async () => {
    const { last } = renderEditor({ refId: 'v', type: VariableQueryType.ProfileTypes });
    expect(screen.queryByRole('combobox', { name: 'Profile type' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('radio', { name: 'Label values' }));
    await user.click(screen.getByRole('combobox', { name: 'Profile type' }));
    await user.click(await screen.findByRole('option', { name: /CPU, nanoseconds/ }));
    await user.click(screen.getByRole('combobox', { name: 'Label name' }));
    expect(await screen.findByRole('option', { name: 'service_name' })).toBeInTheDocument();
    expect(screen.queryByRole('option', { name: /trace_id/ })).not.toBeInTheDocument();
    await user.click(screen.getByRole('option', { name: 'service_name' }));

    const selector = screen.getByRole('textbox', { name: 'Variable label selector' });
    await user.type(selector, '{{env="prod"}');
    await user.tab();
    expect(last()).toEqual({
      refId: 'v',
      type: VariableQueryType.LabelValues,
      profileType: CPU,
      labelName: 'service_name',
      labelSelector: '{env="prod"}',
    });
  });
});
