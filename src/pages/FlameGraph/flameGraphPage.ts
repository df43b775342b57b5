import { SceneAppPage } from '@grafana/scenes';

import { flameGraphUrl, ROUTES } from '../../shared/appUrls';
import { buildPageScene } from '../../shared/scenes/pageScene';
import { FlameGraphExplorer } from './ui/FlameGraphExplorer';

/** Flame graph of any service's profiles over a time range (the range and choices live in the URL). */
export function flameGraphPage() {
  return new SceneAppPage({
    title: 'Flame graph',
    subTitle: 'Where a service spends its CPU (or memory), from Parca',
    url: flameGraphUrl(),
    routePath: `${ROUTES.FlameGraph}/*`,
    getScene: () => buildPageScene({ body: new FlameGraphExplorer() }),
  });
}
