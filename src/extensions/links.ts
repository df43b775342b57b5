/**
 * Spanflame's doors in Grafana: links added to extension points (registered in module.tsx, declared in
 * plugin.json's extensions.addedLinks with the same titles). Each `configure` reads the context Grafana
 * passes and returns the link's path, or undefined to hide the link where it would lead nowhere.
 */
import { type PluginExtensionAddedLinkConfig, PluginExtensionPoints } from '@grafana/data';

import { APP_BASE_URL, flameGraphUrl, ROUTES, spanUrl, traceUrl } from '../shared/appUrls';
import type {
  ExploreToolbarContext,
  PluginExtensionPanelContext,
  PluginExtensionResourceAttributesContext,
  TraceViewHeaderContext,
  TraceViewSpan,
} from './grafanaContexts';
import { profileTypeOfTargets, rangeParams, serviceOfTargets } from './linkHelpers';

type Configured = ReturnType<NonNullable<PluginExtensionAddedLinkConfig['configure']>>;

const MICROS_PER_MS = 1000;

/** Beside the service.name row of a span's resource attributes: that span's profile. */
export function configureSpanProfileLink(
  ctx: Readonly<PluginExtensionResourceAttributesContext> | undefined
): Configured {
  if (!ctx?.traceID) {
    return undefined;
  }
  return {
    path: spanUrl({
      traceId: ctx.traceID,
      spanId: ctx.spanID,
      // Grafana passes the start in microseconds and no duration: the page looks the span up.
      spanStart: ctx.spanStartTime !== undefined ? ctx.spanStartTime / MICROS_PER_MS : undefined,
      service: ctx.attributes?.['service.name']?.[0],
      from: ctx.timeRange?.from,
      to: ctx.timeRange?.to,
    }),
  };
}

function rootOf(spans: TraceViewSpan[]): TraceViewSpan | undefined {
  const roots = spans.filter((s) => s.depth === 0 || !s.references?.some((r) => r.refType === 'CHILD_OF'));
  return [...(roots.length > 0 ? roots : spans)].sort((a, b) => a.startTime - b.startTime)[0];
}

/** In the trace view's header: the whole trace's CPU, by service. */
export function configureTraceProfileLink(ctx: Readonly<TraceViewHeaderContext> | undefined): Configured {
  if (!ctx?.traceID) {
    return undefined;
  }
  const root = rootOf(ctx.spans ?? []);
  const ms = (us: number | undefined) =>
    typeof us === 'number' && Number.isFinite(us) ? us / MICROS_PER_MS : undefined;
  return {
    path: spanUrl({
      traceId: ctx.traceID,
      spanId: root?.spanID,
      spanStart: ms(root?.startTime),
      spanDuration: ms(root?.duration),
      service: root?.process?.serviceName,
      view: 'trace',
      from: ms(ctx.startTime) !== undefined ? Math.floor(ms(ctx.startTime) as number) : undefined,
      to: ms(ctx.endTime) !== undefined ? Math.ceil(ms(ctx.endTime) as number) : undefined,
    }),
  };
}

/** In the trace view's header: the trace's spans as a waterfall, each with its own CPU. */
export function configureTraceWaterfallLink(ctx: Readonly<TraceViewHeaderContext> | undefined): Configured {
  if (!ctx?.traceID) {
    return undefined;
  }
  const ms = (us: number | undefined, round: (n: number) => number) =>
    typeof us === 'number' && Number.isFinite(us) ? round(us / MICROS_PER_MS) : undefined;
  return {
    path: traceUrl({ traceId: ctx.traceID, from: ms(ctx.startTime, Math.floor), to: ms(ctx.endTime, Math.ceil) }),
  };
}

/**
 * From Explore or a panel: the profile of the service and time range in view. Shown only where a
 * service can be read from the queries, or the queries are Spanflame's own.
 */
export function configureRangeProfileLink(
  ctx: Readonly<ExploreToolbarContext | PluginExtensionPanelContext> | undefined
): Configured {
  if (!ctx) {
    return undefined;
  }
  const service = serviceOfTargets(ctx.targets);
  const profileType = profileTypeOfTargets(ctx.targets);
  if (!service && !profileType) {
    return undefined;
  }
  return { path: flameGraphUrl({ service, profileType, ...rangeParams(ctx.timeRange) }) };
}

export const SPAN_PROFILE_LINK: PluginExtensionAddedLinkConfig<PluginExtensionResourceAttributesContext> = {
  title: 'Open span profile',
  description: "The CPU profile of this span, from Parca's samples labelled with its trace and span ids",
  targets: [PluginExtensionPoints.TraceViewResourceAttributes],
  icon: 'fire',
  // The trace view puts the link beside the attribute row whose key is the group's name.
  group: { name: 'service.name' },
  path: `${APP_BASE_URL}/span`,
  configure: configureSpanProfileLink,
};

export const TRACE_PROFILE_LINK: PluginExtensionAddedLinkConfig<TraceViewHeaderContext> = {
  title: 'Profile this trace',
  description: "The CPU this trace used in every service, from Parca's samples labelled with its trace id",
  targets: [PluginExtensionPoints.TraceViewHeaderActions],
  icon: 'fire',
  path: `${APP_BASE_URL}/span`,
  configure: configureTraceProfileLink,
};

export const TRACE_WATERFALL_LINK: PluginExtensionAddedLinkConfig<TraceViewHeaderContext> = {
  title: 'CPU waterfall of this trace',
  description: "Each span of this trace with its own CPU drawn in its bar, and the trace's CPU per service",
  targets: [PluginExtensionPoints.TraceViewHeaderActions],
  icon: 'fire',
  path: `${APP_BASE_URL}/${ROUTES.Trace}`,
  configure: configureTraceWaterfallLink,
};

export const RANGE_PROFILE_LINK: PluginExtensionAddedLinkConfig<ExploreToolbarContext | PluginExtensionPanelContext> = {
  title: 'Open CPU profile in Spanflame',
  description: 'The flame graph of the service and time range in view',
  targets: [PluginExtensionPoints.ExploreToolbarAction, PluginExtensionPoints.DashboardPanelMenu],
  icon: 'fire',
  path: `${APP_BASE_URL}/flame-graph`,
  configure: configureRangeProfileLink,
};

export const EXTENSION_LINKS = [SPAN_PROFILE_LINK, TRACE_PROFILE_LINK, TRACE_WATERFALL_LINK, RANGE_PROFILE_LINK];
