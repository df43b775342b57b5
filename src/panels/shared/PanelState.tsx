import { css } from '@emotion/css';
import { type GrafanaTheme2, LoadingState, type PanelData } from '@grafana/data';
import { Icon, LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import React, { type ReactNode } from 'react';

/**
 * What a panel shows instead of its visualisation. Every state says what happened and what to do:
 * a panel is never blank. (Grafana also marks a failed query in the panel header; the body says it
 * in words, which is what a dashboard reader looks at.)
 */
export type PanelStateKind = 'error' | 'empty' | 'wrong-shape' | 'loading';

const ICONS = { error: 'exclamation-triangle', empty: 'info-circle', 'wrong-shape': 'exclamation-circle' } as const;

export function PanelState({ kind, title, children }: { kind: PanelStateKind; title: string; children?: ReactNode }) {
  const styles = useStyles2(getStyles);
  if (kind === 'loading') {
    return <LoadingPlaceholder text={title} className={styles.state} data-testid="panel-state-loading" />;
  }
  return (
    <div className={styles.state} role={kind === 'error' ? 'alert' : 'status'} data-testid={`panel-state-${kind}`}>
      <div className={styles.title[kind]}>
        <Icon name={ICONS[kind]} /> {title}
      </div>
      {children && <div className={styles.detail}>{children}</div>}
    </div>
  );
}

/** The query errors of a panel's data as sentences; empty when the queries succeeded. */
export function queryErrors(data: PanelData): string[] {
  // data.error is the single-error field older code and hosts still fill; errors supersedes it.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const errors = data.errors?.length ? data.errors : data.error ? [data.error] : [];
  return errors.map((e) => {
    const where = e.refId ? `Query ${e.refId}: ` : '';
    return `${where}${e.message ?? e.data?.message ?? 'the query failed (no message)'}`;
  });
}

/**
 * The state a panel shows before it looks at frames: an error, or loading with nothing yet.
 * Returns undefined when the panel should read its frames.
 */
export function dataState(data: PanelData): ReactNode | undefined {
  const errors = queryErrors(data);
  if (errors.length > 0 && data.series.every((f) => f.length === 0)) {
    return (
      <PanelState kind="error" title="The query failed">
        {errors.map((e) => (
          <div key={e}>{e}</div>
        ))}
      </PanelState>
    );
  }
  if (data.state === LoadingState.Loading && data.series.length === 0) {
    return <PanelState kind="loading" title="Loading…" />;
  }
  return undefined;
}

const getStyles = (theme: GrafanaTheme2) => ({
  state: css({
    padding: theme.spacing(1, 2),
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
    overflowWrap: 'anywhere',
  }),
  title: {
    error: css({ color: theme.colors.error.text, fontWeight: theme.typography.fontWeightMedium }),
    'wrong-shape': css({ color: theme.colors.warning.text, fontWeight: theme.typography.fontWeightMedium }),
    empty: css({ color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium }),
  },
  detail: css({ color: theme.colors.text.primary, fontSize: theme.typography.bodySmall.fontSize }),
});

/** What a panel's frame reader says when it cannot draw: nothing sampled, or frames of another shape. */
export type FrameProblem = { kind: 'empty'; reason: string } | { kind: 'wrong-shape'; message: string };

export function FrameProblemState({
  problem,
  emptyTitle,
  wrongShapeTitle,
}: {
  problem: FrameProblem;
  emptyTitle: string;
  wrongShapeTitle: string;
}) {
  return problem.kind === 'empty' ? (
    <PanelState kind="empty" title={emptyTitle}>
      {problem.reason}
    </PanelState>
  ) : (
    <PanelState kind="wrong-shape" title={wrongShapeTitle}>
      {problem.message}
    </PanelState>
  );
}
