import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { config } from '@grafana/runtime';
import { type SceneComponentProps } from '@grafana/scenes';
import { Alert, LinkButton, LoadingPlaceholder, RadioButtonGroup, Stack, useStyles2 } from '@grafana/ui';
import React from 'react';

import { spanUrl } from '../../../shared/appUrls';
import { noSamplesReasons, noSamplesTitle } from '../domain/messages';
import { SPAN_VIEWS } from '../domain/profileQueries';
import { samplingFor, shortSpanWarning } from '../domain/sampling';
import { exploreUrl, pprofUrl } from '../infrastructure/profileLinks';
import { SpanHeader } from './SpanHeader';
import type { SpanProfileScene } from './SpanProfileScene';

/** How far either side of a short span the route's merged profile looks by default. */
const ROUTE_MARGIN_MS = 15 * 60 * 1000;

export function SpanProfileRenderer({ model }: SceneComponentProps<SpanProfileScene>) {
  const styles = useStyles2(getStyles);
  const state = model.useState();
  const { facts, place, shown, choice, flameGraph, view } = state;
  const settings = model.settings;

  if (state.linkProblem) {
    return (
      <Alert severity="error" title="This link does not name a trace">
        {state.linkProblem}
      </Alert>
    );
  }

  const durationMs =
    facts?.startMs !== undefined && facts.endMs !== undefined ? facts.endMs - facts.startMs : undefined;
  const sampling = samplingFor(settings, shown?.query.profileType);
  const shortSpan =
    view !== 'route' && durationMs !== undefined ? shortSpanWarning(durationMs, sampling.hz) : undefined;
  const appSubUrl = config.appSubUrl ?? '';
  const uid = settings.parcaDatasourceUid;

  return (
    <div className={styles.page} data-testid="span-profile">
      {state.tracePending && !facts?.name ? (
        <LoadingPlaceholder text="Looking the span up in the trace store…" />
      ) : (
        facts && <SpanHeader facts={facts} place={place} view={view} />
      )}
      {settings.problems.map((p) => (
        <Alert key={p} severity="warning" title="App settings">
          {p}
        </Alert>
      ))}
      {state.traceProblem && (
        <Alert severity="warning" title="Trace store" data-testid="trace-problem">
          {state.traceProblem}
        </Alert>
      )}
      {sampling.problem && (
        <Alert severity="info" title="Sampling frequency unknown">
          {sampling.problem}
        </Alert>
      )}
      {shortSpan && facts?.startMs !== undefined && facts.endMs !== undefined && (
        <Alert severity="warning" title="Too short for a reliable profile" data-testid="short-span-warning">
          <div>{shortSpan.sentence}</div>
          <LinkButton
            className={styles.bannerAction}
            size="sm"
            variant="secondary"
            icon="layer-group"
            href={spanUrl({
              traceId: facts.traceId,
              spanId: facts.spanId,
              spanStart: facts.startMs,
              spanEnd: facts.endMs,
              service: facts.service,
              view: 'route',
              from: Math.floor(facts.startMs - ROUTE_MARGIN_MS),
              to: Math.ceil(facts.endMs + ROUTE_MARGIN_MS),
            })}
          >
            Merged profile of the route
          </LinkButton>
        </Alert>
      )}
      <Stack direction="row" gap={2} alignItems="center" wrap="wrap">
        <RadioButtonGroup
          aria-label="View"
          options={SPAN_VIEWS.map(({ value, label, description }) => ({ value, label, description }))}
          value={view}
          onChange={(v) => model.setView(v)}
        />
        {shown && (
          <>
            <LinkButton
              variant="secondary"
              icon="download-alt"
              href={pprofUrl(uid, shown, appSubUrl)}
              download
              tooltip="The profile shown, as pprof (.pb.gz), for go tool pprof"
            >
              Download pprof
            </LinkButton>
            <LinkButton variant="secondary" icon="compass" href={exploreUrl(uid, shown, appSubUrl)}>
              Open in Explore
            </LinkButton>
          </>
        )}
      </Stack>
      {state.planProblem && (
        <Alert severity="warning" title="Nothing to ask Parca">
          {state.planProblem}
        </Alert>
      )}
      {state.profileProblem && (
        <Alert severity="error" title="Parca" data-testid="profile-problem">
          {state.profileProblem}
        </Alert>
      )}
      {choice && choice.kind !== 'none' && (
        <Alert
          severity={choice.kind === 'window' ? 'warning' : 'info'}
          title={choice.kind === 'window' ? "The service's CPU in the span's window" : 'Profile source'}
          data-testid="profile-source"
        >
          {choice.sentence}
        </Alert>
      )}
      {choice?.kind === 'none' && (
        <Alert severity="info" title={noSamplesTitle(shown?.labelled ?? true)} data-testid="no-samples">
          <div>{choice.sentence} Likely causes:</div>
          <ul className={styles.reasons}>
            {noSamplesReasons({
              durationMs,
              hz: sampling.hz,
              service: facts?.service,
              serviceLabel: settings.serviceLabel,
              labelled: true,
            }).map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </Alert>
      )}
      {flameGraph && !state.profileProblem && choice?.kind !== 'none' && <flameGraph.Component model={flameGraph} />}
      {facts?.startMs !== undefined && (
        <div className={styles.when}>
          Span started {dateTimeFormat(facts.startMs, { defaultWithMS: true })}
          {shown && ` · profile window ${shown.window.toMs - shown.window.fromMs} ms`}
        </div>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2), width: '100%' }),
  bannerAction: css({ marginTop: theme.spacing(1) }),
  reasons: css({ margin: theme.spacing(1, 0, 0, 2) }),
  when: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
