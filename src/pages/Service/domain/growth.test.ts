import { FieldType, toDataFrame } from '@grafana/data';

import { growthPerRequest } from './growth';

// A diff frame (Grafana's flame graph shape): total > main > { hot, other }.
function diffFrame(left: number[], right: number[]) {
  return toDataFrame({
    fields: [
      { name: 'level', type: FieldType.number, values: [0, 1, 2, 2] },
      { name: 'label', type: FieldType.string, values: ['total', 'main', 'hot', 'other'] },
      { name: 'value', type: FieldType.number, values: left, config: { unit: 'ns' } },
      { name: 'self', type: FieldType.number, values: [0, 0, left[2], left[3]] },
      { name: 'valueRight', type: FieldType.number, values: right },
      { name: 'selfRight', type: FieldType.number, values: [0, 0, right[2], right[3]] },
    ],
  });
}

describe('growthPerRequest', () => {
  it('compares CPU per request, so the same mix at a larger size grows', () => {
    // 10 typical requests of 10 (8 hot, 2 other); 5 slow requests of 100 (80 hot, 20 other): same shares.
    const table = growthPerRequest(diffFrame([100, 100, 80, 20], [500, 500, 400, 100]), { slow: 5, typical: 10 });
    expect(table?.unit).toBe('ns');
    expect(table?.rows.map((r) => [r.name, r.typicalPerRequest, r.slowPerRequest, r.growth])).toEqual([
      ['main', 10, 100, 90],
      ['hot', 8, 80, 72],
      ['other', 2, 20, 18],
    ]);
  });

  it('leaves out functions that did not grow per request', () => {
    // other: 5 per typical request, 4 per slow one.
    const table = growthPerRequest(diffFrame([100, 100, 50, 50], [54, 54, 50, 4]), { slow: 1, typical: 10 });
    expect(table?.rows.map((r) => r.name)).toEqual(['hot', 'main']);
  });

  it('is undefined for a one-sided answer or no requests', () => {
    const plain = toDataFrame({
      fields: [
        { name: 'level', type: FieldType.number, values: [0] },
        { name: 'label', type: FieldType.string, values: ['total'] },
        { name: 'value', type: FieldType.number, values: [1] },
        { name: 'self', type: FieldType.number, values: [1] },
      ],
    });
    expect(growthPerRequest(plain, { slow: 1, typical: 1 })).toBeUndefined();
    expect(growthPerRequest(diffFrame([1, 1, 1, 0], [1, 1, 1, 0]), { slow: 0, typical: 1 })).toBeUndefined();
  });
});
