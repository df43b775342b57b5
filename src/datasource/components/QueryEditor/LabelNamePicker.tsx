import React, { useEffect, useMemo } from 'react';
import type { TimeRange } from '@grafana/data';
import { Combobox, ComboboxOption } from '@grafana/ui';

import type { ParcaLookups } from '../../parcaLookups';
import { isHighCardinalityLabel } from '../../selector';
import { useLabelNames } from './lookups';

interface Props {
  datasource: ParcaLookups;
  profileType?: string;
  range?: TimeRange;
  value?: string | null;
  /** Leave out trace_id/span_id (where listing or grouping by them makes no sense). */
  excludeHighCardinality?: boolean;
  onChange: (labelName: string | undefined) => void;
  /** Reports a failed lookup to the caller, which decides where to show it. */
  onError?: (message: string | undefined) => void;
  id?: string;
}

/** Label names of a profile type in the time range, plus dashboard variables; any name may be typed. */
export function LabelNamePicker({
  datasource,
  profileType,
  range,
  value,
  excludeHighCardinality,
  onChange,
  onError,
  id = 'parca-label-name',
}: Props) {
  const names = useLabelNames(datasource, profileType, range);
  useEffect(() => onError?.(names.error && `Could not list labels: ${names.error}`), [names.error, onError]);
  const options = useMemo<Array<ComboboxOption<string>>>(
    () => [
      ...names.value
        .filter((n) => !(excludeHighCardinality && isHighCardinalityLabel(n)))
        .map((n) => ({
          value: n,
          label: n,
          description: isHighCardinalityLabel(n) ? 'one value per request: type the value' : undefined,
        })),
      ...datasource.getVariableOptions().map((v) => ({ value: v, label: v, group: 'Dashboard variables' })),
    ],
    [names.value, datasource, excludeHighCardinality]
  );

  return (
    <Combobox
      id={id}
      aria-label="Label name"
      width={28}
      disabled={!profileType}
      loading={names.loading}
      placeholder={!profileType ? 'choose a profile type first' : names.error ? 'could not list labels' : 'label'}
      options={options}
      value={value ?? null}
      createCustomValue
      isClearable
      onChange={(option) => onChange(option?.value)}
    />
  );
}
