import { EmbeddedScene, SceneAppPage, SceneFlexItem, SceneFlexLayout } from '@grafana/scenes';

import { PLUGIN_BASE_URL, ROUTES } from '../../constants';
import { WelcomePanel } from '../ui/WelcomePanel';

export function homePage() {
  return new SceneAppPage({
    title: 'Spanflame',
    subTitle: 'From a slow span to the function that burned the CPU',
    url: `${PLUGIN_BASE_URL}/${ROUTES.Home}`,
    routePath: `${ROUTES.Home}/*`,
    getScene: () =>
      new EmbeddedScene({
        body: new SceneFlexLayout({
          direction: 'column',
          children: [new SceneFlexItem({ body: new WelcomePanel({}) })],
        }),
      }),
  });
}
