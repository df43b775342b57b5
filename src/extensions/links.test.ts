import {
  dateTime,
  type PluginExtensionPanelContext,
  type PluginExtensionResourceAttributesContext,
} from '@grafana/data';

import pluginJson from '../plugin.json';
import type { ExploreToolbarContext, TraceViewHeaderContext, TraceViewSpan } from './grafanaContexts';
import {
  configureRangeProfileLink,
  configureSpanProfileLink,
  configureTraceProfileLink,
  configureTraceWaterfallLink,
  EXTENSION_LINKS,
} from './links';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const params = (path: string | undefined) =>
  Object.fromEntries(new URL(path ?? 'http://none', 'http://host').searchParams);
const pathname = (path: string | undefined) => new URL(path ?? 'http://none', 'http://host').pathname;

describe('Open span profile (grafana/traceview/resource-attributes)', () => {
  // As Grafana 13's span detail passes it: attribute values are lists, times in ms, the start in µs.
  const ctx: PluginExtensionResourceAttributesContext = {
    attributes: { 'service.name': ['checkout'], 'host.name': ['shop-1'] },
    spanAttributes: { 'http.route': ['/checkout'] },
    timeRange: { from: 1763719000000, to: 1763722600000 },
    datasource: { type: 'tempo', uid: 'spanflame-tempo' },
    traceID: TRACE,
    spanID: 'b7ad6b7169203331',
    spanStartTime: 1763719200250123,
  };

  it('opens the span page with the start turned from microseconds into fractional milliseconds', () => {
    const path = configureSpanProfileLink(ctx)?.path;
    expect(pathname(path)).toBe('/a/spanflame-app/span');
    expect(params(path)).toEqual({
      traceId: TRACE,
      spanId: 'b7ad6b7169203331',
      spanStart: '1763719200250.123',
      service: 'checkout',
      from: '1763719000000',
      to: '1763722600000',
    });
  });

  it('opens with the trace id alone when the optional fields are missing (before Grafana 13)', () => {
    const { traceID, spanID, spanStartTime, ...old } = ctx;
    expect([spanID, spanStartTime]).toBeDefined();
    expect(configureSpanProfileLink(old)).toBeUndefined();
    const path = configureSpanProfileLink({ ...old, traceID, attributes: {} })?.path;
    expect(params(path)).toEqual({ traceId: TRACE, from: '1763719000000', to: '1763722600000' });
    expect(configureSpanProfileLink(undefined)).toBeUndefined();
  });
});

function viewSpan(p: Partial<TraceViewSpan> & { spanID: string }): TraceViewSpan {
  return {
    traceID: TRACE,
    operationName: 'GET /checkout',
    startTime: 1763719200000000,
    duration: 800000,
    depth: 0,
    process: { serviceName: 'frontend', tags: [] },
    references: [],
    tags: [],
    ...p,
  };
}

describe('Profile this trace (grafana/traceview/header/actions)', () => {
  const root = viewSpan({ spanID: 'aaaaaaaaaaaaaaa1', startTime: 1763719200000500, duration: 900250 });
  const child = viewSpan({
    spanID: 'bbbbbbbbbbbbbbb2',
    depth: 1,
    startTime: 1763719200010000,
    process: { serviceName: 'checkout', tags: [] },
    references: [{ refType: 'CHILD_OF', spanID: 'aaaaaaaaaaaaaaa1', traceID: TRACE }],
  });
  const ctx: TraceViewHeaderContext = {
    traceID: TRACE,
    startTime: 1763719200000500,
    endTime: 1763719200900750,
    duration: 900250,
    traceName: 'frontend: GET /',
    spans: [child, root],
    services: [
      { name: 'frontend', numberOfSpans: 1 },
      { name: 'checkout', numberOfSpans: 1 },
    ],
    processes: {},
    datasource: { name: 'Tempo', uid: 'spanflame-tempo', type: 'tempo' },
  };

  it("opens the whole-trace view on the root span, over the trace's range", () => {
    const path = configureTraceProfileLink(ctx)?.path;
    expect(params(path)).toEqual({
      traceId: TRACE,
      spanId: 'aaaaaaaaaaaaaaa1',
      spanStart: '1763719200000.5',
      spanDuration: '900.25',
      service: 'frontend',
      view: 'trace',
      from: '1763719200000',
      to: '1763719200901',
    });
  });

  it('still opens the trace when it has no spans, and hides without a trace', () => {
    expect(params(configureTraceProfileLink({ ...ctx, spans: [] })?.path)).toMatchObject({
      traceId: TRACE,
      view: 'trace',
    });
    expect(configureTraceProfileLink(undefined)).toBeUndefined();
  });

  it("opens the trace's CPU waterfall over the trace's range, whole milliseconds outwards", () => {
    const path = configureTraceWaterfallLink(ctx)?.path;
    expect(pathname(path)).toBe('/a/spanflame-app/trace');
    expect(params(path)).toEqual({ traceId: TRACE, from: '1763719200000', to: '1763719200901' });
    expect(params(configureTraceWaterfallLink({ ...ctx, startTime: Number.NaN })?.path)).toEqual({
      traceId: TRACE,
      to: '1763719200901',
    });
    expect(configureTraceWaterfallLink(undefined)).toBeUndefined();
    expect(configureTraceWaterfallLink({ ...ctx, traceID: '' })).toBeUndefined();
  });
});

