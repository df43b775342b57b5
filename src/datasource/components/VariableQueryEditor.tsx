import React, { useState } from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { InlineField, InlineFieldRow, Input, RadioButtonGroup, Stack } from '@grafana/ui';

import type { ParcaDataSourceApi } from '../parcaLookups';
import { isHighCardinalityLabel, validateSelector } from '../selector';
import { ParcaOptions, ParcaQuery, ParcaVariableQuery, VariableQueryType } from '../types';
import { LabelNamePicker } from './QueryEditor/LabelNamePicker';
import { ProfileTypePicker } from './QueryEditor/ProfileTypePicker';

type Props = QueryEditorProps<ParcaDataSourceApi, ParcaQuery, ParcaOptions, ParcaVariableQuery>;

const TYPE_OPTIONS = [
  { label: 'Profile types', value: VariableQueryType.ProfileTypes },
  { label: 'Label names', value: VariableQueryType.LabelNames },
  { label: 'Label values', value: VariableQueryType.LabelValues },
];

/** Editor of a query variable: profile types, label names of a type, or values of one label. */
export function VariableQueryEditor({ datasource, query, range, onChange }: Props) {
  const type = query.type ?? VariableQueryType.ProfileTypes;
  const [selector, setSelector] = useState(query.labelSelector ?? '');
  // A change from outside (another editor, undo) replaces the text being edited.
  const [savedSelector, setSavedSelector] = useState(query.labelSelector);
  if (savedSelector !== query.labelSelector) {
    setSavedSelector(query.labelSelector);
    setSelector(query.labelSelector ?? '');
  }
  const update = (patch: Partial<ParcaVariableQuery>) => onChange({ ...query, type, ...patch });
  const selectorError = validateSelector(selector);
  const labelError =
    query.labelName && isHighCardinalityLabel(query.labelName)
      ? `${query.labelName} has one value per request; its values are never listed`
      : undefined;

  return (
    <Stack direction="column" gap={0}>
      <InlineFieldRow>
        <InlineField label="List" labelWidth={16}>
          <RadioButtonGroup options={TYPE_OPTIONS} value={type} onChange={(next) => update({ type: next })} />
        </InlineField>
      </InlineFieldRow>
      {type !== VariableQueryType.ProfileTypes && (
        <InlineFieldRow>
          <ProfileTypePicker
            datasource={datasource}
            range={range}
            value={query.profileType}
            onChange={(profileType) => update({ profileType })}
          />
        </InlineFieldRow>
      )}
      {type === VariableQueryType.LabelValues && (
        <InlineFieldRow>
          <InlineField label="Label" labelWidth={16} invalid={Boolean(labelError)} error={labelError}>
            <LabelNamePicker
              datasource={datasource}
              profileType={query.profileType}
              range={range}
              value={query.labelName}
              excludeHighCardinality
              onChange={(labelName) => update({ labelName })}
            />
          </InlineField>
        </InlineFieldRow>
      )}
      {type !== VariableQueryType.ProfileTypes && (
        <InlineFieldRow>
          <InlineField
            label="Label selector"
            labelWidth={16}
            grow
            tooltip="Only names/values of series that match; may use other variables"
            invalid={Boolean(selectorError)}
            error={selectorError}
          >
            <Input
              aria-label="Variable label selector"
              value={selector}
              placeholder='{service_name="$service"}'
              onChange={(e) => setSelector(e.currentTarget.value)}
              onBlur={() => update({ labelSelector: selector || undefined })}
            />
          </InlineField>
        </InlineFieldRow>
      )}
    </Stack>
  );
}
