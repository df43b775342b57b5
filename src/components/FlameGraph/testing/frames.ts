import { type DataFrame, FieldType } from '@grafana/data';

/** A node of a hand-written profile: [label, self, children]. Totals are derived, as real data has them. */
export type TestNode = [string, number, TestNode[]?];

/** Builds Grafana's flame graph frame (depth-first, root first) from a nested test profile. */
export function frameFrom(
  root: TestNode,
  options: { unit?: string; enumLabels?: boolean; right?: TestNode } = {}
): DataFrame {
  const level: number[] = [];
  const value: number[] = [];
  const self: number[] = [];
  const label: string[] = [];
  const totalOf = (node: TestNode): number => node[1] + (node[2] ?? []).reduce((sum, c) => sum + totalOf(c), 0);
  const walk = (node: TestNode, depth: number) => {
    level.push(depth);
    value.push(totalOf(node));
    self.push(node[1]);
    label.push(node[0]);
    (node[2] ?? []).forEach((child) => walk(child, depth + 1));
  };
  walk(root, 0);
  const names = [...new Set(label)];
  const fields: DataFrame['fields'] = [
    { name: 'level', type: FieldType.number, config: {}, values: level },
    { name: 'value', type: FieldType.number, config: { unit: options.unit ?? 'short' }, values: value },
    { name: 'self', type: FieldType.number, config: { unit: options.unit ?? 'short' }, values: self },
    options.enumLabels
      ? {
          name: 'label',
          type: FieldType.enum,
          config: { type: { enum: { text: names } } },
          values: label.map((l) => names.indexOf(l)),
        }
      : { name: 'label', type: FieldType.string, config: {}, values: label },
  ];
  if (options.right) {
    // Same shape, right-hand values: rows line up one to one.
    const right = frameFrom(options.right);
    fields.push(
      { name: 'valueRight', type: FieldType.number, config: {}, values: right.fields[1].values },
      { name: 'selfRight', type: FieldType.number, config: {}, values: right.fields[2].values }
    );
  }
  return { name: 'test', length: level.length, fields };
}
