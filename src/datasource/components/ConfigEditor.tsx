import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { DataSourcePluginOptionsEditorProps, GrafanaTheme2 } from '@grafana/data';
import {
  Divider,
  Field,
  FieldSet,
  Input,
  RadioButtonGroup,
  SecretInput,
  Switch,
  TLSAuthSettings,
  useStyles2,
} from '@grafana/ui';

import type { ParcaAuthType, ParcaOptions, ParcaSecureJsonData } from '../types';

type Props = DataSourcePluginOptionsEditorProps<ParcaOptions, ParcaSecureJsonData>;

const AUTH_OPTIONS: Array<{ label: string; value: ParcaAuthType; description: string }> = [
  { label: 'No authentication', value: 'none', description: 'Parca is reachable without credentials' },
  { label: 'Basic authentication', value: 'basic', description: 'User and password, e.g. behind a reverse proxy' },
  { label: 'Bearer token', value: 'bearer', description: 'Sent as "Authorization: Bearer <token>"' },
];

export const DEFAULT_TIMEOUT_SECONDS = 30;
export const DEFAULT_SERVICE_LABEL = 'service_name';
/** pkg/models/settings.go DefaultMaxConcurrentQueries and its upper bound. */
export const DEFAULT_MAX_CONCURRENT_QUERIES = 4;
export const MAX_MAX_CONCURRENT_QUERIES = 256;

/** An error sentence for the concurrency bound, or undefined when the backend accepts it. */
export function validateMaxConcurrentQueries(value: number | undefined): string | undefined {
  if (value === undefined || (Number.isInteger(value) && value >= 1 && value <= MAX_MAX_CONCURRENT_QUERIES)) {
    return undefined;
  }
  return `A whole number from 1 to ${MAX_MAX_CONCURRENT_QUERIES}; leave it empty for ${DEFAULT_MAX_CONCURRENT_QUERIES}`;
}

/** An error sentence for the URL, or undefined when Grafana's backend can use it. */
export function validateParcaURL(url: string | undefined): string | undefined {
  const text = (url ?? '').trim();
  if (text === '') {
    return 'Enter the URL of the Parca server, e.g. http://parca:7070';
  }
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return `"${text}" is not a URL: write it with its scheme, e.g. http://${text.replace(/^\/+/, '')}`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return `Parca answers over http or https, not ${parsed.protocol.replace(':', '')}`;
  }
  if (parsed.search || parsed.hash) {
    return 'Leave out the query string and fragment: the datasource adds its own paths to this base URL';
  }
  return undefined;
}

/** The backend infers the method from what is saved when authType is unset; so does the page. */
function authMethodOf(options: Props['options']): ParcaAuthType {
  if (options.jsonData.authType) {
    return options.jsonData.authType;
  }
  if (options.basicAuth) {
    return 'basic';
  }
  return options.secureJsonFields?.bearerToken ? 'bearer' : 'none';
}

/**
 * Settings page of the datasource: where Parca is, how to authenticate and trust it, how long to
 * wait, and which profile label names a service. Secrets go to secureJsonData, which Grafana never
 * sends back: a saved secret shows as "configured" with a Reset button.
 */
