import React from 'react';
import { InlineField, InlineFieldRow, Input, RadioButtonGroup } from '@grafana/ui';

import { validateSelector } from '../../selector';
import type { DiffBaseline } from '../../types';

interface Props {
  baseline?: DiffBaseline;
  onChange: (baseline: DiffBaseline) => void;
  onRunQuery: () => void;
}

const MODE_OPTIONS: Array<{ label: string; value: DiffBaseline['mode']; description: string }> = [
  { label: 'Earlier', value: 'offset', description: 'The same selector, shifted back in time' },
  { label: 'Time range', value: 'range', description: 'The same selector over another time range' },
  { label: 'Other selector', value: 'selector', description: 'Another label selector over the same time range' },
];

const DURATION = /^\d+(ms|s|m|h|d|w)$/;

export const DEFAULT_BASELINE: DiffBaseline = { mode: 'offset', offset: '1h' };

/** What a diff compares the query's range against: an earlier window, a fixed range, or other labels. */
export function DiffBaselineEditor({ baseline = DEFAULT_BASELINE, onChange, onRunQuery }: Props) {
  const patch = (p: Partial<DiffBaseline>) => onChange({ ...baseline, ...p });
  const offsetError =
    baseline.offset && !DURATION.test(baseline.offset) ? 'A duration such as 30m, 1h or 7d' : undefined;
  const selectorError = baseline.mode === 'selector' ? validateSelector(baseline.labelSelector) : undefined;

  return (
    <InlineFieldRow>
      <InlineField label="Baseline" labelWidth={16} tooltip="Red grew, green shrank, relative to this baseline">
        <RadioButtonGroup
          options={MODE_OPTIONS}
          value={baseline.mode}
          onChange={(mode) => {
            patch({ mode });
            onRunQuery();
          }}
        />
      </InlineField>
      {baseline.mode === 'offset' && (
        <InlineField label="Shifted back by" invalid={Boolean(offsetError)} error={offsetError}>
          <Input
            aria-label="Baseline offset"
            width={10}
            value={baseline.offset ?? ''}
            placeholder="1h"
            onChange={(e) => patch({ offset: e.currentTarget.value.trim() })}
            onBlur={() => !offsetError && onRunQuery()}
          />
        </InlineField>
      )}
      {baseline.mode === 'range' && (
        <>
          <InlineField label="From" tooltip="RFC 3339 time or epoch milliseconds">
            <Input
              aria-label="Baseline from"
              width={26}
              value={baseline.from ?? ''}
              placeholder="2026-11-21T10:00:00Z"
              onChange={(e) => patch({ from: e.currentTarget.value.trim() })}
              onBlur={onRunQuery}
            />
          </InlineField>
          <InlineField label="To">
            <Input
              aria-label="Baseline to"
              width={26}
              value={baseline.to ?? ''}
              placeholder="2026-11-21T11:00:00Z"
              onChange={(e) => patch({ to: e.currentTarget.value.trim() })}
              onBlur={onRunQuery}
            />
          </InlineField>
        </>
      )}
      {baseline.mode === 'selector' && (
        <InlineField label="Selector" grow invalid={Boolean(selectorError)} error={selectorError}>
          <Input
            aria-label="Baseline selector"
            value={baseline.labelSelector ?? ''}
            placeholder='{service_name="checkout", version="v1"}'
            onChange={(e) => patch({ labelSelector: e.currentTarget.value })}
            onBlur={() => !selectorError && onRunQuery()}
          />
        </InlineField>
      )}
    </InlineFieldRow>
  );
}
