import { css } from '@emotion/css';
import { formattedValueToString, getValueFormat, type GrafanaTheme2, type RawTimeRange } from '@grafana/data';
import { Badge, LinkButton, LoadingPlaceholder, TextLink, useStyles2 } from '@grafana/ui';
import React from 'react';

import type { CoverageFunction } from '../../../panels/coverage/domain/readCoverage';
import { APP_SETTINGS_URL, flameGraphUrl, serviceUrl, spanUrl } from '../../../shared/appUrls';
import type { TraceSpan } from '../../../shared/traces/types';
import { formatShare, REASON_TITLES, type Reason } from '../domain/reasons';
import type { TracesNotStoredResult } from '../domain/traceIdSample';
import { rankUnlinkedFunctions } from '../domain/unlinkedFunctions';
import { TraceIdLinks } from './TraceIdLinks';
import { UnlinkedFunctions } from './UnlinkedFunctions';

interface Props {
  reasons: Reason[];
  service: string;
  range: RawTimeRange;
  profileType: string;
  topFunctions: CoverageFunction[];
  unlinkedTotal?: number;
  unit: string;
  spansWithoutSamples: TraceSpan[];
  tracesNotStored?: TracesNotStoredResult;
}

const urlTime = (t: RawTimeRange['from']) => (typeof t === 'string' ? t : t.valueOf());

/** The reasons, largest share first, each with the place to look. */
export function ReasonsList(props: Props) {
  const styles = useStyles2(getStyles);
  return (
    <ol className={styles.list} data-testid="coverage-page-reasons">
      {props.reasons.map((reason) => (
        <li key={reason.id} className={styles.reason} data-testid="coverage-page-reason" data-reason={reason.id}>
          <div className={styles.heading}>
            <span className={styles.title}>{REASON_TITLES[reason.id]}</span>
            {reason.state === 'measured' ? (
              <span
                className={styles.share}
                data-testid="coverage-reason-share"
                data-share={reason.share}
                title={reason.population}
              >
                {formatShare(reason.share)} <span className={styles.population}>{reason.population}</span>
              </span>
            ) : (
              <Badge
                text={reason.state === 'loading' ? 'measuring' : reason.state === 'empty' ? 'no data' : 'not measured'}
                color={reason.state === 'unavailable' ? 'orange' : 'blue'}
              />
            )}
          </div>
          {reason.state === 'loading' ? (
            <LoadingPlaceholder text={reason.detail} />
          ) : (
            <div className={styles.detail} data-testid="coverage-reason-detail">
              {reason.detail}
              {reason.state === 'unavailable' && reason.needsSetting && (
                <>
                  {' '}
                  <TextLink href={APP_SETTINGS_URL}>Open the app settings</TextLink>
                </>
              )}
            </div>
          )}
          <ReasonLinks reason={reason} {...props} />
        </li>
      ))}
    </ol>
  );
}

function ReasonLinks({
  reason,
  service,
  range,
  profileType,
  topFunctions,
  unlinkedTotal,
  unit,
  spansWithoutSamples,
  tracesNotStored,
}: Props & { reason: Reason }) {
  const styles = useStyles2(getStyles);
  const time = { from: urlTime(range.from), to: urlTime(range.to) };
  if (reason.state !== 'measured') {
    return null;
  }
  switch (reason.id) {
    case 'outside-requests': {
      const format = getValueFormat(unit);
      return (
        <div className={styles.links}>
          {topFunctions.length > 0 && (
            <UnlinkedFunctions
              functions={rankUnlinkedFunctions(topFunctions, unlinkedTotal)}
              formatValue={(v) => formattedValueToString(format(v))}
            />
          )}
          <div className={styles.buttons}>
            <LinkButton size="sm" variant="secondary" icon="fire" href="#unlinked-stacks">
              Stacks without a trace link
            </LinkButton>
            <LinkButton size="sm" variant="secondary" href={flameGraphUrl({ profileType, service, ...time })}>
              The service&apos;s flame graph
            </LinkButton>
          </div>
        </div>
      );
    }
    case 'short-requests':
      return (
        <div className={styles.buttons}>
          <LinkButton size="sm" variant="secondary" href={serviceUrl({ service, tab: 'red', ...time })}>
            Durations by route
          </LinkButton>
        </div>
      );
    case 'spans-without-samples':
      return spansWithoutSamples.length === 0 ? null : (
        <ul className={styles.spans} data-testid="coverage-spans-without-samples">
          {spansWithoutSamples.map((span) => (
            <li key={span.spanId}>
              <TextLink
                href={spanUrl({
                  traceId: span.traceId,
                  spanId: span.spanId,
                  spanStart: span.startMs,
                  spanEnd: span.startMs + span.durationMs,
                  service: span.service,
                  ...time,
                })}
              >
                {`${span.name} (${span.durationMs.toFixed(1)} ms, trace ${span.traceId.slice(0, 8)}…)`}
              </TextLink>
            </li>
          ))}
        </ul>
      );
    case 'traces-not-stored':
      return tracesNotStored ? (
        <TraceIdLinks result={tracesNotStored} service={service} profileType={profileType} time={time} />
      ) : null;
    default:
      return null;
  }
}

const getStyles = (theme: GrafanaTheme2) => ({
  list: css({
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
  }),
  reason: css({
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(1, 2),
    background: theme.colors.background.primary,
  }),
  heading: css({ display: 'flex', alignItems: 'baseline', gap: theme.spacing(2) }),
  title: css({ fontWeight: theme.typography.fontWeightMedium, fontSize: theme.typography.h5.fontSize }),
  share: css({ fontVariantNumeric: 'tabular-nums', fontSize: theme.typography.h5.fontSize }),
  population: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  detail: css({ color: theme.colors.text.secondary, margin: theme.spacing(0.5, 0) }),
  links: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  buttons: css({ display: 'flex', gap: theme.spacing(1), flexWrap: 'wrap' }),
  spans: css({ margin: 0, paddingLeft: theme.spacing(2) }),
});
