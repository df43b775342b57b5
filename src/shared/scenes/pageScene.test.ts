import {
  SceneFlexItem,
  SceneFlexLayout,
  SceneRefreshPicker,
  SceneTimePicker,
  SceneVariableSet,
  TextBoxVariable,
  VariableValueSelectors,
} from '@grafana/scenes';

import { buildPageScene } from './pageScene';

describe('buildPageScene', () => {
  it('frames one body in a column with the time and refresh pickers and a 15-minute default range', () => {
    const body = new SceneFlexLayout({ children: [] });
    const scene = buildPageScene({ body });
    const layout = scene.state.body as SceneFlexLayout;
    expect((layout.state.children[0] as SceneFlexItem).state.body).toBe(body);
    expect(scene.state.$timeRange?.state.from).toBe('now-15m');
    expect(scene.state.$variables).toBeUndefined();
    const controls = scene.state.controls ?? [];
    expect(controls.some((c) => c instanceof SceneTimePicker)).toBe(true);
    expect(controls.some((c) => c instanceof SceneRefreshPicker)).toBe(true);
    expect(controls.some((c) => c instanceof VariableValueSelectors)).toBe(false);
  });

  it('shows variable pickers first when the page has variables, and keeps rows as given', () => {
    const rows = [new SceneFlexItem({ body: new SceneFlexLayout({ children: [] }) })];
    const search = new TextBoxVariable({ name: 'search' });
    const scene = buildPageScene({ body: rows, variables: [search], defaultRange: { from: 'now-1h', to: 'now' } });
    expect((scene.state.body as SceneFlexLayout).state.children).toEqual(rows);
    expect((scene.state.$variables as SceneVariableSet).state.variables).toEqual([search]);
    expect(scene.state.controls?.[0]).toBeInstanceOf(VariableValueSelectors);
    expect(scene.state.$timeRange?.state.from).toBe('now-1h');
  });
});
