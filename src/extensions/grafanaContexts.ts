/**
 * The contexts Grafana 13 passes to the extension points Spanflame links from. Those @grafana/data
 * exports are used as they are; the trace view header's context is not exported, so it is written
 * here structurally from Grafana 13's TraceViewPluginExtensionContext (public/app/features/explore/
 * TraceView/components/types/trace.ts: `{ ...trace, datasource }`, every time in microseconds), keeping
 * only what the links read, and the Explore toolbar's (ToolbarExtensionPoint.tsx) likewise.
 */
import type { RawTimeRange, TraceKeyValuePair } from '@grafana/data';
import type { DataQuery, TimeZone } from '@grafana/schema';

export type { PluginExtensionPanelContext, PluginExtensionResourceAttributesContext } from '@grafana/data';

/** One span of Grafana's trace view model (times in microseconds). */
export interface TraceViewSpan {
  spanID: string;
  traceID: string;
  operationName: string;
  startTime: number;
  duration: number;
  depth: number;
  process: { serviceName: string; tags: TraceKeyValuePair[] };
  references: Array<{ refType: string; spanID: string; traceID: string }>;
  tags: TraceKeyValuePair[];
  kind?: string;
}

/** `grafana/traceview/header/actions`: the whole trace, times in microseconds. */
export interface TraceViewHeaderContext {
  traceID: string;
  /** Microseconds. */
  startTime: number;
  /** Microseconds. */
  endTime: number;
  duration: number;
  traceName: string;
  spans: TraceViewSpan[];
  services: Array<{ name: string; numberOfSpans: number }>;
  processes: Record<string, { serviceName: string; tags: TraceKeyValuePair[] }>;
  datasource: { name: string; uid: string; type: string };
}

/** `grafana/explore/toolbar/action`. */
export interface ExploreToolbarContext {
  exploreId: string;
  targets: DataQuery[];
  timeRange: RawTimeRange;
  timeZone: TimeZone;
  shouldShowAddCorrelation: boolean;
}
