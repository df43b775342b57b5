import { type DataFrame, type Field, FieldType, type Labels } from '@grafana/data';

/**
 * Reads the frames of the Spanflame Parca datasource's `coverage` query (pkg/plugin/coverage.go,
 * coverage_frames.go) into what the coverage panel draws. Frames are recognised by their fields,
 * not only their names, so the same frames arriving through a transformation or a mixed query
 * still read; the names are the backend's and make the messages say which frame is meant.
 */
export const COVERAGE_FRAME_NAMES = {
  series: 'trace link coverage',
  share: 'missing trace link share',
  top: 'top functions without a trace link',
  stacks: 'stacks without a trace link',
} as const;

const SHARE_FIELD = 'unlinked share';
/** The top functions' total in the linked samples (pkg/plugin/coverage_functions.go FieldLinkedTotal). */
const LINKED_TOTAL_FIELD = 'linked total';

/** One group (a service, with the query's group-by) over the range. */
export interface CoverageGroup {
  /** The group's labels (the query's group-by labels); empty without group-by. */
  labels: Labels;
  /** "checkout", or "service_name=checkout, namespace=shop"; "all" without labels. */
  name: string;
  /** Unlinked share of the whole range in percent, or undefined if nothing was sampled. */
  share: number | undefined;
  /** Totals in `unit`; undefined when only the alerting share frame came back. */
  linked?: number;
  unlinked?: number;
  trend?: CoverageTrend;
}

/** The unlinked share per step (percent; null where the step had no samples). */
export interface CoverageTrend {
  times: number[];
  shares: Array<number | null>;
}

export interface CoverageFunction {
  name: string;
  file?: string;
  binary?: string;
  flat: number;
  /** The function's total in the unlinked samples. */
  cumulative: number;
  /** Its total in the linked samples (the backend's "linked total"), when the answer has it. */
  linked?: number;
}

export interface CoverageReading {
  kind: 'coverage';
  /** Every group together: the number the panel shows big. */
  overall: CoverageGroup;
  groups: CoverageGroup[];
  /** The label names the groups differ by (the query's group-by), in order. */
  groupLabels: string[];
  /** Unit of linked/unlinked and of the functions' values ("ns" for CPU). */
  unit: string;
  /** Functions the unlinked samples run under, largest cumulative value first. */
  topFunctions: CoverageFunction[];
  /** The flame graph frame of the unlinked samples, if the query returned it. */
  stacks?: DataFrame;
  /** What the backend said about the answer (trimmed nodes, the top-N limit, ...). */
  notices: string[];
}

/** The query answered, but with nothing to show; `reason` says why (the backend's notice). */
export interface CoverageEmpty {
  kind: 'empty';
  reason: string;
}

/** The frames are not a coverage answer; `message` says what arrived and what to change. */
export interface CoverageWrongShape {
  kind: 'wrong-shape';
  message: string;
}

export type CoverageResult = CoverageReading | CoverageEmpty | CoverageWrongShape;

const fieldNamed = (frame: DataFrame, name: string): Field | undefined => frame.fields.find((f) => f.name === name);

const isSeriesFrame = (frame: DataFrame) =>
  frame.fields.some((f) => f.type === FieldType.time) &&
  ['linked', 'unlinked'].every((n) => fieldNamed(frame, n)?.type === FieldType.number);

const isShareFrame = (frame: DataFrame) =>
  !frame.fields.some((f) => f.type === FieldType.time) && fieldNamed(frame, SHARE_FIELD)?.type === FieldType.number;

// The table frame's fields as pkg/report/table.go names them (self / total, as Grafana's flame graph titles them).
const isTopFrame = (frame: DataFrame) => Boolean(fieldNamed(frame, 'function') && fieldNamed(frame, 'total'));

const isStacksFrame = (frame: DataFrame) => ['level', 'value', 'self', 'label'].every((n) => fieldNamed(frame, n));

function numberAt(field: Field | undefined, i: number): number {
  const value = Number(field?.values[i]);
  return Number.isFinite(value) ? value : 0;
}

function percent(part: number, total: number): number | undefined {
  return total > 0 ? (100 * part) / total : undefined;
}

/**
 * The name a group goes by: the value alone for one label, `k=v, ...` for several; "all" when
 * nothing is grouped, and "(no service_name)" for the samples that lack every grouped label (profiles
 * of processes nobody named), which are not a service of that name.
 */
