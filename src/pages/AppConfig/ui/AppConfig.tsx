import { css } from '@emotion/css';
import { type AppPluginMeta, type GrafanaTheme2, type PluginConfigPageProps } from '@grafana/data';
import { DataSourcePicker, getDataSourceSrv } from '@grafana/runtime';
import { Alert, Button, Field, FieldSet, Input, Stack, useStyles2 } from '@grafana/ui';
import React, { useMemo, useState } from 'react';

import {
  type AppJsonData,
  DATASOURCE_TYPES,
  DEFAULT_SERVICE_LABEL,
  PROVISIONED_UIDS,
} from '../../../shared/appSettings';
import { datasourceProblem, type DatasourceRole } from '../../../shared/currentAppSettings';
import { errorMessage } from '../../../datasource/errorMessage';
import { type ConfigForm, formFromJsonData, formProblems, jsonDataFromForm } from '../domain/configForm';
import { saveAppSettings } from '../infrastructure/saveAppSettings';
import { SamplingRatesEditor } from './SamplingRatesEditor';

type Props = PluginConfigPageProps<AppPluginMeta<AppJsonData>>;

interface PickerProps {
  role: DatasourceRole;
  label: string;
  description: string;
  uid?: string;
  optional?: boolean;
  onChange: (uid: string | undefined) => void;
}

function DatasourceField({ role, label, description, uid, optional, onChange }: PickerProps) {
  const problem = uid || !optional ? datasourceProblem(role, uid, directory) : undefined;
  return (
    <Field label={label} description={description} invalid={Boolean(problem)} error={problem}>
      <DataSourcePicker
        inputId={`spanflame-${role}-datasource`}
        type={[...DATASOURCE_TYPES[role]]}
        current={uid ?? null}
        noDefault
        width={40}
        placeholder={optional ? 'None (pages that need it say so)' : 'Pick a datasource'}
        onChange={(ds) => onChange(ds.uid)}
        onClear={optional ? () => onChange(undefined) : undefined}
      />
    </Field>
  );
}

const directory = {
  getInstanceSettings: (uid: string) => getDataSourceSrv().getInstanceSettings(uid),
};

/** The app's settings page: the datasources the app works with, the service label, sampling frequencies. */
export function AppConfig({ plugin }: Props) {
  const styles = useStyles2(getStyles);
  const { enabled, pinned, jsonData } = plugin.meta;
  const [form, setForm] = useState<ConfigForm>(() => {
    const initial = formFromJsonData(jsonData);
    // An app never configured works with the provisioned Parca: show it picked.
    return { ...initial, parcaDatasourceUid: initial.parcaDatasourceUid ?? PROVISIONED_UIDS.parca };
  });
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string>();
  const problems = useMemo(() => formProblems(form), [form]);
  const datasourceBlocks = datasourceProblem('parca', form.parcaDatasourceUid, directory);
  const update = (change: Partial<ConfigForm>) => setForm((f) => ({ ...f, ...change }));

  const save = async () => {
    setSaving(true);
    setSaveError(undefined);
    try {
      await saveAppSettings({ enabled: enabled ?? true, pinned: pinned ?? true, jsonData: jsonDataFromForm(form) });
    } catch (err) {
      setSaveError(`Saving failed: ${errorMessage(err)}`);
      setSaving(false);
    }
  };

  return (
    <div className={styles.page} data-testid="app-config">
      <FieldSet label="Datasources">
        <DatasourceField
          role="parca"
          label="Parca"
          description="The Spanflame Parca datasource the app reads profiles from."
          uid={form.parcaDatasourceUid}
          onChange={(uid) => update({ parcaDatasourceUid: uid })}
        />
        <DatasourceField
          role="traces"
          label="Traces"
          description="Tempo or Jaeger, for the pages that start from a trace or span. Optional."
          uid={form.traceDatasourceUid}
          optional
          onChange={(uid) => update({ traceDatasourceUid: uid })}
        />
        <DatasourceField
          role="prometheus"
          label="Prometheus"
          description="Prometheus holding Beyla (or OpenTelemetry-named) RED metrics. Optional."
          uid={form.prometheusDatasourceUid}
          optional
          onChange={(uid) => update({ prometheusDatasourceUid: uid })}
        />
      </FieldSet>
      <FieldSet label="Profiles">
        <Field
          label="Service label"
          description="The label that names a service in profiles and metrics."
          htmlFor="spanflame-service-label"
        >
          <Input
            id="spanflame-service-label"
            value={form.serviceLabel}
            placeholder={DEFAULT_SERVICE_LABEL}
            width={30}
            onChange={(e) => update({ serviceLabel: e.currentTarget.value })}
          />
        </Field>
        <Field
          label="CPU sampling frequency per profile name"
          description="The part of a profile type before the first colon. Used to judge whether a span is long enough to hold samples."
        >
          <SamplingRatesEditor rows={form.samplingRows} onChange={(samplingRows) => update({ samplingRows })} />
        </Field>
      </FieldSet>
      {problems.length > 0 && (
        <Alert severity="error" title="Fix these before saving" data-testid="app-config-problems">
          <ul className={styles.problems}>
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </Alert>
      )}
      {saveError && (
        <Alert severity="error" title="Not saved">
          {saveError}
        </Alert>
      )}
      <Stack>
        <Button onClick={save} disabled={saving || problems.length > 0 || Boolean(datasourceBlocks)}>
          {saving ? 'Saving…' : 'Save settings'}
        </Button>
      </Stack>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2), maxWidth: 900 }),
  problems: css({ margin: 0, paddingLeft: theme.spacing(2) }),
});
