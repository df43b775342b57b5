import {
  EmbeddedScene,
  type SceneFlexItem,
  SceneControlsSpacer,
  SceneFlexItem as FlexItem,
  SceneFlexLayout,
  type SceneObject,
  SceneRefreshPicker,
  SceneTimePicker,
  SceneTimeRange,
  type SceneVariable,
  SceneVariableSet,
  VariableValueSelectors,
} from '@grafana/scenes';

/** What differs between the app's page scenes; the frame around it (time range, controls, layout) is shared. */
export interface PageSceneParts {
  /** The page's content: one object that fills the page, or rows of a column. */
  body: SceneObject | SceneFlexItem[];
  /** Template variables, shown as pickers left of the time controls and kept in the URL (var-<name>). */
  variables?: SceneVariable[];
  /** The range when the URL names none. */
  defaultRange?: { from: string; to: string };
}

export const DEFAULT_PAGE_RANGE = { from: 'now-15m', to: 'now' };

/**
 * A page of the app as Grafana's own pages look: variable pickers, then the time picker and refresh
 * picker on the right, the content in a column below. The time range and variables sync with the URL
 * through the SceneAppPage that hosts the scene.
 */
export function buildPageScene({ body, variables, defaultRange = DEFAULT_PAGE_RANGE }: PageSceneParts): EmbeddedScene {
  const children = Array.isArray(body) ? body : [new FlexItem({ body })];
  return new EmbeddedScene({
    $timeRange: new SceneTimeRange({ ...defaultRange }),
    ...(variables?.length ? { $variables: new SceneVariableSet({ variables }) } : {}),
    controls: [
      ...(variables?.length ? [new VariableValueSelectors({})] : []),
      new SceneControlsSpacer(),
      new SceneTimePicker({}),
      new SceneRefreshPicker({}),
    ],
    body: new SceneFlexLayout({ direction: 'column', children }),
  });
}
