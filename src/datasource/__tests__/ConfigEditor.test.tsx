import React, { useState } from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { DataSourceSettings } from '@grafana/data';

import { ConfigEditor, validateParcaURL } from '../components/ConfigEditor';
import type { ParcaOptions, ParcaSecureJsonData } from '../types';

type Settings = DataSourceSettings<ParcaOptions, ParcaSecureJsonData>;

const user = userEvent.setup({ delay: null });
// Combobox-driven tests are slow on a loaded 2-core machine.
jest.setTimeout(60_000);

const SAVED: Settings = {
  id: 1,
  uid: 'parca',
  orgId: 1,
  name: 'Parca',
  type: 'spanflame-parca-datasource',
  typeName: 'Spanflame Parca',
  typeLogoUrl: '',
  access: 'proxy',
  url: 'http://parca:7070',
  user: '',
  // Required by the DataSourceSettings type, though deprecated.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  database: '',
  basicAuth: false,
  basicAuthUser: '',
  isDefault: false,
  jsonData: { authType: 'bearer' },
  // What Grafana sends back for a saved token: that it exists, never the value.
  secureJsonFields: { bearerToken: true },
  readOnly: false,
  withCredentials: false,
};

/** Renders the editor as Grafana's settings page does: it owns the settings and re-renders. */
function renderEditor(initial: Settings = SAVED) {
  const changes: Settings[] = [];
  function Host() {
    const [options, setOptions] = useState(initial);
    return (
      <ConfigEditor
        options={options}
        onOptionsChange={(next) => {
          changes.push(next);
          setOptions(next);
        }}
      />
    );
  }
  render(<Host />);
  return { last: () => changes[changes.length - 1] };
}

describe('ConfigEditor', () => {
  it('shows a saved secret only as "configured", and Reset clears it for a new value', async () => {
    const { last } = renderEditor();
    const token = screen.getByDisplayValue('configured');
    expect(token).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Reset' }));
    expect(last().secureJsonFields.bearerToken).toBe(false);
    const empty = screen.getByLabelText(/^Token/);
    expect(empty).toBeEnabled();
    expect(empty).toHaveValue('');
    await user.type(empty, 'abc');
    expect(last().secureJsonData?.bearerToken).toBe('abc');
  });

  it('puts a new secret in secureJsonData, never in jsonData', async () => {
    const { last } = renderEditor({ ...SAVED, jsonData: {}, secureJsonFields: {} });
    await user.click(screen.getByRole('radio', { name: 'Basic authentication' }));
    await user.type(screen.getByLabelText('User'), 'admin');
    await user.type(screen.getByLabelText('Password'), 's3cret');
    const settings = last();
    expect(settings.basicAuth).toBe(true);
    expect(settings.basicAuthUser).toBe('admin');
    expect(settings.jsonData.authType).toBe('basic');
    expect(settings.secureJsonData?.basicAuthPassword).toBe('s3cret');
    expect(JSON.stringify(settings.jsonData)).not.toContain('s3cret');
  });

  it('says what is wrong with the URL once the field is left', async () => {
    renderEditor({ ...SAVED, url: '' });
    const url = screen.getByLabelText(/^URL/);
    await user.type(url, 'parca:7070');
    await user.tab();
    expect(await screen.findByText(/Parca answers over http or https/)).toBeInTheDocument();
  });

  it('keeps timeout and service label in jsonData', async () => {
    const { last } = renderEditor();
    await user.type(screen.getByLabelText(/^Timeout/), '45');
    await user.type(screen.getByLabelText(/^Service label/), 'service');
    expect(last().jsonData).toMatchObject({ timeoutSeconds: 45, serviceLabel: 'service', authType: 'bearer' });
  });

  it('keeps the concurrency bound in jsonData and says what is wrong with a bad one', async () => {
    const { last } = renderEditor();
    const bound = screen.getByLabelText(/^Max concurrent queries/);
    expect(bound).toHaveAttribute('placeholder', '4');
    await user.type(bound, '12');
    expect(last().jsonData).toMatchObject({ maxConcurrentQueries: 12, authType: 'bearer' });
    await user.clear(bound);
    expect(last().jsonData.maxConcurrentQueries).toBeUndefined();
    await user.type(bound, '0');
    expect(await screen.findByText(/A whole number from 1 to 256; leave it empty for 4/)).toBeInTheDocument();
  });

  it('shows the TLS certificate fields only when a TLS option is on', async () => {
    renderEditor();
    expect(screen.queryByText('CA Cert')).not.toBeInTheDocument();
    await user.click(screen.getByLabelText(/^With CA certificate/));
    expect(await screen.findByText('CA Cert')).toBeInTheDocument();
  });
});

describe('validateParcaURL', () => {
  it.each([
    ['', 'Enter the URL'],
    ['parca:7070', 'http or https'],
    ['localhost', 'is not a URL'],
    ['http://parca:7070/?x=1', 'query string'],
  ])('%s: %s', (url, message) => {
    expect(validateParcaURL(url)).toContain(message);
  });

  it('accepts http and https addresses', () => {
    expect(validateParcaURL('http://127.0.0.1:7070')).toBeUndefined();
    expect(validateParcaURL('https://parca.example.com/prefix')).toBeUndefined();
  });
});