describe('Open CPU profile in Spanflame (Explore toolbar, panel menu)', () => {
  const explore: ExploreToolbarContext = {
    exploreId: 'left',
    targets: [
      {
        refId: 'A',
        datasource: { type: 'prometheus', uid: 'spanflame-prometheus' },
        expr: 'histogram_quantile(0.95, rate(http_server_request_duration_seconds_bucket{service_name="checkout"}[5m]))',
      } as ExploreToolbarContext['targets'][number],
    ],
    timeRange: { from: 'now-1h', to: 'now' },
    timeZone: 'browser',
    shouldShowAddCorrelation: false,
  };

  it("opens the service's flame graph over Explore's relative range", () => {
    const path = configureRangeProfileLink(explore)?.path;
    expect(pathname(path)).toBe('/a/spanflame-app/flame-graph');
    expect(params(path)).toEqual({ service: 'checkout', from: 'now-1h', to: 'now' });
  });

  it("reads a panel's absolute range, a TraceQL service and a Spanflame profile type", () => {
    const panel: PluginExtensionPanelContext = {
      pluginId: 'timeseries',
      id: 4,
      title: 'Latency',
      timeRange: { from: dateTime(1763719000000), to: dateTime(1763722600000) },
      timeZone: 'utc',
      dashboard: { uid: 'd', title: 'Shop', tags: [] },
      targets: [
        {
          refId: 'A',
          datasource: { type: 'tempo', uid: 't' },
          query: '{ resource.service.name = "payments" }',
        } as PluginExtensionPanelContext['targets'][number],
        {
          refId: 'B',
          datasource: { type: 'spanflame-parca-datasource', uid: 'spanflame-parca' },
          profileType: 'parca_agent:samples:count:cpu:nanoseconds:delta',
        } as PluginExtensionPanelContext['targets'][number],
      ],
    };
    expect(params(configureRangeProfileLink(panel)?.path)).toEqual({
      service: 'payments',
      profileType: 'parca_agent:samples:count:cpu:nanoseconds:delta',
      from: '1763719000000',
      to: '1763722600000',
    });
  });

  it('hides where no service can be read (regex matchers, variables, other queries)', () => {
    const targets = [
      { refId: 'A', expr: 'up{service_name=~"check.*"}' },
      { refId: 'B', expr: 'up{service_name="$service"}' },
      { refId: 'C' },
    ] as ExploreToolbarContext['targets'];
    expect(configureRangeProfileLink({ ...explore, targets })).toBeUndefined();
    expect(configureRangeProfileLink({ ...explore, targets: [] })).toBeUndefined();
    expect(configureRangeProfileLink(undefined)).toBeUndefined();
  });
});

describe('declarations', () => {
  it('declares every link in plugin.json by title and targets, as Grafana requires', () => {
    const declared = pluginJson.extensions.addedLinks;
    expect(declared.map((d) => d.title).sort()).toEqual(EXTENSION_LINKS.map((l) => l.title).sort());
    for (const link of EXTENSION_LINKS) {
      const d = declared.find((x) => x.title === link.title);
      expect(d?.targets).toEqual(link.targets);
      expect(link.title.length).toBeGreaterThanOrEqual(10);
      expect(link.path?.startsWith(`/a/${pluginJson.id}/`)).toBe(true);
    }
  });
});
