import { Alert, Combobox, Field, LoadingPlaceholder } from '@grafana/ui';
import React, { useMemo } from 'react';

import { profileTypeOptions } from '../../../datasource/profileTypes';
import { comboboxWidthFor } from '../../../shared/ui/comboboxWidth';
import type { ProfileTypesAnswer } from './ServiceView';

/** The profile type of the Profile and Why slow tabs; empty Parca and failures say so. */
export function ProfileTypePicker({
  answer,
  value,
  onChange,
}: {
  answer: ProfileTypesAnswer;
  value?: string;
  onChange: (id: string) => void;
}) {
  const options = useMemo(() => (answer.state === 'done' ? profileTypeOptions(answer.types) : []), [answer]);
  const width = useMemo(() => comboboxWidthFor(options, 40), [options]);
  if (answer.state === 'loading') {
    return <LoadingPlaceholder text="Listing Parca's profile types…" />;
  }
  if (answer.state === 'error') {
    return (
      <Alert severity="error" title="Could not list Parca's profile types">
        {answer.message}
      </Alert>
    );
  }
  if (options.length === 0) {
    return (
      <Alert severity="info" title="Parca holds no profiles">
        No profile types in Parca yet: once a profiler or a scrape writes profiles, they show here.
      </Alert>
    );
  }
  return (
    <Field label="Profile type" noMargin>
      <Combobox
        id="spanflame-service-profile-type"
        aria-label="Profile type"
        options={options}
        value={value ?? null}
        onChange={(o) => o && onChange(o.value)}
        width={width}
      />
    </Field>
  );
}
