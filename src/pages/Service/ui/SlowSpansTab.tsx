import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2, LoadingState } from '@grafana/data';
import { type SceneComponentProps, SceneObjectBase, type SceneObjectState, sceneGraph } from '@grafana/scenes';
import {
  Alert,
  Badge,
  Button,
  type Column,
  Field,
  Input,
  InteractiveTable,
  LoadingPlaceholder,
  Stack,
  TextLink,
  useStyles2,
} from '@grafana/ui';
import React, { useMemo, useState } from 'react';

import { spanUrl } from '../../../shared/appUrls';
import { spansFromFrame } from '../../../shared/traces/spansFrame';
import type { TraceSpan } from '../../../shared/traces/types';
import { buildSlowSpansQueryRunner } from '../infrastructure/buildServiceTabQueryRunners';
import {
  describeBand,
  type DurationBand,
  parseBand,
  routeOf,
  SLOW_SPANS_SEARCH_LIMIT,
  slowestInBand,
} from '../domain/slowSpans';
import { formatMs } from '../domain/whySlow';

interface SlowSpansTabState extends SceneObjectState {
  service: string;
  band: DurationBand;
  /** What was wrong with the band the URL gave. */
  bandProblem?: string;
}

/**
 * The slowest server spans of the service over the page range, in a duration band. The band is
 * the page's (ServiceView keeps it in the URL); changing it here asks the page, which rebuilds
 * this tab with the new band.
 */
export class SlowSpansTab extends SceneObjectBase<SlowSpansTabState> {
  static Component = SlowSpansTabRenderer;

  constructor(
    state: SlowSpansTabState,
    private readonly onBandChange: (band: DurationBand) => void
  ) {
    super({ ...state, $data: buildSlowSpansQueryRunner(state.service, state.band) });
  }

  setBand(band: DurationBand) {
    this.onBandChange(band);
  }
}

type Row = TraceSpan & { id: string; route: string };

function SlowSpansTabRenderer({ model }: SceneComponentProps<SlowSpansTab>) {
  const { service, band, bandProblem } = model.useState();
  const { data } = sceneGraph.getData(model).useState();
  const styles = useStyles2(getStyles);
  const spans = useMemo(() => spansFromFrame(data?.series[0]), [data]);
  const { rows, inBand } = useMemo(() => slowestInBand(spans, band), [spans, band]);
  const tableRows = useMemo<Row[]>(
    () => rows.map((s) => ({ ...s, id: `${s.traceId}-${s.spanId}`, route: routeOf(s) })),
    [rows]
  );
  const columns = useMemo<Array<Column<Row>>>(() => spanColumns(service), [service]);

  let body: React.ReactNode;
  if (!data || data.state === LoadingState.NotStarted || data.state === LoadingState.Loading) {
    body = <LoadingPlaceholder text={`Searching the trace store for server spans of ${service}…`} />;
  } else if (data.state === LoadingState.Error || data.errors?.length) {
    body = (
      <Alert severity="error" title="Could not search the trace store" data-testid="slow-spans-error">
        {data.errors?.[0]?.message ?? 'The trace search failed without saying why.'}
      </Alert>
    );
  } else if (tableRows.length === 0) {
    const notice = data.series[0]?.meta?.notices?.[0]?.text;
    body = (
      <Alert severity="info" title="No spans to show" data-testid="slow-spans-empty">
        {notice ??
          `No server spans of ${service} of ${describeBand(band)} in this time range. Widen the range or the band.`}
      </Alert>
    );
  } else {
    body = (
      <>
        <div className={styles.summary} data-testid="slow-spans-summary">
          The {tableRows.length} slowest of {inBand} server span{inBand === 1 ? '' : 's'} of {service} of{' '}
          {describeBand(band)}
          {spans.length >= SLOW_SPANS_SEARCH_LIMIT &&
            ` (the trace store returned its first ${SLOW_SPANS_SEARCH_LIMIT}: narrow the range or raise the minimum to see the rest)`}
          .
        </div>
        <div data-testid="slow-spans-table">
          <InteractiveTable columns={columns} data={tableRows} getRowId={(r) => r.id} />
        </div>
      </>
    );
  }

  return (
    <div className={styles.tab}>
      {/* Keyed by the band: a band from the URL starts the inputs afresh. */}
      <BandControls key={`${band.minMs}-${band.maxMs}`} band={band} onApply={(b) => model.setBand(b)} />
      {bandProblem && (
        <Alert severity="warning" title="Duration band" data-testid="band-problem">
          {bandProblem}
        </Alert>
      )}
      {body}
    </div>
  );
}

function spanColumns(service: string): Array<Column<Row>> {
  return [
    {
      id: 'route',
      header: 'Route',
      cell: ({ row: { original: s } }) => (
        <TextLink
          href={spanUrl({
            traceId: s.traceId,
            spanId: s.spanId,
            spanStart: s.startMs,
            spanEnd: s.startMs + s.durationMs,
            service: s.service || service,
          })}
          inline={false}
        >
          {s.route}
        </TextLink>
      ),
    },
    {
      id: 'durationMs',
      header: 'Duration',
      cell: ({ row: { original: s } }) => (
        <span data-testid="slow-span-duration" data-ms={s.durationMs}>
          {formatMs(s.durationMs)}
        </span>
      ),
    },
    {
      id: 'status',
      header: 'Status',
      cell: ({ row: { original: s } }) => (
        <Badge
          text={s.status === 'error' ? 'error' : s.status === 'ok' ? 'ok' : 'unset'}
          color={s.status === 'error' ? 'red' : s.status === 'ok' ? 'green' : 'blue'}
        />
      ),
    },
    {
      id: 'startMs',
      header: 'Start',
      cell: ({ row: { original: s } }) => dateTimeFormat(s.startMs, { format: 'YYYY-MM-DD HH:mm:ss.SSS' }),
    },
  ];
}

/** Minimum and maximum duration in ms; applied together, so one change asks the store once. */
function BandControls({ band, onApply }: { band: DurationBand; onApply: (band: DurationBand) => void }) {
  const [min, setMin] = useState(band.minMs?.toString() ?? '');
  const [max, setMax] = useState(band.maxMs?.toString() ?? '');
  const parsed = parseBand(min, max);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (!parsed.problem) {
          onApply(parsed.band);
        }
      }}
    >
      <Stack direction="row" alignItems="flex-end" gap={1}>
        {[
          { label: 'Minimum duration (ms)', value: min, set: setMin },
          { label: 'Maximum duration (ms)', value: max, set: setMax },
        ].map((bound) => (
          <Field key={bound.label} label={bound.label} invalid={Boolean(parsed.problem)} noMargin>
            <Input
              aria-label={bound.label}
              inputMode="decimal"
              value={bound.value}
              placeholder="any"
              width={16}
              onChange={(e) => bound.set(e.currentTarget.value)}
            />
          </Field>
        ))}
        <Button type="submit" variant="secondary" disabled={Boolean(parsed.problem)}>
          Apply band
        </Button>
      </Stack>
      {parsed.problem && <div role="alert">{parsed.problem}</div>}
    </form>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  tab: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
  summary: css({ color: theme.colors.text.secondary }),
});
