import { css, cx } from '@emotion/css';
import { type GrafanaTheme2 } from '@grafana/data';
import { IconButton, useStyles2 } from '@grafana/ui';
import React, { memo, useMemo, useState } from 'react';

import { diffChange, diffStep, type FlamePalette } from './colors';
import { formatChange, formatShare, shortFunctionName } from './format';
import { type FunctionSortKey, type FunctionSummary, sortFunctions } from './topFunctions';

/** Rows shown: the table is for finding hot functions; the search box reaches the rest. */
export const MAX_TABLE_ROWS = 200;

export interface TopFunctionsTableProps {
  functions: FunctionSummary[];
  rootTotal: number;
  /** Diff only: the comparison profile's root total. */
  rootTotalRight?: number;
  format: (value: number) => string;
  palette: FlamePalette;
  selectedNameId?: number;
  /** Only rows whose name passes are shown (the flame graph's search). */
  filter?: Uint8Array;
  onSelect: (nameId: number | undefined) => void;
  onSandwich: (nameId: number) => void;
}

const SORT_LABELS: Record<FunctionSortKey, string> = { self: 'Self', total: 'Total', name: 'Function' };

/** Hottest functions of the whole profile; a row highlights that function's frames in the graph. */
export const TopFunctionsTable = memo(function TopFunctionsTable(props: TopFunctionsTableProps) {
  const { functions, rootTotal, rootTotalRight, format, palette, selectedNameId, filter, onSelect, onSandwich } = props;
  const styles = useStyles2(getStyles);
  const [sortKey, setSortKey] = useState<FunctionSortKey>('self');
  const isDiff = rootTotalRight !== undefined;
  const rows = useMemo(() => {
    const shown = filter ? functions.filter((f) => filter[f.nameId]) : functions;
    return sortFunctions(shown, sortKey).slice(0, MAX_TABLE_ROWS);
  }, [functions, filter, sortKey]);

  const header = (key: FunctionSortKey) => (
    <th scope="col" aria-sort={sortKey === key ? (key === 'name' ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className={styles.sortButton} onClick={() => setSortKey(key)}>
        {SORT_LABELS[key]}
        {sortKey === key ? (key === 'name' ? ' ▲' : ' ▼') : ''}
      </button>
    </th>
  );

  return (
    <div className={styles.wrapper} data-testid="top-functions">
      <table className={styles.table} aria-label="Top functions">
        <thead>
          <tr>
            {header('name')}
            {header('self')}
            {header('total')}
            {isDiff && <th scope="col">Change</th>}
            <th scope="col" className={styles.actions}>
              <span className={styles.hidden}>Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const selected = row.nameId === selectedNameId;
            const rootLeft = rootTotal - (rootTotalRight ?? 0);
            const change = isDiff
              ? diffChange(row.total - (row.totalRight ?? 0), row.totalRight ?? 0, rootLeft, rootTotalRight ?? 0)
              : 0;
            return (
              <tr
                key={row.nameId}
                className={cx(styles.row, selected && styles.selected)}
                tabIndex={0}
                aria-selected={selected}
                data-testid="top-function-row"
                onClick={() => onSelect(selected ? undefined : row.nameId)}
                onKeyDown={(event) => {
                  if (event.key === 'Enter' || event.key === ' ') {
                    event.preventDefault();
                    onSelect(selected ? undefined : row.nameId);
                  }
                }}
              >
                {/* The end of the name tells rows apart; the whole name is the hover title. */}
                <td className={styles.name} title={row.name}>
                  {shortFunctionName(row.name)}
                </td>
                <td className={styles.number}>
                  {format(row.self)} <span className={styles.share}>{formatShare(row.self / rootTotal)}</span>
                </td>
                <td className={styles.number}>
                  {format(row.total)} <span className={styles.share}>{formatShare(row.total / rootTotal)}</span>
                </td>
                {isDiff && (
                  <td className={styles.number}>
                    <span className={styles.swatch} style={{ background: palette.diff[diffStep(change)] }} />
                    {formatChange(change)}
                  </td>
                )}
                <td className={styles.actions}>
                  <IconButton
                    name="gf-layout-simple"
                    size="sm"
                    // Grafana's IconButton names itself after its tooltip.
                    tooltip={`Sandwich view of ${row.name}: its callers and callees`}
                    onClick={(event) => {
                      event.stopPropagation();
                      onSandwich(row.nameId);
                    }}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {rows.length === 0 && <div className={styles.empty}>No function matches the search.</div>}
    </div>
  );
});

const getStyles = (theme: GrafanaTheme2) => ({
  wrapper: css({
    overflow: 'auto',
    height: '100%',
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
  }),
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    fontSize: theme.typography.bodySmall.fontSize,
    'thead th': {
      position: 'sticky',
      top: 0,
      background: theme.colors.background.secondary,
      textAlign: 'left',
      padding: theme.spacing(0.5, 1),
      zIndex: 1,
    },
    td: {
      padding: theme.spacing(0.25, 1),
      borderTop: `1px solid ${theme.colors.border.weak}`,
    },
  }),
  sortButton: css({
    background: 'none',
    border: 'none',
    padding: 0,
    color: theme.colors.text.primary,
    fontWeight: theme.typography.fontWeightMedium,
    cursor: 'pointer',
  }),
  row: css({
    cursor: 'pointer',
    '&:hover': { background: theme.colors.action.hover },
    '&:focus-visible': { outline: `2px solid ${theme.colors.primary.main}`, outlineOffset: -2 },
  }),
  selected: css({
    background: theme.colors.action.selected,
    boxShadow: `inset 3px 0 0 ${theme.colors.primary.main}`,
  }),
  name: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    maxWidth: 0,
    width: '55%',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  }),
  number: css({ whiteSpace: 'nowrap', textAlign: 'right' }),
  share: css({ color: theme.colors.text.secondary }),
  swatch: css({
    display: 'inline-block',
    width: theme.spacing(1),
    height: theme.spacing(1),
    marginRight: theme.spacing(0.5),
    borderRadius: theme.shape.radius.default,
  }),
  actions: css({ width: theme.spacing(4), textAlign: 'center' }),
  hidden: css({ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }),
  empty: css({ padding: theme.spacing(1), color: theme.colors.text.secondary }),
});
