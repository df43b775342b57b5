/**
 * Types for the part of d3-flame-graph 5.0.0 that Spanflame uses (the package ships none).
 * Written from its dist/d3-flamegraph.es.js; `Datum` is the data object handed to the chart.
 */
declare module 'd3-flame-graph' {
  /** d3-hierarchy node as d3-flame-graph hands it to callbacks. */
  export interface FlameGraphNode<Datum> {
    data: Datum;
    parent: FlameGraphNode<Datum> | null;
    children?: Array<FlameGraphNode<Datum>>;
    depth: number;
    /** Total of the frame as d3-flame-graph sized it. */
    value: number;
    /** Horizontal extent as a fraction of the chart's root. */
    x0: number;
    x1: number;
    id: number;
  }

  /** d3-flame-graph calls the tooltip itself once (svg.call(tooltip)), so it must be callable. */
  export interface FlameGraphTooltip<Datum> {
    (selection: unknown): void;
    show(event: MouseEvent, node: FlameGraphNode<Datum>): unknown;
    hide(): unknown;
    destroy?(): void;
  }

  /** A d3 selection with the chart's datum bound; only passed through, never inspected. */
  export interface D3SelectionLike {
    datum(value: unknown): D3SelectionLike;
    call(chart: FlameGraphChart<never>): D3SelectionLike;
  }

  export interface FlameGraphChart<Datum> {
    (selection: D3SelectionLike): void;
    width(px: number): FlameGraphChart<Datum>;
    width(): number;
    cellHeight(px: number): FlameGraphChart<Datum>;
    minHeight(px: number): FlameGraphChart<Datum>;
    minFrameSize(px: number): FlameGraphChart<Datum>;
    transitionDuration(ms: number): FlameGraphChart<Datum>;
    inverted(inverted: boolean): FlameGraphChart<Datum>;
    selfValue(selfValue: boolean): FlameGraphChart<Datum>;
    sort(sort: boolean | ((a: FlameGraphNode<Datum>, b: FlameGraphNode<Datum>) => number)): FlameGraphChart<Datum>;
    resetHeightOnZoom(reset: boolean): FlameGraphChart<Datum>;
    title(title: string): FlameGraphChart<Datum>;
    tooltip(tooltip: FlameGraphTooltip<Datum>): FlameGraphChart<Datum>;
    getName(getName: (node: FlameGraphNode<Datum>) => string): FlameGraphChart<Datum>;
    setColorMapper(mapper: (node: FlameGraphNode<Datum>, originalColor: string) => string): FlameGraphChart<Datum>;
    onClick(handler: (node: FlameGraphNode<Datum>) => void): FlameGraphChart<Datum>;
    onHover(handler: (node: FlameGraphNode<Datum>) => void): FlameGraphChart<Datum>;
    setDetailsHandler(handler: (details: string | null) => void): FlameGraphChart<Datum>;
    search(term: string): void;
    clear(): void;
    resetZoom(): void;
    /** Replaces the data (and rebuilds the hierarchy) when given, then redraws. */
    update(data?: Datum): FlameGraphChart<Datum>;
    destroy(): FlameGraphChart<Datum>;
  }

  export default function flamegraph<Datum = unknown>(): FlameGraphChart<Datum>;
}

/** d3-selection (a dependency of d3-flame-graph): `select` hands the chart its container. */
declare module 'd3-selection' {
  import { type D3SelectionLike } from 'd3-flame-graph';
  export interface Selection<Datum> extends D3SelectionLike {
    selectAll<Child>(selector: string): Selection<Child>;
    attr(name: string, value: (datum: Datum) => string | number): Selection<Datum>;
    /** Added to selections by d3-transition (imported by d3-flame-graph): ends pending transitions. */
    interrupt(): Selection<Datum>;
  }
  export function select(element: Element): Selection<unknown>;
  /** The selection constructor; d3-transition adds `transition` to its prototype. */
  export const selection: { prototype: object };
}
