import { css } from '@emotion/css';
import { formattedValueToString, getValueFormat, type GrafanaTheme2 } from '@grafana/data';
import { TextLink, useStyles2 } from '@grafana/ui';
import React from 'react';

import { flameGraphUrl, type TimeRangeParams, traceUrl } from '../../../shared/appUrls';
import type { SampledTraceId, TracesNotStoredResult } from '../domain/traceIdSample';

interface Props {
  result: TracesNotStoredResult;
  service: string;
  profileType: string;
  time: TimeRangeParams;
}

/**
 * Where to look for trace ids the store lacks: each one's flame graph (Parca's samples of that
 * trace, the only record of it); the ones the store holds open the trace page, folded away.
 */
export function TraceIdLinks({ result, service, profileType, time }: Props) {
  const styles = useStyles2(getStyles);
  const label = (t: SampledTraceId) => `trace ${t.traceId.slice(0, 12)}… (${cpu(t.value)} of CPU)`;
  return (
    <div className={styles.lists}>
      {result.missing.length > 0 && (
        <ul className={styles.list} data-testid="coverage-traces-not-stored">
          {result.missing.map((t) => (
            <li key={t.traceId} data-trace-id={t.traceId}>
              <TextLink href={flameGraphUrl({ profileType, service, traceId: t.traceId, ...time })}>
                {`Flame graph of ${label(t)}`}
              </TextLink>
            </li>
          ))}
        </ul>
      )}
      {result.found.length > 0 && (
        <details data-testid="coverage-traces-stored">
          <summary>{`The ${result.found.length} sampled trace ids the trace store holds`}</summary>
          <ul className={styles.list}>
            {result.found.map((t) => (
              <li key={t.traceId} data-trace-id={t.traceId}>
                <TextLink href={traceUrl({ traceId: t.traceId, ...time })}>{label(t)}</TextLink>
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

const cpu = (ns: number) => formattedValueToString(getValueFormat('ns')(ns));

const getStyles = (theme: GrafanaTheme2) => ({
  lists: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5) }),
  list: css({ margin: 0, paddingLeft: theme.spacing(2) }),
});
