import React, { useState } from 'react';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { dateTime, TimeRange } from '@grafana/data';

import { QueryEditor } from '../components/QueryEditor/QueryEditor';
import { ParcaQuery, QueryType } from '../types';
import { parseProfileTypeId } from '../profileTypes';
import { CPU, giveElementsASize, HEAP, makeDatasource } from '../testing/fixtures';

const range: TimeRange = {
  from: dateTime('2026-11-21T10:00:00Z'),
  to: dateTime('2026-11-21T11:00:00Z'),
  raw: { from: 'now-1h', to: 'now' },
};

beforeAll(giveElementsASize);
// Combobox-driven tests are slow on a loaded 2-core machine.
jest.setTimeout(60_000);

const user = userEvent.setup({ delay: null });

/** Renders the editor the way Explore does: it owns the query and re-renders on change. */
function renderEditor(initial: Partial<ParcaQuery>, datasource = makeDatasource().datasource) {
  const onRunQuery = jest.fn();
  const changes: ParcaQuery[] = [];
  function Host() {
    const [query, setQuery] = useState<ParcaQuery>({ refId: 'A', ...initial });
    return (
      <QueryEditor
        datasource={datasource}
        query={query}
        range={range}
        onRunQuery={onRunQuery}
        onChange={(q) => {
          changes.push(q);
          setQuery(q);
        }}
      />
    );
  }
  render(<Host />);
  return { onRunQuery, changes, last: () => changes[changes.length - 1] };
}

