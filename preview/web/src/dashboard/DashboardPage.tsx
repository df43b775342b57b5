import { useEffect, useMemo, useState } from 'react';
import { css } from '@emotion/css';
import { type GrafanaTheme2, type RawTimeRange } from '@grafana/data';
import { Alert, LoadingPlaceholder, useStyles2 } from '@grafana/ui';

import { reportHostError } from '../hostErrors';
import { templateSrv } from '../services';
import { PanelView } from './PanelView';
import { type DashboardPanelJSON } from './runPanelQueries';

/** Grafana's grid: 24 columns, rows of 30 px with 8 px between them. */
const GRID_ROW_PX = 30;
const GRID_GAP_PX = 8;

interface VariableJSON {
  name: string;
  current?: { value?: string | string[] };
  allValue?: string | null;
}

interface DashboardJSON {
  uid: string;
  title: string;
  time?: RawTimeRange;
  panels?: Array<DashboardPanelJSON & { collapsed?: boolean; panels?: DashboardPanelJSON[] }>;
  templating?: { list?: VariableJSON[] };
}

/**
 * The variables' saved values as URL parameters, for those the URL does not set: the host's
 * TemplateSrv reads variables from the URL (as a dashboard link passes them). "All" stays `$__all`
 * (allValuesOf says what it stands for). Variable queries do not run.
 */
export function missingVariableParams(dashboard: DashboardJSON, search: string): URLSearchParams | undefined {
  const params = new URLSearchParams(search);
  let added = false;
  for (const variable of dashboard.templating?.list ?? []) {
    if (params.has(`var-${variable.name}`)) {
      continue;
    }
    const current = variable.current?.value;
    const values = Array.isArray(current) ? current : current !== undefined ? [current] : [];
    // "All" stays $__all in the URL, as in Grafana; allValuesOf says what it stands for.
    const resolved = values.map(String);
    resolved.forEach((v) => params.append(`var-${variable.name}`, v));
    added = added || resolved.length > 0;
  }
  return added ? params : undefined;
}

/**
 * What "All" stands for, per variable that includes it: its allValue, used unescaped; without one
 * Grafana joins every option into a regex, which needs the variable's query (not run here): `.*`.
 */
export function allValuesOf(dashboard: DashboardJSON): Map<string, string> {
  const all = new Map<string, string>();
  for (const variable of dashboard.templating?.list ?? []) {
    all.set(variable.name, variable.allValue ?? '.*');
  }
  return all;
}

/** Panels in gridPos order (top to bottom, left to right); rows flattened, their panels kept. */
export function layoutPanels(dashboard: DashboardJSON): DashboardPanelJSON[] {
  const flat = (dashboard.panels ?? []).flatMap((p) => (p.type === 'row' ? (p.panels ?? []) : [p]));
  return flat.sort((a, b) => (a.gridPos?.y ?? 0) - (b.gridPos?.y ?? 0) || (a.gridPos?.x ?? 0) - (b.gridPos?.x ?? 0));
}

/**
 * A provisioned dashboard at /d/<uid>: its panels laid out on Grafana's grid, each running its
 * targets and drawn by its panel plugin from dist/. Time range from ?from=&to= or the dashboard's.
 */
export function DashboardPage({ uid }: { uid: string }) {
  const styles = useStyles2(getStyles);
  const [dashboard, setDashboard] = useState<DashboardJSON>();
  const [missing, setMissing] = useState<string>();

  useEffect(() => {
    fetch(`/api/dashboards/uid/${encodeURIComponent(uid)}`)
      .then(async (res) => {
        const body = await res.json();
        if (!res.ok) {
          setMissing(body.message ?? res.statusText);
          return;
        }
        const loaded = body.dashboard as DashboardJSON;
        const params = missingVariableParams(loaded, window.location.search);
        if (params) {
          // Reload with the variables in the URL, where the TemplateSrv reads them at start.
          window.location.replace(`${window.location.pathname}?${params}`);
          return;
        }
        templateSrv.setAllValues(allValuesOf(loaded));
        setDashboard(loaded);
      })
      .catch((err) => reportHostError(`Loading dashboard ${uid}`, err));
  }, [uid]);

  const rawRange = useMemo<RawTimeRange>(() => {
    const params = new URLSearchParams(window.location.search);
    return {
      from: params.get('from') ?? dashboard?.time?.from ?? 'now-1h',
      to: params.get('to') ?? dashboard?.time?.to ?? 'now',
    };
  }, [dashboard]);

  if (missing) {
    return <Alert severity="warning" title={`Dashboard ${uid}: ${missing}`} />;
  }
  if (!dashboard) {
    return <LoadingPlaceholder text="Loading dashboard…" />;
  }
  return (
    <div data-testid="dashboard" data-uid={dashboard.uid}>
      <h2 className={styles.title}>
        {dashboard.title}{' '}
        <span className={styles.range}>
          {String(rawRange.from)} to {String(rawRange.to)}
        </span>
      </h2>
      <div className={styles.grid}>
        {layoutPanels(dashboard).map((panel, i) => {
          const pos = panel.gridPos ?? { x: 0, y: i * 8, w: 24, h: 8 };
          return (
            <div
              key={panel.id ?? i}
              className={styles.cell}
              style={{ gridColumn: `${pos.x + 1} / span ${pos.w}`, gridRow: `${pos.y + 1} / span ${pos.h}` }}
            >
              <PanelView panel={panel} rawRange={rawRange} dashboardUID={dashboard.uid} />
            </div>
          );
        })}
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  title: css({ margin: theme.spacing(0, 0, 1, 0) }),
  range: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  grid: css({
    display: 'grid',
    gridTemplateColumns: 'repeat(24, minmax(0, 1fr))',
    gridAutoRows: GRID_ROW_PX,
    gap: GRID_GAP_PX,
  }),
  cell: css({ display: 'flex', minWidth: 0, minHeight: 0, '& > section': { flex: 1 } }),
});
