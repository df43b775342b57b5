import React, { useEffect, useMemo } from 'react';
import type { TimeRange } from '@grafana/data';
import { Combobox, ComboboxOption, InlineField } from '@grafana/ui';

import type { ParcaDataSource } from '../../datasource';
import { defaultProfileType, describeProfileTypeId, profileTypeOptions } from '../../profileTypes';
import { useProfileTypes } from './lookups';

interface Props {
  datasource: ParcaDataSource;
  range?: TimeRange;
  value?: string;
  onChange: (profileType: string) => void;
}

/**
 * Profile types Parca holds, named as people know them ("CPU, nanoseconds") and grouped by the
 * profiler that wrote them; the raw id is the option's description. Dashboard variables are offered
 * too, and an id typed by hand is kept (the server may not list it in this time range).
 *
 * A query without a type draws nothing, so a new one starts with the first CPU type; when Parca
 * holds no types in the range the field says so and what to do.
 */
export function ProfileTypePicker({ datasource, range, value, onChange }: Props) {
  const types = useProfileTypes(datasource, range);
  const fallback = types.loading || types.error ? undefined : defaultProfileType(types.value);
  useEffect(() => {
    if (!value && fallback) {
      onChange(fallback);
    }
    // Only a missing value and a newly known default call for a choice; onChange changes identity every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value, fallback]);
  const noTypes = !value && !types.loading && !types.error && types.value.length === 0;

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
      invalid={Boolean(types.error) || noTypes}
      error={
        types.error
          ? `Could not list profile types: ${types.error}`
          : noTypes
            ? 'Parca holds no profiles in this time range: widen the time range, or check that a profiler (parca-agent, or Parca scraping /debug/pprof) sends to this Parca.'
            : undefined
      }
    >
      <Combobox
        id="parca-profile-type"
        aria-label="Profile type"
        width={44}
        loading={types.loading}
        placeholder={
          types.loading
            ? 'Loading profile types…'
            : noTypes
              ? 'No profile types in this range'
              : 'Choose a profile type'
        }
        options={options}
        value={value ?? null}
        createCustomValue
        customValueDescription="Use this profile type id"
        onChange={(option) => onChange(option.value)}
      />
    </InlineField>
  );
}