describe('QueryEditor', () => {
  it('offers profile types by name, grouped, and stores the id', async () => {
    const { onRunQuery, last } = renderEditor({ queryType: QueryType.Profile });
    await user.click(screen.getByRole('combobox', { name: 'Profile type' }));
    const option = await screen.findByRole('option', { name: /CPU, nanoseconds/ });
    expect(screen.getByText('Process CPU (pprof)')).toBeInTheDocument();
    expect(screen.getByRole('option', { name: /In-use memory, bytes/ })).toBeInTheDocument();
    await user.click(option);
    expect(last().profileType).toBe(CPU);
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('autocompletes label names and values and writes the matcher into the selector', async () => {
    const { datasource, getLabelValues } = makeDatasource();
    const { last } = renderEditor({ queryType: QueryType.Profile, profileType: CPU, labelSelector: '{}' }, datasource);

    await user.click(screen.getByRole('combobox', { name: 'Label name' }));
    await user.click(await screen.findByRole('option', { name: /service_name/ }));
    await user.click(screen.getByRole('combobox', { name: 'Label value' }));
    await user.click(await screen.findByRole('option', { name: 'checkout' }));

    expect(getLabelValues).toHaveBeenCalledWith('service_name', expect.objectContaining({ profileType: CPU }));
    expect(last().labelSelector).toBe('{service_name="checkout"}');
    expect(screen.getByRole('textbox', { name: 'Label selector' })).toHaveValue('{service_name="checkout"}');
  });

  it('narrows value suggestions by the other matchers already in the selector', async () => {
    const { datasource, getLabelValues } = makeDatasource({ service_name: ['checkout'] });
    renderEditor(
      { queryType: QueryType.Profile, profileType: CPU, labelSelector: '{job="shop", service_name="x"}' },
      datasource
    );
    await user.click(screen.getByRole('combobox', { name: 'Label name' }));
    await user.click(await screen.findByRole('option', { name: /service_name/ }));
    await user.click(screen.getByRole('combobox', { name: 'Label value' }));
    await screen.findByRole('option', { name: 'checkout' });
    expect(getLabelValues).toHaveBeenCalledWith(
      'service_name',
      expect.objectContaining({ labelSelector: '{job="shop"}' })
    );
  });

  it('never lists trace_id values: they are typed', async () => {
    const { datasource, getLabelValues } = makeDatasource({ trace_id: ['should-not-appear'] });
    const { last } = renderEditor({ queryType: QueryType.Profile, profileType: CPU, labelSelector: '' }, datasource);

    await user.click(screen.getByRole('combobox', { name: 'Label name' }));
    const listbox = await screen.findByRole('listbox');
    expect(within(listbox).queryByRole('option', { name: /__name__/ })).not.toBeInTheDocument();
    await user.click(within(listbox).getByRole('option', { name: /trace_id/ }));

    const value = screen.getByRole('combobox', { name: 'Label value' });
    expect(value).toHaveAttribute('placeholder', 'type the trace_id (not listed)');
    // Pasted, as ids usually are; typing 32 keystrokes into the combobox only makes the test slow.
    await user.click(value);
    await user.paste('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(screen.queryByText('should-not-appear')).not.toBeInTheDocument();
    await user.keyboard('{Enter}');
    expect(getLabelValues).not.toHaveBeenCalled();
    expect(last().labelSelector).toBe('{trace_id="4bf92f3577b34da6a3ce929d0e0e4736"}');
  });

  it('says what is wrong with a bad selector and does not run it', async () => {
    const { onRunQuery } = renderEditor({ queryType: QueryType.Profile, profileType: CPU, labelSelector: '' });
    const input = screen.getByRole('textbox', { name: 'Label selector' });
    await user.type(input, '{{service_name=checkout}');
    await user.tab();
    expect(await screen.findByText(/the value of service_name must be quoted/)).toBeInTheDocument();
    expect(onRunQuery).not.toHaveBeenCalled();
  });

  it('validates trace and span ids', async () => {
    const { last } = renderEditor({ queryType: QueryType.Profile, profileType: CPU });
    await user.type(screen.getByRole('textbox', { name: 'Trace ID' }), 'ABC');
    await user.tab();
    expect(await screen.findByText(/A trace id has 32 hex characters/)).toBeInTheDocument();
    expect(last().traceId).toBe('abc');
    await user.type(screen.getByRole('textbox', { name: 'Span ID' }), '00f067aa0ba902b7zz');
    await user.tab();
    expect(await screen.findByText(/A span id has 16 hex characters/)).toBeInTheDocument();
  });

  it('shows the options of each query type', async () => {
    renderEditor({ queryType: QueryType.Diff, profileType: CPU });
    expect(screen.getByRole('textbox', { name: 'Baseline offset' })).toHaveValue('1h');
    expect(screen.getByRole('spinbutton', { name: 'Node trim' })).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Function' })).toBeInTheDocument();
    expect(screen.queryByRole('combobox', { name: 'Group by' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('radio', { name: 'Metrics' }));
    expect(screen.queryByRole('textbox', { name: 'Function' })).not.toBeInTheDocument();
    expect(await screen.findByRole('combobox', { name: 'Group by' })).toBeInTheDocument();
  });

  it('leaves trace_id and span_id out of group-by', async () => {
    renderEditor({ queryType: QueryType.Metrics, profileType: CPU });
    await user.click(screen.getByRole('combobox', { name: 'Group by' }));
    await waitFor(() => expect(screen.getByRole('option', { name: 'service_name' })).toBeInTheDocument());
    expect(screen.queryByRole('option', { name: 'trace_id' })).not.toBeInTheDocument();
    expect(screen.queryByRole('option', { name: 'span_id' })).not.toBeInTheDocument();
  });

  it('starts a new query with the first CPU type and runs it', async () => {
    const { datasource, getProfileTypes } = makeDatasource();
    getProfileTypes.mockResolvedValue([HEAP, CPU].map((id) => parseProfileTypeId(id)!));
    const { onRunQuery, last } = renderEditor({ queryType: QueryType.Profile }, datasource);
    await waitFor(() => expect(last()?.profileType).toBe(CPU));
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('says what to do when Parca holds no profile types', async () => {
    const { datasource, getProfileTypes } = makeDatasource();
    getProfileTypes.mockResolvedValue([]);
    const { onRunQuery } = renderEditor({ queryType: QueryType.Profile }, datasource);
    expect(
      await screen.findByText(/Parca holds no profiles in this time range: widen the time range/)
    ).toBeInTheDocument();
    expect(onRunQuery).not.toHaveBeenCalled();
  });
});
