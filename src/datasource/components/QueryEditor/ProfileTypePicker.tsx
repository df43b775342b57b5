import React, { useMemo } from 'react';
import type { TimeRange } from '@grafana/data';
import { Combobox, ComboboxOption, InlineField } from '@grafana/ui';

import type { ParcaLookups } from '../../parcaLookups';
import { describeProfileTypeId, profileTypeOptions } from '../../profileTypes';
import { useProfileTypes } from './lookups';

interface Props {
  datasource: ParcaLookups;
  range?: TimeRange;
  value?: string;
  onChange: (profileType: string) => void;
}

/**
 * Profile types Parca holds, named as people know them ("CPU, nanoseconds") and grouped by the
 * profiler that wrote them; the raw id is the option's description. Dashboard variables are offered
 * too, and an id typed by hand is kept (the server may not list it in this time range).
 */
export function ProfileTypePicker({ datasource, range, value, onChange }: Props) {
  const types = useProfileTypes(datasource, range);

  const options = useMemo(() => {
    const fromServer = profileTypeOptions(types.value);
    const variables: Array<ComboboxOption<string>> = datasource
      .getVariableOptions()
      .map((v) => ({ value: v, label: v, group: 'Dashboard variables' }));
    const all = [...fromServer, ...variables];
    if (value && !all.some((o) => o.value === value)) {
      all.unshift({ value, label: describeProfileTypeId(value), description: `${value} (not in this time range)` });
    }
    return all;
  }, [types.value, datasource, value]);

  return (
    <InlineField
      label="Profile type"
      labelWidth={16}
      tooltip="What was measured: CPU time, allocations, ... Types come from Parca for the chosen time range."
      invalid={Boolean(types.error)}
      error={types.error && `Could not list profile types: ${types.error}`}
    >
      <Combobox
        id="parca-profile-type"
        aria-label="Profile type"
        width={44}
        loading={types.loading}
        placeholder={types.loading ? 'Loading profile types…' : 'Choose a profile type'}
        options={options}
        value={value ?? null}
        createCustomValue
        customValueDescription="Use this profile type id"
        onChange={(option) => onChange(option.value)}
      />
    </InlineField>
  );
}
