import { css } from '@emotion/css';
import { type GrafanaTheme2 } from '@grafana/data';
import { Button, Input, useStyles2 } from '@grafana/ui';
import React from 'react';

import { DIFF_STEPS, type FlamePalette } from './colors';
import { formatShare } from './format';
import { type SearchResult } from './search';

export interface Crumb {
  node: number;
  name: string;
}

export interface FlameGraphHeaderProps {
  search: string;
  onSearchChange: (search: string) => void;
  /** Result of the search box or of the selected table row, for the whole profile. */
  highlight?: SearchResult;
  highlightLabel?: string;
  format: (value: number) => string;
  /** Zoom path from the root; empty when not zoomed. */
  crumbs: Crumb[];
  onZoom: (node: number) => void;
  isDiff: boolean;
  palette: FlamePalette;
  showTable: boolean;
  onToggleTable: () => void;
  sandwichName?: string;
  onCloseSandwich: () => void;
  searchInputRef: React.Ref<HTMLInputElement>;
}

export function FlameGraphHeader({ searchInputRef, ...props }: FlameGraphHeaderProps) {
  const styles = useStyles2(getStyles);
  const { highlight, crumbs, palette } = props;
  return (
    <div className={styles.header}>
      <div className={styles.row}>
        <div className={styles.search}>
          <Input
            ref={searchInputRef}
            value={props.search}
            onChange={(event) => props.onSearchChange(event.currentTarget.value)}
            placeholder="Search functions (text, or /regex/)  —  press / to focus"
            aria-label="Search functions"
            data-testid="flame-search"
            invalid={Boolean(highlight?.invalidRegex)}
          />
        </div>
        {highlight && (
          <span className={styles.summary} data-testid="search-summary" aria-live="polite">
            {highlight.invalidRegex && (
              <span className={styles.invalid} data-testid="search-invalid-regex">
                Not a valid regular expression ({highlight.invalidRegex}); searched as text:{' '}
              </span>
            )}
            {props.highlightLabel ? `${props.highlightLabel}: ` : ''}
            {highlight.matchedFunctions} function{highlight.matchedFunctions === 1 ? '' : 's'}, {highlight.matchedNodes}{' '}
            frame{highlight.matchedNodes === 1 ? '' : 's'}, {props.format(highlight.matchedTotal)} ={' '}
            <strong>{formatShare(highlight.matchedShare)}</strong> of samples
          </span>
        )}
        <div className={styles.spacer} />
        {props.isDiff && (
          <div className={styles.legend} data-testid="diff-legend" aria-label="Diff colours">
            <span>less in comparison</span>
            <span
              className={styles.gradient}
              style={{ background: `linear-gradient(90deg, ${palette.diff.join(', ')})` }}
              title={`-100% … 0 … +100% (${DIFF_STEPS * 2 + 1} steps)`}
            />
            <span>more</span>
          </div>
        )}
        {props.sandwichName === undefined && (
          <Button
            size="sm"
            variant="secondary"
            fill="outline"
            onClick={props.onToggleTable}
            aria-pressed={props.showTable}
          >
            {props.showTable ? 'Hide table' : 'Show table'}
          </Button>
        )}
      </div>
      {props.sandwichName !== undefined ? (
        <nav className={styles.crumbs} aria-label="Sandwich">
          <span>
            Callers and callees of <code>{props.sandwichName}</code>
          </span>
          <Button size="sm" variant="secondary" onClick={props.onCloseSandwich}>
            Back to flame graph
          </Button>
        </nav>
      ) : (
        crumbs.length > 0 && (
          <nav className={styles.crumbs} aria-label="Zoom path" data-testid="zoom-path">
            <Button size="sm" variant="secondary" onClick={() => props.onZoom(0)} data-testid="zoom-reset">
              Reset zoom
            </Button>
            <ol className={styles.crumbList}>
              {crumbs.map((crumb, k) => (
                <li key={crumb.node}>
                  {k === crumbs.length - 1 ? (
                    <span aria-current="location" className={styles.current}>
                      {crumb.name}
                    </span>
                  ) : (
                    <button type="button" className={styles.crumb} onClick={() => props.onZoom(crumb.node)}>
                      {crumb.name}
                    </button>
                  )}
                </li>
              ))}
            </ol>
          </nav>
        )
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  header: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1), marginBottom: theme.spacing(1) }),
  row: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1), flexWrap: 'wrap' }),
  // A fixed basis: in a flex row the input would otherwise be squeezed under the summary text.
  search: css({ flex: '0 0 360px', maxWidth: '100%' }),
  summary: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize, minWidth: 0 }),
  invalid: css({ color: theme.colors.error.text }),
  spacer: css({ flexGrow: 1 }),
  legend: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.secondary,
  }),
  gradient: css({ display: 'inline-block', width: 120, height: 12, borderRadius: theme.shape.radius.default }),
  crumbs: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    fontSize: theme.typography.bodySmall.fontSize,
    minWidth: 0,
  }),
  crumbList: css({
    display: 'flex',
    flexWrap: 'wrap',
    listStyle: 'none',
    margin: 0,
    padding: 0,
    minWidth: 0,
    'li + li::before': { content: '"›"', padding: theme.spacing(0, 0.5), color: theme.colors.text.secondary },
  }),
  crumb: css({
    background: 'none',
    border: 'none',
    padding: 0,
    color: theme.colors.text.link,
    fontFamily: theme.typography.fontFamilyMonospace,
    cursor: 'pointer',
    maxWidth: 240,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  }),
  current: css({ fontFamily: theme.typography.fontFamilyMonospace, fontWeight: theme.typography.fontWeightMedium }),
});