export function groupName(labels: Labels, labelNames: string[]): string {
  const names = labelNames.filter((n) => labels[n] !== undefined);
  if (names.length === 0) {
    return labelNames.length === 0 ? 'all' : `(no ${labelNames.join(', ')})`;
  }
  return names.length === 1 ? labels[names[0]] : names.map((n) => `${n}=${labels[n]}`).join(', ');
}

const labelKey = (labels: Labels, names: string[]) => JSON.stringify(names.map((n) => labels[n] ?? ''));

interface Accumulator {
  labels: Labels;
  linked: number;
  unlinked: number;
  steps: Map<number, { linked: number; unlinked: number }>;
}

function addSeriesFrame(acc: Accumulator, frame: DataFrame) {
  const time = frame.fields.find((f) => f.type === FieldType.time)!;
  const linked = fieldNamed(frame, 'linked')!;
  const unlinked = fieldNamed(frame, 'unlinked')!;
  for (let i = 0; i < time.values.length; i++) {
    const t = Number(time.values[i]);
    const l = numberAt(linked, i);
    const u = numberAt(unlinked, i);
    acc.linked += l;
    acc.unlinked += u;
    const step = acc.steps.get(t) ?? { linked: 0, unlinked: 0 };
    step.linked += l;
    step.unlinked += u;
    acc.steps.set(t, step);
  }
}

function toGroup(acc: Accumulator, labelNames: string[]): CoverageGroup {
  const times = [...acc.steps.keys()].sort((a, b) => a - b);
  const shares = times.map((t) => {
    const step = acc.steps.get(t)!;
    return percent(step.unlinked, step.linked + step.unlinked) ?? null;
  });
  return {
    labels: acc.labels,
    name: groupName(acc.labels, labelNames),
    share: percent(acc.unlinked, acc.linked + acc.unlinked),
    linked: acc.linked,
    unlinked: acc.unlinked,
    trend: { times, shares },
  };
}

/** The group-by labels of the series frames, or of the share frame's string columns. */
function labelNamesOf(series: DataFrame[], share: DataFrame | undefined): string[] {
  const names = new Set<string>();
  for (const frame of series) {
    Object.keys(fieldNamed(frame, 'unlinked')?.labels ?? {}).forEach((n) => names.add(n));
  }
  if (names.size === 0 && share) {
    share.fields.filter((f) => f.type === FieldType.string).forEach((f) => names.add(f.name));
  }
  return [...names];
}

/**
 * Sums the series frames per group of `labelNames`, which may be a subset of the query's group-by
 * (a query grouped by service and namespace, shown per namespace): shares are recomputed from the
 * summed values, never averaged.
 */
function groupsFromSeries(series: DataFrame[], labelNames: string[]): CoverageGroup[] {
  const byKey = new Map<string, Accumulator>();
  for (const frame of series) {
    const all = fieldNamed(frame, 'unlinked')?.labels ?? {};
    const labels: Labels = {};
    labelNames.forEach((n) => all[n] !== undefined && (labels[n] = all[n]));
    const key = labelKey(labels, labelNames);
    let acc = byKey.get(key);
    if (!acc) {
      acc = { labels, linked: 0, unlinked: 0, steps: new Map() };
      byKey.set(key, acc);
    }
    addSeriesFrame(acc, frame);
  }
  return [...byKey.values()].map((acc) => toGroup(acc, labelNames));
}

/** The alerting answer: only the share per group (no values, no trend). */
function groupsFromShareFrame(share: DataFrame, labelNames: string[]): CoverageGroup[] {
  const shareField = fieldNamed(share, SHARE_FIELD)!;
  const rows = shareField.values.length;
  const groups: CoverageGroup[] = [];
  for (let i = 0; i < rows; i++) {
    const labels: Labels = {};
    for (const name of labelNames) {
      const value = fieldNamed(share, name)?.values[i];
      if (value !== undefined) {
        labels[name] = String(value);
      }
    }
    const value = Number(shareField.values[i]);
    groups.push({
      labels,
      name: groupName(labels, labelNames),
      share: Number.isFinite(value) ? value : undefined,
    });
  }
  return groups;
}

function readTopFunctions(frame: DataFrame | undefined): CoverageFunction[] {
  if (!frame) {
    return [];
  }
  const name = fieldNamed(frame, 'function')!;
  const file = fieldNamed(frame, 'file');
  const binary = fieldNamed(frame, 'binary');
  const flat = fieldNamed(frame, 'self');
  const cumulative = fieldNamed(frame, 'total')!;
  const linked = fieldNamed(frame, LINKED_TOTAL_FIELD);
  const out: CoverageFunction[] = [];
  for (let i = 0; i < name.values.length; i++) {
    out.push({
      name: String(name.values[i] ?? ''),
      file: file ? String(file.values[i] ?? '') : undefined,
      binary: binary ? String(binary.values[i] ?? '') : undefined,
      flat: numberAt(flat, i),
      cumulative: numberAt(cumulative, i),
      ...(linked ? { linked: numberAt(linked, i) } : {}),
    });
  }
  return out.sort((a, b) => b.cumulative - a.cumulative);
}

