import { css } from '@emotion/css';
import { getValueFormat, type GrafanaTheme2, formattedValueToString } from '@grafana/data';
import type { SceneComponentProps } from '@grafana/scenes';
import { Alert, Combobox, type ComboboxOption, Field, LoadingPlaceholder, Stack, useStyles2 } from '@grafana/ui';
import React, { useMemo } from 'react';

import { comboboxWidthFor } from '../../../shared/ui/comboboxWidth';
import type { GrowthTable } from '../domain/growth';
import { formatMs, type WhySlowChoice } from '../domain/whySlow';
import type { WhySlowTab } from './WhySlowTab';

export function WhySlowTabRenderer({ model }: SceneComponentProps<WhySlowTab>) {
  const { service, route, routes, outcome, flameGraph, growth, profileType } = model.useState();
  const styles = useStyles2(getStyles);
  const options = useMemo<Array<ComboboxOption<string>>>(() => {
    const listed = routes.state === 'done' ? routes.value : [];
    const opts = listed.map((r) => ({ value: r.name, label: r.name, description: `${r.spans} spans in range` }));
    return route && !listed.some((r) => r.name === route) ? [{ value: route, label: route }, ...opts] : opts;
  }, [routes, route]);
  const width = useMemo(() => comboboxWidthFor(options, 30), [options]);

  return (
    <div className={styles.tab} data-testid="why-slow">
      <Field label="Route" description="The span name of the service's server spans" noMargin>
        <Combobox
          id="spanflame-why-slow-route"
          aria-label="Route"
          options={options}
          value={route ?? null}
          onChange={(o) => o && model.selectRoute(o.value)}
          placeholder={routes.state === 'loading' ? 'Loading routes…' : 'Pick a route'}
          width={width}
        />
      </Field>
      {routes.state === 'error' && (
        <Alert severity="error" title="Could not list the routes">
          {routes.message}
        </Alert>
      )}
      {routes.state === 'done' && routes.value.length === 0 && (
        <Alert severity="info" title="No routes">
          The trace store holds no server spans of {service} in this time range. Widen the range.
        </Alert>
      )}
      {!route && routes.state === 'done' && routes.value.length > 0 && (
        <Alert severity="info" title="Pick a route">
          Why slow compares a route&apos;s slow requests with its typical ones: pick the route above.
        </Alert>
      )}
      {route && outcome && <Outcome outcome={outcome} />}
      {route && !profileType && (
        <Alert severity="info" title="No profile type">
          Parca holds no profile types to compare: once it has profiles of {service}, they show here.
        </Alert>
      )}
      {outcome?.state === 'done' && 'choice' in outcome.value && growth && (
        <GrowthRows table={growth} choice={outcome.value.choice} />
      )}
      {flameGraph && (
        <div className={styles.flame}>
          <flameGraph.Component model={flameGraph} />
        </div>
      )}
    </div>
  );
}

function Outcome({ outcome }: { outcome: NonNullable<ReturnType<WhySlowTab['useState']>['outcome']> }) {
  if (outcome.state === 'loading') {
    return <LoadingPlaceholder text="Finding the route's slow and typical requests…" />;
  }
  if (outcome.state === 'error') {
    return (
      <Alert severity="error" title="Could not search the trace store">
        {outcome.message}
      </Alert>
    );
  }
  if ('problem' in outcome.value) {
    return (
      <Alert severity="info" title="Nothing to compare" data-testid="why-slow-problem">
        {outcome.value.problem}
      </Alert>
    );
  }
  return <ChoiceSummary choice={outcome.value.choice} />;
}

/** What was compared, so the reader can judge the diff: how many requests each side, and how long. */
function ChoiceSummary({ choice }: { choice: WhySlowChoice }) {
  const range = (r: { minMs: number; maxMs: number }) =>
    r.minMs === r.maxMs ? formatMs(r.minMs) : `${formatMs(r.minMs)} to ${formatMs(r.maxMs)}`;
  return (
    <div data-testid="why-slow-choice">
      <p>
        Of {choice.considered} requests of this route in the range (median {formatMs(choice.p50Ms)}, p95{' '}
        {formatMs(choice.p95Ms)}), the flame graph compares the <strong>{choice.slow.length} slowest above p95</strong>{' '}
        ({range(choice.slowRange)}, right side) with the <strong>{choice.typical.length} nearest the median</strong> (
        {range(choice.typicalRange)}, left side), by the trace_id label of their CPU samples: one diff query on Parca,
        however many traces there are.
      </p>
      <p>
        Colours compare each function&apos;s share of its side&apos;s CPU. A route slow by computing runs the same code
        longer, so its shares barely move: the table compares CPU per request instead.
      </p>
    </div>
  );
}

function GrowthRows({ table, choice }: { table: GrowthTable; choice: WhySlowChoice }) {
  const styles = useStyles2(getStyles);
  const format = getValueFormat(table.unit);
  const show = (v: number) => formattedValueToString(format(v));
  if (table.rows.length === 0) {
    return (
      <Alert severity="info" title="No function grew per request">
        The {choice.slow.length} slow requests used no more CPU per request than the {choice.typical.length} typical
        ones in any function: they were slow waiting (a sleep, a downstream call, a lock or a queue), not computing.
      </Alert>
    );
  }
  return (
    <Stack direction="column" gap={1}>
      <strong>CPU per request that grew, slow against typical</strong>
      <table className={styles.table} data-testid="why-slow-growth">
        <thead>
          <tr>
            <th scope="col">Function</th>
            <th scope="col">Typical</th>
            <th scope="col">Slow</th>
            <th scope="col">Grew by</th>
          </tr>
        </thead>
        <tbody>
          {table.rows.map((r) => (
            <tr key={r.name} data-testid="why-slow-growth-row">
              <td className={styles.name}>{r.name}</td>
              <td>{show(r.typicalPerRequest)}</td>
              <td>{show(r.slowPerRequest)}</td>
              <td>+{show(r.growth)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Stack>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  tab: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
  flame: css({ minHeight: 400 }),
  table: css({
    width: '100%',
    fontSize: theme.typography.bodySmall.fontSize,
    'th, td': { padding: theme.spacing(0.5, 1), borderBottom: `1px solid ${theme.colors.border.weak}` },
    th: { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightRegular, textAlign: 'left' },
  }),
  name: css({ fontFamily: theme.typography.fontFamilyMonospace, wordBreak: 'break-all' }),
});
