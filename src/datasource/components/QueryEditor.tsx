import React from 'react';
import type { QueryEditorProps, SelectableValue } from '@grafana/data';
import { InlineField, InlineFieldRow, Input, RadioButtonGroup } from '@grafana/ui';

import type { ParcaDataSource } from '../datasource';
import { ParcaOptions, ParcaQuery, QueryType } from '../types';

type Props = QueryEditorProps<ParcaDataSource, ParcaQuery, ParcaOptions>;

const QUERY_TYPE_OPTIONS: Array<SelectableValue<QueryType>> = [
  { label: 'Flame graph', value: QueryType.Profile },
  { label: 'Metrics', value: QueryType.Metrics },
  { label: 'Top functions', value: QueryType.Table },
  { label: 'Diff', value: QueryType.Diff },
  { label: 'Trace coverage', value: QueryType.Coverage },
];

/** First cut of the query editor; the editors issue adds autocomplete, filters and validation. */
export function QueryEditor({ query, onChange, onRunQuery }: Props) {
  const update = (patch: Partial<ParcaQuery>) => onChange({ ...query, ...patch });

  return (
    <>
      <InlineFieldRow>
        <InlineField label="Query type">
          <RadioButtonGroup
            options={QUERY_TYPE_OPTIONS}
            value={query.queryType ?? QueryType.Profile}
            onChange={(queryType) => {
              update({ queryType });
              onRunQuery();
            }}
          />
        </InlineField>
      </InlineFieldRow>
      <InlineFieldRow>
        <InlineField label="Profile type" labelWidth={14} grow>
          <Input
            value={query.profileType ?? ''}
            placeholder="process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta"
            onChange={(e) => update({ profileType: e.currentTarget.value })}
            onBlur={onRunQuery}
          />
        </InlineField>
      </InlineFieldRow>
      <InlineFieldRow>
        <InlineField label="Selector" labelWidth={14} grow>
          <Input
            value={query.labelSelector ?? ''}
            placeholder='{service_name="checkout"}'
            onChange={(e) => update({ labelSelector: e.currentTarget.value })}
            onBlur={onRunQuery}
          />
        </InlineField>
        <InlineField label="Trace ID" labelWidth={10}>
          <Input
            width={36}
            value={query.traceId ?? ''}
            placeholder="32 hex characters"
            onChange={(e) => update({ traceId: e.currentTarget.value.trim() })}
            onBlur={onRunQuery}
          />
        </InlineField>
      </InlineFieldRow>
    </>
  );
}
