import { type DataFrame, FieldType } from '@grafana/data';

/**
 * Picks the frame a flame graph panel draws: Grafana's flame graph frame (fields level, value,
 * self, label; valueRight/selfRight for a diff), from Spanflame's datasource or any other that
 * answers in that shape. Grafana's own Flame Graph panel draws the first frame; this one draws the
 * first frame of that shape, so a query answering with several frames (Spanflame's coverage query
 * returns a time series, a share, a table and the stacks) still draws its flame graph.
 */
export const FLAME_GRAPH_FIELDS = ['level', 'value', 'self', 'label'] as const;

export type FlameFramePick =
  { kind: 'frame'; frame: DataFrame } | { kind: 'empty'; reason: string } | { kind: 'wrong-shape'; message: string };

const frameTitle = (frame: DataFrame, i: number) =>
  frame.name ? `"${frame.name}"` : frame.refId ? `query ${frame.refId}` : `frame ${i + 1}`;

const describe = (frames: DataFrame[]) =>
  frames
    .slice(0, 4)
    .map((f, i) => `${frameTitle(f, i)} (fields: ${f.fields.map((x) => x.name).join(', ') || 'none'})`)
    .join('; ');

/** Why a frame with the four field names still cannot be drawn (a field of the wrong type). */
function typeProblem(frame: DataFrame): string | undefined {
  for (const name of ['level', 'value', 'self'] as const) {
    const field = frame.fields.find((f) => f.name === name)!;
    if (field.type !== FieldType.number) {
      return `Field "${name}" holds ${field.type} values; a flame graph needs numbers there.`;
    }
  }
  const label = frame.fields.find((f) => f.name === 'label')!;
  if (label.type !== FieldType.string && label.type !== FieldType.enum) {
    return `Field "label" holds ${label.type} values; a flame graph needs function names (string or enum).`;
  }
  return undefined;
}

const hasFlameFields = (frame: DataFrame) => FLAME_GRAPH_FIELDS.every((n) => frame.fields.some((f) => f.name === n));

const noticesOf = (frames: DataFrame[]) => frames.flatMap((f) => (f.meta?.notices ?? []).map((n) => n.text));

/**
 * @param frames the panel's data
 * @param wanted a frame name or query refId to draw; empty: the first flame graph frame
 */
export function pickFlameFrame(frames: DataFrame[], wanted = ''): FlameFramePick {
  const nonEmpty = frames.filter((f) => f.fields.length > 0);
  if (nonEmpty.length === 0) {
    const notices = noticesOf(frames);
    return { kind: 'empty', reason: notices.join(' ') || 'The query returned no data for this time range.' };
  }
  let candidates = frames;
  if (wanted) {
    candidates = frames.filter((f) => f.name === wanted || f.refId === wanted);
    if (candidates.length === 0) {
      return {
        kind: 'wrong-shape',
        message: `No frame or query named "${wanted}" (the panel's Frame option). The data has ${describe(frames)}. Clear the option to draw the first flame graph frame.`,
      };
    }
  }
  const frame = candidates.find(hasFlameFields);
  if (!frame) {
    return {
      kind: 'wrong-shape',
      message:
        `A flame graph needs a frame with the fields ${FLAME_GRAPH_FIELDS.join(', ')} (one row per node, depth first, ` +
        `root first), as profiling datasources return for a flame graph query. The data has ${describe(candidates)}. ` +
        `Choose a profile (flame graph) query, or another visualization for this one.`,
    };
  }
  const problem = typeProblem(frame);
  if (problem) {
    return { kind: 'wrong-shape', message: `${frameTitle(frame, frames.indexOf(frame))}: ${problem}` };
  }
  if (frame.length === 0 || (frame.fields[0]?.values.length ?? 0) === 0) {
    const notices = noticesOf([frame]);
    return {
      kind: 'empty',
      reason: notices.join(' ') || 'The profile has no samples in this time range and selection.',
    };
  }
  return { kind: 'frame', frame };
}
