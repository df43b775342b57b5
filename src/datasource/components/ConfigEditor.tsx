import React, { ChangeEvent } from 'react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Field, FieldSet, Input } from '@grafana/ui';

import type { ParcaOptions } from '../types';

type Props = DataSourcePluginOptionsEditorProps<ParcaOptions>;

/**
 * Minimal settings page: where Parca is and how long to wait for it.
 * Auth and TLS settings arrive with the editors issue.
 */
export function ConfigEditor({ options, onOptionsChange }: Props) {
  const onURLChange = (event: ChangeEvent<HTMLInputElement>) =>
    onOptionsChange({ ...options, url: event.target.value });
  const onJSONChange = (patch: Partial<ParcaOptions>) =>
    onOptionsChange({ ...options, jsonData: { ...options.jsonData, ...patch } });

  return (
    <FieldSet label="Parca server">
      <Field label="URL" description="Base URL of the Parca server, e.g. http://parca:7070">
        <Input width={40} value={options.url ?? ''} placeholder="http://localhost:7070" onChange={onURLChange} />
      </Field>
      <Field label="Timeout" description="Seconds to wait for Parca before a query fails">
        <Input
          width={10}
          type="number"
          min={1}
          value={options.jsonData.timeoutSeconds ?? 30}
          onChange={(e) => onJSONChange({ timeoutSeconds: Number(e.currentTarget.value) })}
        />
      </Field>
      <Field label="Service label" description="Profile label that names a service (traces' service.name maps onto it)">
        <Input
          width={20}
          value={options.jsonData.serviceLabel ?? ''}
          placeholder="service_name"
          onChange={(e) => onJSONChange({ serviceLabel: e.currentTarget.value })}
        />
      </Field>
    </FieldSet>
  );
}
