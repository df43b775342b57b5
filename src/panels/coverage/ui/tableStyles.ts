import { css } from '@emotion/css';
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
