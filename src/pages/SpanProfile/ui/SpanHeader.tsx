import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { Badge, type BadgeColor, Stack, TextLink, useStyles2 } from '@grafana/ui';
import React from 'react';

import type { TraceSpan } from '../../../shared/traces/types';
import { spanUrl, type SpanView, traceUrl } from '../../../shared/appUrls';
import { formatMs } from '../domain/sampling';
import type { SpanFacts, SpanPlace } from '../domain/spanPlace';

const STATUS_COLOR: Record<string, BadgeColor> = { ok: 'green', error: 'red', unset: 'blue' };
/** More children than this are summarised: a fan-out of hundreds would push the flame graph off screen. */
const MAX_CHILDREN = 12;

function linkTo(span: TraceSpan, view: SpanView): string {
  return spanUrl({
    traceId: span.traceId,
    spanId: span.spanId,
    spanStart: span.startMs,
    spanEnd: span.startMs + span.durationMs,
    service: span.service,
    view,
  });
}

function SpanLinkText({ span, view }: { span: TraceSpan; view: SpanView }) {
  return (
    <TextLink href={linkTo(span, view)} inline>
      {`${span.service}: ${span.name} (${formatMs(span.durationMs)})`}
    </TextLink>
  );
}

/** The span: service, name, duration, status, when, and its place in the trace. */
export function SpanHeader({ facts, place, view }: { facts: SpanFacts; place?: SpanPlace; view: SpanView }) {
  const styles = useStyles2(getStyles);
  const durationMs = facts.startMs !== undefined && facts.endMs !== undefined ? facts.endMs - facts.startMs : undefined;
  const children = place?.children ?? [];
  return (
    <div className={styles.header} data-testid="span-header">
      <Stack direction="row" gap={2} alignItems="center" wrap="wrap">
        <span className={styles.service}>{facts.service ?? 'Unknown service'}</span>
        <span className={styles.name}>{facts.name ?? (facts.spanId ? `span ${facts.spanId}` : 'root span')}</span>
        {durationMs !== undefined && <Badge color="purple" text={formatMs(durationMs)} />}
        {facts.status && <Badge color={STATUS_COLOR[facts.status] ?? 'blue'} text={`status ${facts.status}`} />}
        {facts.kind && <Badge color="blue" text={facts.kind} />}
      </Stack>
      <div className={styles.detail}>
        Trace {facts.traceId} (
        <TextLink href={traceUrl({ traceId: facts.traceId })} inline>
          CPU waterfall of the trace
        </TextLink>
        ){facts.spanId && ` · span ${facts.spanId}`}
        {facts.startMs !== undefined && ` · ${dateTimeFormat(facts.startMs, { defaultWithMS: true })}`}
        {place && ` · ${place.services.length} service${place.services.length === 1 ? '' : 's'} in the trace`}
      </div>
      {place && (
        <div className={styles.detail} data-testid="span-place">
          <div>Parent: {place.parent ? <SpanLinkText span={place.parent} view={view} /> : 'none (the trace root)'}</div>
          <div>
            Children: {children.length === 0 && 'none'}
            {children.length > 0 && (
              <ul className={styles.children}>
                {children.slice(0, MAX_CHILDREN).map((c) => (
                  <li key={c.spanId}>
                    <SpanLinkText span={c} view={view} />
                  </li>
                ))}
                {children.length > MAX_CHILDREN && <li>and {children.length - MAX_CHILDREN} more</li>}
              </ul>
            )}
          </div>
        </div>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  header: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5) }),
  service: css({ fontWeight: theme.typography.fontWeightMedium, color: theme.colors.text.secondary }),
  name: css({ fontSize: theme.typography.h4.fontSize, fontWeight: theme.typography.fontWeightMedium }),
  detail: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  children: css({ margin: theme.spacing(0, 0, 0, 2) }),
});
