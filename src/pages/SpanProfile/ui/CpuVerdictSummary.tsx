import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import type { SceneComponentProps } from '@grafana/scenes';
import { Alert, LoadingPlaceholder, TextLink, useStyles2 } from '@grafana/ui';
import React from 'react';

import { spanUrl } from '../../../shared/appUrls';
import type { CpuVerdictKind } from '../domain/cpuVerdict';
import { formatMs } from '../domain/sampling';
import type { SpanCpuVerdict } from './SpanCpuVerdict';

const SEVERITY: Record<CpuVerdictKind, 'info' | 'warning'> = {
  computing: 'info',
  waiting: 'info',
  borderline: 'info',
  'too-few-samples': 'warning',
  unattributed: 'warning',
  unknown: 'warning',
};

/** Computing or waiting: the span's CPU beside its duration, its range, and where a wait went. */
export function CpuVerdictSummary({ model }: SceneComponentProps<SpanCpuVerdict>) {
  const styles = useStyles2(getStyles);
  const { verdict, waiting, problem, traceId } = model.useState();

  if (problem) {
    return (
      <Alert severity="warning" title="CPU time unknown" data-testid="cpu-verdict">
        {problem}
      </Alert>
    );
  }
  if (!verdict) {
    return <LoadingPlaceholder text="Measuring this span's CPU…" />;
  }
  return (
    <Alert
      severity={SEVERITY[verdict.kind]}
      title={verdict.title}
      data-testid="cpu-verdict"
      data-verdict={verdict.kind}
    >
      <div className={styles.headline}>{verdict.headline}</div>
      {verdict.rangeSentence && <div className={styles.detail}>{verdict.rangeSentence}</div>}
      {verdict.subtree && (
        <div className={styles.detail}>
          With what it called (this trace&apos;s samples in the span&apos;s window, every service): CPU{' '}
          {formatMs(verdict.subtree.cpuMs)}.
        </div>
      )}
      {verdict.shortSpan && (verdict.kind === 'too-few-samples' || verdict.kind === 'unknown') && (
        <div className={styles.detail}>{verdict.shortSpan.sentence}</div>
      )}
      {waiting && waiting.children.length > 0 && (
        <div className={styles.detail} data-testid="waiting-children">
          Where the time went: child spans cover {formatMs(waiting.coveredMs)} of it, longest first.
          <ul className={styles.children}>
            {waiting.children.map(({ span, coveredMs }) => (
              <li key={span.spanId}>
                <TextLink
                  inline
                  href={spanUrl({
                    traceId,
                    spanId: span.spanId,
                    spanStart: span.startMs,
                    spanEnd: span.startMs + span.durationMs,
                    service: span.service,
                  })}
                >
                  {`${span.service}: ${span.name}`}
                </TextLink>{' '}
                {formatMs(coveredMs)}
              </li>
            ))}
            {waiting.more > 0 && <li>and {waiting.more} more</li>}
          </ul>
        </div>
      )}
      {waiting && waiting.children.length === 0 && (
        <div className={styles.detail}>
          It called no traced downstream service: it waited for a lock, a sleep, an untraced call or a free core.
        </div>
      )}
    </Alert>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  headline: css({ fontWeight: theme.typography.fontWeightMedium }),
  detail: css({ marginTop: theme.spacing(0.5), color: theme.colors.text.secondary }),
  children: css({ margin: theme.spacing(0.5, 0, 0, 2) }),
});
