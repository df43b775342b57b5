import { createTheme, ThresholdsMode } from '@grafana/data';

import { normalizeThresholds, shareField, shareFieldConfig } from './shareDisplay';

describe('shareDisplay', () => {
  const theme = createTheme();

  it('reads a dashboard JSON null base step as -Infinity, so a 0% share takes the base colour', () => {
    const thresholds = normalizeThresholds({
      mode: ThresholdsMode.Absolute,
      steps: [
        { value: null as unknown as number, color: 'green' },
        { value: 40, color: 'red' },
      ],
    });
    expect(thresholds.steps.map((s) => s.value)).toEqual([-Infinity, 40]);
    const field = shareField('share', [0, 41], shareFieldConfig({ thresholds }), theme);
    expect(field.display!(0).color).toBe(theme.visualization.getColorByName('green'));
    expect(field.display!(41).color).toBe(theme.visualization.getColorByName('red'));
  });

  it('gives a share series the 0-100 range sparklines read (uPlot throws without one)', () => {
    const field = shareField('share', [10, null, 30], shareFieldConfig({}), theme);
    expect(field.state?.range).toEqual({ min: 0, max: 100, delta: 100 });
    expect(field.config.unit).toBe('percent');
    expect(field.display!(29.94).text).toBe('29.9');
  });
});
