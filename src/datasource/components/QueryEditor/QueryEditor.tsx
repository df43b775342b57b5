import React from 'react';
import type { QueryEditorProps, SelectableValue } from '@grafana/data';
import { InlineField, InlineFieldRow, RadioButtonGroup, Stack } from '@grafana/ui';

import type { ParcaDataSourceApi } from '../../parcaLookups';
import { ParcaOptions, ParcaQuery, QueryType } from '../../types';
import { DEFAULT_BASELINE, DiffBaselineEditor } from './DiffBaselineEditor';
import { LabelSelectorField } from './LabelSelectorField';
import { ProfileOptions } from './ProfileOptions';
import { ProfileTypePicker } from './ProfileTypePicker';
import { TraceFields } from './TraceFields';

type Props = QueryEditorProps<ParcaDataSourceApi, ParcaQuery, ParcaOptions>;

const QUERY_TYPE_OPTIONS: Array<SelectableValue<QueryType>> = [
  { label: 'Flame graph', value: QueryType.Profile, description: 'Merged profile of the time range' },
  { label: 'Metrics', value: QueryType.Metrics, description: 'Profile total over time, per label set' },
  { label: 'Top functions', value: QueryType.Table, description: 'Functions by self and total value' },
  { label: 'Diff', value: QueryType.Diff, description: 'Flame graph against a baseline' },
  { label: 'Trace coverage', value: QueryType.Coverage, description: 'How much of the profile carries a trace id' },
  {
    label: 'Top trace ids',
    value: QueryType.TraceIds,
    description: 'The trace ids with the most value in a range of at most 15 minutes',
  },
];

/**
 * The query editor Explore and dashboard panels show. Changes that complete a thought (picking an
 * option, leaving a field) run the query; typing alone does not.
 */
export function QueryEditor({ datasource, query, range, onChange, onRunQuery }: Props) {
  const queryType = query.queryType ?? QueryType.Profile;
  const update = (patch: Partial<ParcaQuery>) => onChange({ ...query, ...patch });

  return (
    <Stack direction="column" gap={0}>
      <InlineFieldRow>
        <InlineField label="Query type" labelWidth={16}>
          <RadioButtonGroup
            options={QUERY_TYPE_OPTIONS}
            value={queryType}
            onChange={(next) => {
              update({
                queryType: next,
                baseline: next === QueryType.Diff ? (query.baseline ?? DEFAULT_BASELINE) : query.baseline,
              });
              onRunQuery();
            }}
          />
        </InlineField>
      </InlineFieldRow>
      <InlineFieldRow>
        <ProfileTypePicker
          datasource={datasource}
          range={range}
          value={query.profileType}
          onChange={(profileType) => {
            update({ profileType });
            onRunQuery();
          }}
        />
      </InlineFieldRow>
      <LabelSelectorField
        datasource={datasource}
        profileType={query.profileType}
        range={range}
        value={query.labelSelector ?? ''}
        onChange={(labelSelector) => update({ labelSelector })}
        onRunQuery={onRunQuery}
      />
      {queryType !== QueryType.Coverage && queryType !== QueryType.TraceIds && (
        <TraceFields traceId={query.traceId} spanId={query.spanId} onChange={update} onRunQuery={onRunQuery} />
      )}
      {queryType === QueryType.Diff && (
        <DiffBaselineEditor
          baseline={query.baseline}
          onChange={(baseline) => update({ baseline })}
          onRunQuery={onRunQuery}
        />
      )}
      <ProfileOptions datasource={datasource} query={query} range={range} onChange={update} onRunQuery={onRunQuery} />
    </Stack>
  );
}
