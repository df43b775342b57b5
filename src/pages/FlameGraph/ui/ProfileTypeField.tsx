import { css } from '@emotion/css';
import { type GrafanaTheme2 } from '@grafana/data';
import { Button, Combobox, type ComboboxOption, Field, useStyles2 } from '@grafana/ui';
import React, { useMemo } from 'react';

import { comboboxWidthFor } from '../../../shared/ui/comboboxWidth';

interface Props {
  options: Array<ComboboxOption<string>>;
  value?: string;
  /** Why the list could not be loaded; shown under the box with a retry. */
  error?: string;
  onChange: (option: ComboboxOption<string> | null) => void;
  onRetry: () => void;
}

/** The profile type box: readable names, and when Parca cannot list them, why and a retry. */
export function ProfileTypeField({ options, value, error, onChange, onRetry }: Props) {
  const styles = useStyles2(getStyles);
  const width = useMemo(() => comboboxWidthFor(options, 40), [options]);
  return (
    <Field
      label="Profile type"
      className={styles.field}
      invalid={Boolean(error)}
      error={
        error && (
          <span className={styles.error} data-testid="profile-types-error">
            Could not list the profile types: {error}
            <Button size="sm" variant="secondary" icon="sync" onClick={onRetry}>
              Retry
            </Button>
          </span>
        )
      }
    >
      <Combobox
        id="spanflame-profile-type"
        aria-label="Profile type"
        options={options}
        value={value ?? null}
        onChange={onChange}
        placeholder={error ? 'No profile types' : 'Loading profile types…'}
        width={width}
      />
    </Field>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  field: css({ marginBottom: 0 }),
  error: css({ display: 'inline-flex', gap: theme.spacing(1), alignItems: 'center', flexWrap: 'wrap' }),
});
