import {
  EmbeddedScene,
  SceneAppPage,
  SceneControlsSpacer,
  SceneFlexItem,
  SceneFlexLayout,
  SceneRefreshPicker,
  SceneTimePicker,
  SceneTimeRange,
} from '@grafana/scenes';

import { flameGraphUrl, ROUTES } from '../../shared/appUrls';
import { FlameGraphExplorer } from './ui/FlameGraphExplorer';

/** Flame graph of any service's profiles over a time range (the range and choices live in the URL). */
export function flameGraphPage() {
  return new SceneAppPage({
    title: 'Flame graph',
    subTitle: 'Where a service spends its CPU (or memory), from Parca',
    url: flameGraphUrl(),
    routePath: `${ROUTES.FlameGraph}/*`,
    getScene: () =>
      new EmbeddedScene({
        $timeRange: new SceneTimeRange({ from: 'now-15m', to: 'now' }),
        controls: [new SceneControlsSpacer(), new SceneTimePicker({}), new SceneRefreshPicker({})],
        body: new SceneFlexLayout({
          direction: 'column',
          children: [new SceneFlexItem({ body: new FlameGraphExplorer() })],
        }),
      }),
  });
}
