// Real profiles for the harness and benchmark pages: loading fixtures, resizing a real call tree
// to an exact node count, and the nested form bare d3-flame-graph wants.
import { type DataFrame, dataFrameFromJSON, type DataFrameJSON, FieldType } from '@grafana/data';

/** A flame graph frame in plain columns; what the resize and conversion functions work on. */
export interface Columns {
  level: number[];
  value: number[];
  self: number[];
  label: number[];
  names: string[];
  valueRight?: number[];
  selfRight?: number[];
  unit: string;
}

/** Loads a fixture (Grafana data frame JSON, or a query response holding frames) as a DataFrame. */
export async function loadFrame(name: string): Promise<DataFrame> {
  const response = await fetch(`/fixtures/${name}`);
  if (!response.ok) {
    throw new Error(`fixture ${name}: HTTP ${response.status}`);
  }
  let json = await response.json();
  // Accept a backend QueryDataResponse ({results:{A:{frames:[...]}}}), a {frames:[...]} or a bare frame.
  if (json.results) {
    json = Object.values(json.results as Record<string, { frames: unknown[] }>)[0];
  }
  if (Array.isArray(json.frames)) {
    // A response may hold several frames (table, series...): take the flame graph one.
    const isFlameGraph = (frame: DataFrameJSON) =>
      ['level', 'value', 'self', 'label'].every((name) => frame.schema?.fields.some((f) => f.name === name));
    json = (json.frames as DataFrameJSON[]).find(isFlameGraph) ?? json.frames[0];
  }
  if (Array.isArray(json)) {
    json = json[0];
  }
  return dataFrameFromJSON(json as DataFrameJSON);
}

export function toColumns(frame: DataFrame): Columns {
  const field = (name: string) => frame.fields.find((f) => f.name === name);
  const label = field('label')!;
  const enumText = label.config?.type?.enum?.text;
  let names: string[];
  let labels: number[];
  if (enumText) {
    names = enumText.map(String);
    labels = Array.from(label.values, Number);
  } else {
    names = [];
    const ids = new Map<string, number>();
    labels = label.values.map((v: string) => {
      let id = ids.get(v);
      if (id === undefined) {
        id = names.push(v) - 1;
        ids.set(v, id);
      }
      return id;
    });
  }
  const numbers = (name: string) => {
    const f = field(name);
    return f ? Array.from(f.values, Number) : undefined;
  };
  return {
    level: numbers('level')!,
    value: numbers('value')!,
    self: numbers('self')!,
    label: labels,
    names,
    valueRight: numbers('valueRight'),
    selfRight: numbers('selfRight'),
    unit: field('value')?.config?.unit ?? 'short',
  };
}

export function toFrame(c: Columns): DataFrame {
  const number = (name: string, values: number[], unit?: string) => ({
    name,
    type: FieldType.number,
    config: unit ? { unit } : {},
    values,
  });
  const fields = [
    number('level', c.level),
    number('value', c.value, c.unit),
    number('self', c.self, c.unit),
    { name: 'label', type: FieldType.enum, config: { type: { enum: { text: c.names } } }, values: c.label },
  ];
  if (c.valueRight && c.selfRight) {
    fields.push(number('valueRight', c.valueRight, c.unit), number('selfRight', c.selfRight, c.unit));
  }
  return { name: 'profile', length: c.level.length, fields, meta: { preferredVisualisationType: 'flamegraph' } };
}

/** Totals recomputed from self bottom-up, so a truncated tree is still a consistent profile. */
function recomputeTotals(c: Columns): void {
  const n = c.level.length;
  const parent = new Int32Array(n);
  const open: number[] = [];
  for (let i = 0; i < n; i++) {
    open.length = c.level[i];
    parent[i] = open.length ? open[open.length - 1] : -1;
    open.push(i);
  }
  const total = c.self.slice();
  for (let i = n - 1; i > 0; i--) {
    total[parent[i]] += total[i];
  }
  c.value = total;
}

/**
 * Exactly `nodes` rows from a real profile. Smaller: the first rows in depth-first order (a real
 * tree cut on its right), totals recomputed. Larger: copies of the real tree under `service-k`
 * frames with weights 1..5, as a fleet-wide profile merged over many services looks; then cut.
 */
export function resizeProfile(base: Columns, nodes: number): Columns {
  const out: Columns = {
    level: [0],
    value: [0],
    self: [base.self[0]],
    label: [base.label[0]],
    names: base.names.slice(),
    unit: base.unit,
  };
  if (nodes <= base.level.length) {
    out.level = base.level.slice(0, nodes);
    out.self = base.self.slice(0, nodes);
    out.label = base.label.slice(0, nodes);
  } else {
    for (let k = 0; out.level.length < nodes; k++) {
      const weight = 1 + ((k * 7) % 5);
      out.label.push(out.names.push(`service-${k}`) - 1);
      out.level.push(1);
      out.self.push(0);
      for (let i = 1; i < base.level.length && out.level.length < nodes; i++) {
        out.level.push(base.level[i] + 1);
        out.self.push(base.self[i] * weight);
        out.label.push(base.label[i]);
      }
    }
  }
  recomputeTotals(out);
  return out;
}

export interface NestedFrame {
  name: string;
  value: number;
  children: NestedFrame[];
}

/** The { name, value, children } objects d3-flame-graph documents as its input. */
export function toNested(frame: DataFrame): NestedFrame {
  const field = (name: string) => frame.fields.find((f) => f.name === name)!;
  const level = field('level').values;
  const value = field('value').values;
  const label = field('label');
  const text = label.config?.type?.enum?.text;
  const open: NestedFrame[] = [];
  let root: NestedFrame | undefined;
  for (let i = 0; i < level.length; i++) {
    const node = {
      name: text ? String(text[label.values[i]]) : String(label.values[i]),
      value: value[i],
      children: [],
    };
    open.length = level[i];
    if (open.length) {
      open[open.length - 1].children.push(node);
    } else {
      root = node;
    }
    open.push(node);
  }
  return root!;
}