export function ConfigEditor({ options, onOptionsChange }: Props) {
  const styles = useStyles2(getStyles);
  const [urlTouched, setUrlTouched] = useState(false);
  const { jsonData, secureJsonFields } = options;
  const secureJsonData = options.secureJsonData ?? {};
  const urlError = validateParcaURL(options.url);
  const maxConcurrentError = validateMaxConcurrentQueries(jsonData.maxConcurrentQueries);
  const authMethod = authMethodOf(options);

  const patchJSON = (patch: Partial<ParcaOptions>) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, ...patch } });
  const setSecret = (key: keyof ParcaSecureJsonData, value: string) =>
    onOptionsChange({ ...options, secureJsonData: { ...secureJsonData, [key]: value } });
  const resetSecret = (key: keyof ParcaSecureJsonData) =>
    onOptionsChange({
      ...options,
      secureJsonFields: { ...secureJsonFields, [key]: false },
      secureJsonData: { ...secureJsonData, [key]: '' },
    });

  const setAuthMethod = (method: ParcaAuthType) =>
    onOptionsChange({ ...options, basicAuth: method === 'basic', jsonData: { ...jsonData, authType: method } });

  return (
    <>
      <FieldSet label="Connection">
        <Field
          label="URL"
          description="Base URL of the Parca server (gRPC-web and HTTP on one port), e.g. http://parca:7070"
          invalid={urlTouched && Boolean(urlError)}
          error={urlError}
          required
        >
          <Input
            id="parca-url"
            width={50}
            value={options.url ?? ''}
            placeholder="http://localhost:7070"
            onChange={(e) => onOptionsChange({ ...options, url: e.currentTarget.value.trim() })}
            onBlur={() => setUrlTouched(true)}
          />
        </Field>
        <Field
          label="Timeout"
          description="Seconds a query or lookup may take, all its calls to Parca together, before it fails"
          invalid={jsonData.timeoutSeconds !== undefined && !(jsonData.timeoutSeconds >= 1)}
          error="The timeout is a whole number of seconds, at least 1"
        >
          <Input
            id="parca-timeout"
            width={12}
            type="number"
            min={1}
            suffix="s"
            value={jsonData.timeoutSeconds ?? ''}
            placeholder={String(DEFAULT_TIMEOUT_SECONDS)}
            onChange={(e) =>
              patchJSON({ timeoutSeconds: e.currentTarget.value === '' ? undefined : Number(e.currentTarget.value) })
            }
          />
        </Field>
        <Field
          label="Max concurrent queries"
          description={
            'Calls to Parca this datasource runs at once. Identical queries in flight together run once; ' +
            'others wait for a turn, or are answered "Parca is busy" before their timeout'
          }
          invalid={Boolean(maxConcurrentError)}
          error={maxConcurrentError}
        >
          <Input
            id="parca-max-concurrent-queries"
            width={12}
            type="number"
            min={1}
            max={MAX_MAX_CONCURRENT_QUERIES}
            value={jsonData.maxConcurrentQueries ?? ''}
            placeholder={String(DEFAULT_MAX_CONCURRENT_QUERIES)}
            onChange={(e) =>
              patchJSON({
                maxConcurrentQueries: e.currentTarget.value === '' ? undefined : Number(e.currentTarget.value),
              })
            }
          />
        </Field>
      </FieldSet>

      <Divider />
      <FieldSet label="Authentication">
        <Field label="Method">
          <RadioButtonGroup options={AUTH_OPTIONS} value={authMethod} onChange={setAuthMethod} />
        </Field>
        {authMethod === 'basic' && (
          <div className={styles.indent}>
            <Field label="User">
              <Input
                id="parca-basic-user"
                width={40}
                value={options.basicAuthUser ?? ''}
                onChange={(e) => onOptionsChange({ ...options, basicAuthUser: e.currentTarget.value })}
              />
            </Field>
            <Field label="Password">
              <SecretInput
                id="parca-basic-password"
                width={40}
                isConfigured={Boolean(secureJsonFields?.basicAuthPassword)}
                value={secureJsonData.basicAuthPassword ?? ''}
                onChange={(e) => setSecret('basicAuthPassword', e.currentTarget.value)}
                onReset={() => resetSecret('basicAuthPassword')}
              />
            </Field>
          </div>
        )}
        {authMethod === 'bearer' && (
          <div className={styles.indent}>
            <Field label="Token" description="Only the token; the datasource writes the Bearer prefix">
              <SecretInput
                id="parca-bearer-token"
                width={60}
                isConfigured={Boolean(secureJsonFields?.bearerToken)}
                value={secureJsonData.bearerToken ?? ''}
                onChange={(e) => setSecret('bearerToken', e.currentTarget.value)}
                onReset={() => resetSecret('bearerToken')}
              />
            </Field>
          </div>
        )}
      </FieldSet>

      <Divider />
      <FieldSet label="TLS">
        <Field
          label="Skip TLS certificate verification"
          description="Only for test servers with self-signed certificates"
        >
          <Switch
            id="parca-tls-skip-verify"
            value={Boolean(jsonData.tlsSkipVerify)}
            onChange={(e) => patchJSON({ tlsSkipVerify: e.currentTarget.checked })}
          />
        </Field>
        <Field label="With CA certificate" description="Trust Parca's certificate through this CA">
          <Switch
            id="parca-tls-ca"
            value={Boolean(jsonData.tlsAuthWithCACert)}
            onChange={(e) => patchJSON({ tlsAuthWithCACert: e.currentTarget.checked })}
          />
        </Field>
        <Field label="With client certificate" description="Mutual TLS: present a client certificate to Parca">
          <Switch
            id="parca-tls-client"
            value={Boolean(jsonData.tlsAuth)}
            onChange={(e) => patchJSON({ tlsAuth: e.currentTarget.checked })}
          />
        </Field>
        {(jsonData.tlsAuth || jsonData.tlsAuthWithCACert) && (
          <TLSAuthSettings dataSourceConfig={options} onChange={onOptionsChange} />
        )}
      </FieldSet>

      <Divider />
      <FieldSet label="Profiles">
        <Field
          label="Service label"
          description="Profile label that names a service; a span's service.name is matched against it"
        >
          <Input
            id="parca-service-label"
            width={30}
            value={jsonData.serviceLabel ?? ''}
            placeholder={DEFAULT_SERVICE_LABEL}
            onChange={(e) => patchJSON({ serviceLabel: e.currentTarget.value.trim() || undefined })}
          />
        </Field>
      </FieldSet>
    </>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  indent: css({
    paddingLeft: theme.spacing(2),
    borderLeft: `2px solid ${theme.colors.border.weak}`,
    marginBottom: theme.spacing(2),
  }),
});
