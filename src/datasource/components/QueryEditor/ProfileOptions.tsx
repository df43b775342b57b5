import React, { useMemo } from 'react';
import type { TimeRange } from '@grafana/data';
import { InlineField, InlineFieldRow, Input, MultiCombobox } from '@grafana/ui';

import type { ParcaLookups } from '../../parcaLookups';
import { isHighCardinalityLabel } from '../../selector';
import { ParcaQuery, QueryType } from '../../types';
import { useLabelNames } from './lookups';

interface Props {
  datasource: ParcaLookups;
  query: ParcaQuery;
  range?: TimeRange;
  onChange: (patch: Partial<ParcaQuery>) => void;
  onRunQuery: () => void;
}

/** Which options each query type reads (the backend ignores the rest). */
const OPTIONS_BY_TYPE: Record<QueryType, { groupBy: boolean; filters: boolean; trim: boolean; limit: boolean }> = {
  [QueryType.Profile]: { groupBy: true, filters: true, trim: true, limit: false },
  [QueryType.Metrics]: { groupBy: true, filters: false, trim: false, limit: false },
  [QueryType.Table]: { groupBy: false, filters: true, trim: false, limit: true },
  [QueryType.Diff]: { groupBy: false, filters: true, trim: true, limit: false },
  [QueryType.Coverage]: { groupBy: false, filters: false, trim: false, limit: false },
  [QueryType.TraceIds]: { groupBy: false, filters: false, trim: false, limit: true },
};

const GROUP_BY_HELP = {
  [QueryType.Metrics]: 'One series per value of these labels',
  default: 'Split the flame graph by these labels',
};

/**
 * Group-by, function/binary/file filters, node trimming and the row limit: each shown only for the
 * query types that use it. Group-by never offers trace_id/span_id: one group per request.
 */
export function ProfileOptions({ datasource, query, range, onChange, onRunQuery }: Props) {
  const queryType = query.queryType ?? QueryType.Profile;
  const shown = OPTIONS_BY_TYPE[queryType];
  const names = useLabelNames(datasource, shown.groupBy ? query.profileType : undefined, range);
  const groupByOptions = useMemo(
    () => [
      ...names.value.filter((n) => !isHighCardinalityLabel(n)).map((n) => ({ value: n, label: n })),
      ...datasource.getVariableOptions().map((v) => ({ value: v, label: v, group: 'Dashboard variables' })),
    ],
    [names.value, datasource]
  );
  const trimInvalid =
    query.nodeTrimThreshold !== undefined && !(query.nodeTrimThreshold >= 0 && query.nodeTrimThreshold < 100);

  const textFilter = (key: 'functionFilter' | 'binaryFilter' | 'filenameFilter', label: string, tooltip: string) => (
    <InlineField label={label} labelWidth={key === 'functionFilter' ? 16 : 10} tooltip={tooltip}>
      <Input
        id={`parca-${key}`}
        aria-label={label}
        width={28}
        value={query[key] ?? ''}
        placeholder="substring, !substring drops"
        onChange={(e) => onChange({ [key]: e.currentTarget.value || undefined })}
        onBlur={onRunQuery}
      />
    </InlineField>
  );

  return (
    <>
      {shown.groupBy && (
        <InlineFieldRow>
          <InlineField
            label="Group by"
            labelWidth={16}
            tooltip={queryType === QueryType.Metrics ? GROUP_BY_HELP[QueryType.Metrics] : GROUP_BY_HELP.default}
          >
            <MultiCombobox
              id="parca-group-by"
              aria-label="Group by"
              width="auto"
              minWidth={28}
              loading={names.loading}
              options={groupByOptions}
              value={query.groupBy ?? []}
              placeholder="no grouping"
              onChange={(options) => {
                onChange({ groupBy: options.length ? options.map((o) => o.value) : undefined });
                onRunQuery();
              }}
            />
          </InlineField>
        </InlineFieldRow>
      )}
      {shown.filters && (
        <InlineFieldRow>
          {textFilter('functionFilter', 'Function', 'Keep only stacks through a function whose name contains this')}
          {textFilter('binaryFilter', 'Binary', 'Keep only frames from binaries (mappings) whose name contains this')}
          {textFilter('filenameFilter', 'File', 'Keep only stacks through source files whose path contains this')}
        </InlineFieldRow>
      )}
      {(shown.trim || shown.limit) && (
        <InlineFieldRow>
          {shown.trim && (
            <InlineField
              label="Node trim"
              labelWidth={16}
              tooltip="Drop flame graph nodes smaller than this percent of the total (done by Parca)"
              invalid={trimInvalid}
              error="A percent from 0 to below 100"
            >
              <Input
                id="parca-node-trim"
                aria-label="Node trim"
                type="number"
                min={0}
                max={99}
                step={0.1}
                width={12}
                suffix="%"
                value={query.nodeTrimThreshold ?? ''}
                placeholder="0"
                onChange={(e) =>
                  onChange({
                    nodeTrimThreshold: e.currentTarget.value === '' ? undefined : Number(e.currentTarget.value),
                  })
                }
                onBlur={() => !trimInvalid && onRunQuery()}
              />
            </InlineField>
          )}
          {shown.limit && (
            <InlineField
              label="Rows"
              labelWidth={16}
              tooltip={
                queryType === QueryType.TraceIds
                  ? 'How many trace ids to return (at most 50)'
                  : 'How many of the top functions to return'
              }
            >
              <Input
                id="parca-limit"
                aria-label="Rows"
                type="number"
                min={1}
                width={12}
                value={query.limit ?? ''}
                placeholder={queryType === QueryType.TraceIds ? '20' : '100'}
                onChange={(e) =>
                  onChange({ limit: e.currentTarget.value === '' ? undefined : Number(e.currentTarget.value) })
                }
                onBlur={onRunQuery}
              />
            </InlineField>
          )}
        </InlineFieldRow>
      )}
    </>
  );
}
