import { diffChange } from './colors';
import { formatChange, formatShare } from './format';
import { baselineTotal, nameOf, type ProfileTree } from './profileTree';
import { type FlameDatum } from './prune';

/** What the tooltip and the keyboard status line say about one frame; exact for the whole profile. */
export interface FrameDetails {
  name: string;
  /** One line per fact, already formatted in the profile's unit. */
  rows: Array<{ label: string; value: string }>;
}

function baselineSelf(tree: ProfileTree, node: number): number {
  return tree.self[node] - (tree.selfRight ? tree.selfRight[node] : 0);
}

export function describeFrame(tree: ProfileTree, datum: FlameDatum, format: (value: number) => string): FrameDetails {
  const rootTotal = tree.total[0];
  if (datum.node < 0) {
    const parent = datum.otherParent ?? 0;
    return {
      name: datum.name,
      rows: [
        { label: 'Total', value: `${format(datum.value)} (${formatShare(datum.value / rootTotal)} of root)` },
        { label: 'Of parent', value: `${formatShare(datum.value / tree.total[parent])} of ${nameOf(tree, parent)}` },
        { label: 'Why', value: 'each is narrower than a pixel here; zoom in to see them' },
      ],
    };
  }
  const node = datum.node;
  const parent = tree.parent[node];
  const total = tree.total[node];
  const rows = [
    { label: 'Self', value: `${format(tree.self[node])} (${formatShare(tree.self[node] / rootTotal)})` },
    { label: 'Total', value: `${format(total)} (${formatShare(total / rootTotal)} of root)` },
  ];
  if (parent >= 0) {
    rows.push({ label: 'Of parent', value: `${formatShare(total / tree.total[parent])} of ${nameOf(tree, parent)}` });
  }
  if (tree.totalRight && tree.selfRight) {
    const rootRight = tree.totalRight[0];
    const rootLeft = rootTotal - rootRight;
    const left = baselineTotal(tree, node);
    const right = tree.totalRight[node];
    rows.push(
      { label: 'Baseline', value: `${format(left)} (${formatShare(rootLeft > 0 ? left / rootLeft : 0)})` },
      { label: 'Comparison', value: `${format(right)} (${formatShare(rootRight > 0 ? right / rootRight : 0)})` },
      { label: 'Change', value: formatChange(diffChange(left, right, rootLeft, rootRight)) },
      {
        label: 'Self change',
        value: formatChange(diffChange(baselineSelf(tree, node), tree.selfRight[node], rootLeft, rootRight)),
      }
    );
  }
  return { name: datum.name, rows };
}

/** One line for screen readers: "name, total 1.2 s (12.00% of root), self 30 ms (0.30%)". */
export function describeFrameText(details: FrameDetails): string {
  return [details.name, ...details.rows.map((row) => `${row.label.toLowerCase()} ${row.value}`)].join(', ');
}
