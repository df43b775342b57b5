import { css, cx } from '@emotion/css';
import { type GrafanaTheme2 } from '@grafana/data';

/** The coverage panel's small tables (groups, reasons): compact rows, theme borders and text. */
export const compactTable = (theme: GrafanaTheme2) =>
  css({
    width: '100%',
    borderCollapse: 'collapse',
    fontSize: theme.typography.bodySmall.fontSize,
    'th, td': { padding: theme.spacing(0.5, 1), borderBottom: `1px solid ${theme.colors.border.weak}` },
    th: { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium, textAlign: 'left' },
  });

/** The cells of a table of functions: a monospace name cut with an ellipsis, numbers, a part-of bar. */
export const functionCells = (theme: GrafanaTheme2) => ({
  table: cx(compactTable(theme), css({ tableLayout: 'fixed' })),
  name: css({
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    fontFamily: theme.typography.fontFamilyMonospace,
  }),
  number: css({ width: 90, textAlign: 'right', fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }),
  bar: css({ width: 110 }),
  track: css({ height: 8, background: theme.colors.background.secondary, borderRadius: theme.shape.radius.default }),
  fill: css({ height: '100%', background: theme.colors.warning.main, borderRadius: theme.shape.radius.default }),
});
