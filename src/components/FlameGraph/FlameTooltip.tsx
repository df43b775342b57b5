import { css } from '@emotion/css';
import { type GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import React from 'react';
import { createPortal } from 'react-dom';

import { type FrameDetails } from './frameDetails';

export interface FlameTooltipProps {
  details: FrameDetails;
  /** Mouse position in viewport coordinates. */
  x: number;
  y: number;
}

const OFFSET_PX = 12;
const MAX_WIDTH_PX = 420;

/** Follows the mouse over a frame; flips to the left near the right edge so it stays on screen. */
export function FlameTooltip({ details, x, y }: FlameTooltipProps) {
  const styles = useStyles2(getStyles);
  const left =
    x + OFFSET_PX + MAX_WIDTH_PX > window.innerWidth ? Math.max(0, x - OFFSET_PX - MAX_WIDTH_PX) : x + OFFSET_PX;
  // A portal to <body>: the chart's container clips overflow, and fixed positioning needs no offset maths.
  return createPortal(
    <div className={styles.tooltip} style={{ left, top: y + OFFSET_PX }} role="tooltip" data-testid="flame-tooltip">
      <div className={styles.name}>{details.name}</div>
      <table className={styles.table}>
        <tbody>
          {details.rows.map((row) => (
            <tr key={row.label}>
              <th scope="row">{row.label}</th>
              <td>{row.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>,
    document.body
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  tooltip: css({
    position: 'fixed',
    zIndex: theme.zIndex.tooltip,
    maxWidth: MAX_WIDTH_PX,
    padding: theme.spacing(1),
    background: theme.colors.background.elevated,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    boxShadow: theme.shadows.z3,
    color: theme.colors.text.primary,
    pointerEvents: 'none',
  }),
  name: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    fontWeight: theme.typography.fontWeightMedium,
    wordBreak: 'break-all',
    marginBottom: theme.spacing(0.5),
  }),
  table: css({
    fontSize: theme.typography.bodySmall.fontSize,
    th: {
      color: theme.colors.text.secondary,
      fontWeight: theme.typography.fontWeightRegular,
      paddingRight: theme.spacing(1),
      textAlign: 'left',
      whiteSpace: 'nowrap',
    },
  }),
});
