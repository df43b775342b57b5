import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { css } from '@emotion/css';
import {
  CoreApp,
  DataQuery,
  DataQueryRequest,
  DataSourceApi,
  GrafanaTheme2,
  LoadingState,
  PanelData,
  RawTimeRange,
  rangeUtil,
  TimeRange,
  toDataFrame,
} from '@grafana/data';
import { Button, LoadingPlaceholder, Stack, TimeRangePicker, useStyles2 } from '@grafana/ui';
import { Subscription } from 'rxjs';

import { reportHostError } from '../hostErrors';
import { ResultView } from '../results/ResultView';
import { dataSourceSrv } from '../services';

const DEFAULT_RANGE: RawTimeRange = { from: 'now-15m', to: 'now' };

function readURLState(): { query?: DataQuery; range: RawTimeRange } {
  const params = new URLSearchParams(window.location.search);
  let query: DataQuery | undefined;
  const raw = params.get('query');
  if (raw) {
    try {
      query = JSON.parse(raw);
    } catch (err) {
      reportHostError('The ?query= parameter is not JSON', err);
    }
  }
  return { query, range: { from: params.get('from') ?? DEFAULT_RANGE.from, to: params.get('to') ?? DEFAULT_RANGE.to } };
}

/** Keeps query and range in the URL, as Explore does, so a view can be shared or reloaded. */
function writeURLState(query: DataQuery, range: RawTimeRange) {
  const params = new URLSearchParams(window.location.search);
  params.set('query', JSON.stringify(query));
  params.set('from', String(range.from));
  params.set('to', String(range.to));
  window.history.replaceState(null, '', `${window.location.pathname}?${params}`);
}

/**
 * An Explore-like page: the plugin's QueryEditor for one query, a time range, and the result
 * drawn with the visualisation Grafana would pick. Queries run through the datasource instance's
 * own query(), which for a backend datasource posts to /api/ds/query.
 */
export function ExplorePage() {
  const styles = useStyles2(getStyles);
  const initial = useMemo(readURLState, []);
  const [datasource, setDatasource] = useState<DataSourceApi>();
  const [query, setQuery] = useState<DataQuery>();
  const [rawRange, setRawRange] = useState<RawTimeRange>(initial.range);
  const [data, setData] = useState<PanelData>();
  const running = useRef<Subscription | undefined>(undefined);
  const latest = useRef<{ query?: DataQuery; range: RawTimeRange }>({ range: initial.range });
  latest.current = { query, range: rawRange };

  const range: TimeRange = useMemo(() => rangeUtil.convertRawToRange(rawRange), [rawRange]);

  useEffect(() => {
    dataSourceSrv
      .get()
      .then((ds) => {
        setDatasource(ds);
        const ref = { type: ds.type, uid: ds.uid };
        setQuery({
          ...(ds.getDefaultQuery?.(CoreApp.Explore) ?? {}),
          ...(initial.query ?? {}),
          refId: 'A',
          datasource: ref,
        });
      })
      .catch((err) => reportHostError('Loading the datasource', err));
  }, [initial]);

  const runQuery = useCallback(() => {
    const { query: current, range: raw } = latest.current;
    if (!datasource || !current) {
      return;
    }
    writeURLState(current, raw);
    running.current?.unsubscribe();
    // Grafana's query runner skips queries the datasource filters out (filterQuery).
    if (datasource.filterQuery && !datasource.filterQuery(current)) {
      setData(undefined);
      return;
    }
    const timeRange = rangeUtil.convertRawToRange(raw);
    const { interval, intervalMs } = rangeUtil.calculateInterval(timeRange, 1000);
    const request: DataQueryRequest = {
      requestId: 'explore_A',
      app: CoreApp.Explore,
      interval,
      intervalMs,
      maxDataPoints: 1000,
      range: timeRange,
      rangeRaw: raw,
      scopedVars: {},
      targets: [current],
      timezone: 'browser',
      startTime: Date.now(),
    };
    setData((prev) => ({ series: prev?.series ?? [], state: LoadingState.Loading, timeRange }));
    const result = datasource.query(request);
    const observable = 'subscribe' in result ? result : null;
    const onResponse = (response: { data: unknown[]; errors?: PanelData['errors']; error?: PanelData['error'] }) =>
      setData({
        series: response.data.map((d) => toDataFrame(d)),
        errors: response.errors ?? (response.error ? [response.error] : undefined),
        state: response.errors?.length || response.error ? LoadingState.Error : LoadingState.Done,
        timeRange,
      });
    const onError = (err: unknown) => {
      const message =
        (err as { data?: { message?: string }; message?: string })?.data?.message ??
        String((err as Error)?.message ?? err);
      setData({ series: [], errors: [{ message }], state: LoadingState.Error, timeRange });
    };
    if (observable) {
      running.current = observable.subscribe({ next: onResponse, error: onError });
    } else {
      (result as Promise<{ data: unknown[] }>).then(onResponse, onError);
    }
  }, [datasource]);

  // Run once when the page opens with a query, as Explore does.
  const ranInitially = useRef(false);
  useEffect(() => {
    if (datasource && query && !ranInitially.current) {
      ranInitially.current = true;
      runQuery();
    }
  }, [datasource, query, runQuery]);

  if (!datasource || !query) {
    return <LoadingPlaceholder text="Loading datasource…" />;
  }
  const QueryEditor = datasource.components?.QueryEditor;
  if (!QueryEditor) {
    return <div>The plugin has no QueryEditor</div>;
  }

  return (
    <div className={styles.page}>
      <Stack direction="row" justifyContent="space-between" alignItems="center">
        <h2 className={styles.title}>Explore: {datasource.name}</h2>
        <Stack direction="row" gap={1}>
          <TimeRangePicker
            value={range}
            timeZone="browser"
            onChange={(next) => {
              setRawRange(next.raw);
              latest.current = { query, range: next.raw };
              runQuery();
            }}
            onChangeTimeZone={() => {}}
            onMoveBackward={() => {}}
            onMoveForward={() => {}}
            onZoom={() => {}}
          />
          <Button icon="sync" onClick={runQuery} data-testid="run-query">
            Run query
          </Button>
        </Stack>
      </Stack>
      <div className={styles.editor} data-testid="query-editor">
        <QueryEditor
          datasource={datasource}
          query={query}
          range={range}
          app={CoreApp.Explore}
          data={data}
          onChange={(next: DataQuery) => {
            latest.current = { query: next, range: rawRange };
            setQuery(next);
          }}
          onRunQuery={() => setTimeout(runQuery)}
        />
      </div>
      {data?.state === LoadingState.Loading && <LoadingPlaceholder text="Running query…" />}
      {data && <ResultView data={data} />}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
  title: css({ margin: 0 }),
  editor: css({
    padding: theme.spacing(1),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.primary,
  }),
});
