import { comboboxWidthFor } from './comboboxWidth';

// 7 px per character at any size: enough to see which text decides.
const measure = (text: string) => ({ width: text.length * 7 });

describe('comboboxWidthFor', () => {
  it('keeps the minimum when every option fits', () => {
    expect(comboboxWidthFor([{ value: 'a', label: 'CPU' }], 40, measure)).toBe(40);
  });

  it('widens the box to its widest label or description, so the menu never grows after it opens', () => {
    const id = 'parca_agent:samples:count:cpu:nanoseconds:delta';
    const width = comboboxWidthFor([{ value: id, label: 'CPU samples, count', description: id }], 30, measure);
    expect(width * 8).toBeGreaterThanOrEqual(id.length * 7 + 8 * 2 + 8 + 17);
  });
});
