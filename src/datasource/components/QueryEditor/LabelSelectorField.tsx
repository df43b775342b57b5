import React, { useCallback, useRef, useState } from 'react';
import type { TimeRange } from '@grafana/data';
import { Combobox, ComboboxOption, InlineField, InlineFieldRow, Input, RadioButtonGroup } from '@grafana/ui';

import type { ParcaLookups } from '../../parcaLookups';
import {
  formatSelector,
  hasTemplateVariable,
  isHighCardinalityLabel,
  MATCH_OPERATORS,
  MatchOperator,
  parseSelector,
  validateSelector,
  withMatcher,
} from '../../selector';
import { LabelNamePicker } from './LabelNamePicker';
import { errorMessage } from '../../errorMessage';

interface Props {
  datasource: ParcaLookups;
  profileType?: string;
  range?: TimeRange;
  value: string;
  onChange: (labelSelector: string) => void;
  onRunQuery: () => void;
}

const OPERATOR_OPTIONS = MATCH_OPERATORS.map((op) => ({ label: op, value: op }));

/**
 * The label selector as text (what gets saved and what power users type), with a builder beside
 * it that autocompletes label names and values for the chosen profile type and time range and
 * writes the matcher into the text. trace_id and span_id values are never listed: there is one per
 * request, so they are typed or come from a link.
 */
export function LabelSelectorField({ datasource, profileType, range, value, onChange, onRunQuery }: Props) {
  const [draft, setDraft] = useState(value);
  const [touched, setTouched] = useState(false);
  const [labelName, setLabelName] = useState<string | null>(null);
  const [operator, setOperator] = useState<MatchOperator>('=');
  const [valueError, setValueError] = useState<string>();
  const [namesError, setNamesError] = useState<string>();
  const valuesCache = useRef(new Map<string, Promise<string[]>>());

  // An outside change (a link, a variable edit) replaces what is in the box.
  const [savedValue, setSavedValue] = useState(value);
  if (savedValue !== value) {
    setSavedValue(value);
    setDraft(value);
  }

  const selectorError = validateSelector(draft);

  const commit = (text: string) => {
    setTouched(true);
    if (text !== value) {
      onChange(text);
    }
    if (!validateSelector(text)) {
      onRunQuery();
    }
  };

  // Values are narrowed by the other matchers already in the selector (not by the label's own).
  const narrowing = otherMatchers(value, labelName);
  const cacheKey = `${profileType}|${labelName}|${narrowing}|${range?.from.valueOf()}|${range?.to.valueOf()}`;
  const loadValues = useCallback(
    async (input: string): Promise<Array<ComboboxOption<string>>> => {
      if (!labelName || !profileType || isHighCardinalityLabel(labelName)) {
        return [];
      }
      let pending = valuesCache.current.get(cacheKey);
      if (!pending) {
        pending = datasource.getLabelValues(labelName, { profileType, range, labelSelector: narrowing });
        valuesCache.current.set(cacheKey, pending);
      }
      try {
        const values = await pending;
        setValueError(undefined);
        const needle = input.toLowerCase();
        return values.filter((v) => v.toLowerCase().includes(needle)).map((v) => ({ value: v, label: v }));
      } catch (err) {
        valuesCache.current.delete(cacheKey);
        setValueError(`Could not list values of ${labelName}: ${errorMessage(err)}`);
        return [];
      }
    },
    [cacheKey, datasource, labelName, profileType, range, narrowing]
  );

  const addMatcher = (matcherValue: string) => {
    if (!labelName) {
      return;
    }
    const next = withMatcher(draft, { name: labelName, operator, value: matcherValue });
    if (next === undefined) {
      setTouched(true);
      return;
    }
    setDraft(next);
    commit(next);
  };

  const highCardinality = labelName !== null && isHighCardinalityLabel(labelName);

  return (
    <>
      <InlineFieldRow>
        <InlineField
          label="Label selector"
          labelWidth={16}
          grow
          tooltip='Prometheus-style matchers, e.g. {service_name="checkout", job=~"shop.*"}; {} selects everything'
          invalid={touched && Boolean(selectorError)}
          error={selectorError}
        >
          <Input
            id="parca-label-selector"
            aria-label="Label selector"
            value={draft}
            placeholder='{service_name="checkout"}'
            onChange={(e) => setDraft(e.currentTarget.value)}
            onBlur={() => commit(draft)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                commit(draft);
              }
            }}
          />
        </InlineField>
      </InlineFieldRow>
      <InlineFieldRow>
        <InlineField
          label="Add label"
          labelWidth={16}
          tooltip="Pick a label and a value; the matcher is written into the selector"
          invalid={Boolean(namesError || valueError)}
          error={namesError ?? valueError}
        >
          <LabelNamePicker
            datasource={datasource}
            profileType={profileType}
            range={range}
            value={labelName}
            onChange={(name) => setLabelName(name ?? null)}
            onError={setNamesError}
          />
        </InlineField>
        <InlineField>
          <RadioButtonGroup size="md" options={OPERATOR_OPTIONS} value={operator} onChange={setOperator} />
        </InlineField>
        <InlineField>
          <Combobox
            key={cacheKey}
            id="parca-label-value"
            aria-label="Label value"
            width={36}
            disabled={!labelName}
            placeholder={highCardinality ? `type the ${labelName} (not listed)` : 'value'}
            noOptionsMessage={highCardinality ? `${labelName} values are not listed: type one` : undefined}
            options={loadValues}
            value={null}
            createCustomValue
            customValueDescription="Use this value"
            onChange={(option) => addMatcher(option.value)}
          />
        </InlineField>
      </InlineFieldRow>
    </>
  );
}

/** The saved selector without matchers on `labelName`; empty when it does not parse or uses variables. */
function otherMatchers(selector: string, labelName: string | null): string {
  if (hasTemplateVariable(selector)) {
    return '';
  }
  const parsed = parseSelector(selector);
  if (!parsed.ok) {
    return '';
  }
  const rest = parsed.matchers.filter((m) => m.name !== labelName);
  return rest.length ? formatSelector(rest) : '';
}
