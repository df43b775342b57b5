import { css } from '@emotion/css';
import { type GrafanaTheme2 } from '@grafana/data';
import { Button, IconButton, Input, Stack, useStyles2 } from '@grafana/ui';
import React from 'react';

import type { SamplingRow } from '../domain/configForm';

interface Props {
  rows: SamplingRow[];
  onChange: (rows: SamplingRow[]) => void;
}

/** The CPU sampling frequency of each profile name, one editable row each. */
export function SamplingRatesEditor({ rows, onChange }: Props) {
  const styles = useStyles2(getStyles);
  const update = (index: number, change: Partial<SamplingRow>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
  return (
    <Stack direction="column" gap={1}>
      {rows.map((row, index) => (
        <div key={index} className={styles.row} data-testid="sampling-row">
          <Input
            aria-label={`Profile name, row ${index + 1}`}
            value={row.profile}
            placeholder="parca_agent"
            width={30}
            onChange={(e) => update(index, { profile: e.currentTarget.value })}
          />
          <Input
            aria-label={`Sampling frequency of ${row.profile || `row ${index + 1}`}`}
            value={row.hz}
            type="number"
            min={0}
            suffix="Hz"
            width={16}
            onChange={(e) => update(index, { hz: e.currentTarget.value })}
          />
          <IconButton
            name="trash-alt"
            tooltip={`Remove ${row.profile || 'this row'}`}
            onClick={() => onChange(rows.filter((_, i) => i !== index))}
          />
        </div>
      ))}
      <div>
        <Button size="sm" variant="secondary" icon="plus" onClick={() => onChange([...rows, { profile: '', hz: '' }])}>
          Add profile name
        </Button>
      </div>
    </Stack>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  row: css({ display: 'flex', gap: theme.spacing(1), alignItems: 'center' }),
});