function describeFrames(frames: DataFrame[]): string {
  return frames
    .slice(0, 4)
    .map((f, i) => `${f.name ? `"${f.name}"` : `frame ${i + 1}`} (fields: ${f.fields.map((x) => x.name).join(', ')})`)
    .join('; ');
}

function noticesOf(frames: DataFrame[]): string[] {
  return frames.flatMap((f) => (f.meta?.notices ?? []).map((n) => n.text)).filter(Boolean);
}

export interface ReadOptions {
  /**
   * Show groups by these labels only (a subset of the query's group-by); empty: as the query
   * grouped. A label the data lacks is reported, not silently ignored.
   */
  groupBy?: string[];
}

/** Reads the coverage query's frames; see CoverageResult for the three outcomes. */
export function readCoverage(frames: DataFrame[], options: ReadOptions = {}): CoverageResult {
  const series = frames.filter(isSeriesFrame);
  const share = frames.find(isShareFrame);
  const top = frames.find(isTopFrame);
  const stacks = frames.find(isStacksFrame);

  if (series.length === 0 && !share) {
    if (frames.length === 0 || frames.every((f) => f.fields.length === 0)) {
      const notices = noticesOf(frames);
      return {
        kind: 'empty',
        reason: notices.length ? notices.join(' ') : 'The query returned no samples for this time range.',
      };
    }
    return {
      kind: 'wrong-shape',
      message:
        `This panel shows the "Trace link coverage" (coverage) query of the Spanflame Parca datasource, which ` +
        `returns the frames "${COVERAGE_FRAME_NAMES.series}" and "${COVERAGE_FRAME_NAMES.share}". It got ` +
        `${describeFrames(frames)}. Set the query type to Coverage, or use another visualization for this query.`,
    };
  }

  const queryLabels = labelNamesOf(series, share);
  const wanted = options.groupBy?.filter(Boolean) ?? [];
  const missing = wanted.filter((n) => !queryLabels.includes(n));
  if (missing.length > 0) {
    return {
      kind: 'wrong-shape',
      message:
        `The panel groups by ${missing.map((n) => `"${n}"`).join(', ')}, but the query's series are grouped by ` +
        `${queryLabels.length ? queryLabels.map((n) => `"${n}"`).join(', ') : 'nothing'}. Add the label to the ` +
        `query's Group by, or clear the panel's Group by option.`,
    };
  }
  const labelNames = wanted.length ? wanted : queryLabels;

  let groups: CoverageGroup[];
  let overall: CoverageGroup;
  if (series.length > 0) {
    groups = groupsFromSeries(series, labelNames);
    [overall] = groupsFromSeries(series, []);
  } else {
    groups = groupsFromShareFrame(share!, labelNames);
    const whole = groups.length === 1 && labelNames.length === 0 ? groups[0].share : undefined;
    overall = { labels: {}, name: 'all', share: whole };
  }
  const unitSource = series[0] ? fieldNamed(series[0], 'unlinked') : stacks && fieldNamed(stacks, 'value');
  return {
    kind: 'coverage',
    overall,
    groups: labelNames.length ? groups : [],
    groupLabels: labelNames,
    unit: unitSource?.config?.unit ?? 'short',
    topFunctions: readTopFunctions(top),
    stacks,
    notices: noticesOf([...(top ? [top] : []), ...(stacks ? [stacks] : [])]),
  };
}

export type GroupOrder = 'share' | 'unlinked' | 'name';

/** Groups in the panel's order; groups without a share (nothing sampled) go last. */
export function sortGroups(groups: CoverageGroup[], order: GroupOrder): CoverageGroup[] {
  const copy = [...groups];
  switch (order) {
    case 'name':
      return copy.sort((a, b) => a.name.localeCompare(b.name));
    case 'unlinked':
      return copy.sort((a, b) => (b.unlinked ?? -1) - (a.unlinked ?? -1) || a.name.localeCompare(b.name));
    default:
      return copy.sort((a, b) => (b.share ?? -1) - (a.share ?? -1) || a.name.localeCompare(b.name));
  }
}
