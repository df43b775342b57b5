import { type DataFrame, LoadingState, type PanelData } from '@grafana/data';

/** What a flame graph shows of a query runner's answer. */
export interface FlameGraphData {
  frame?: DataFrame;
  loading: boolean;
  error?: string;
  /** Every notice of every frame (a datasource may answer with notice-only frames beside the graph). */
  notices: string[];
}

/** The flame graph frame of an answer: the one marked for it, else the first with rows. */
export function flameGraphFrame(frames: DataFrame[]): DataFrame | undefined {
  return frames.find((f) => f.meta?.preferredVisualisationType === 'flamegraph') ?? frames.find((f) => f.length > 0);
}

/**
 * Reads a runner's PanelData: not run yet is loading (never a blank panel), an error is its
 * sentence, and an empty answer keeps the datasource's notices so the empty state can say why.
 */
export function flameGraphData(data: PanelData | undefined): FlameGraphData {
  if (!data || data.state === LoadingState.NotStarted) {
    return { loading: true, notices: [] };
  }
  const failure = data.errors?.[0];
  const notices = [...new Set(data.series.flatMap((f) => (f.meta?.notices ?? []).map((n) => n.text)))];
  if (data.state === LoadingState.Error || failure) {
    return {
      loading: false,
      notices,
      error: failure?.message || 'The profile query failed without saying why.',
    };
  }
  return {
    frame: flameGraphFrame(data.series),
    loading: data.state === LoadingState.Loading,
    notices,
  };
}
