import { EmbeddedScene, SceneAppPage, SceneFlexItem, SceneFlexLayout } from '@grafana/scenes';

import { homeUrl, ROUTES } from '../../shared/appUrls';
import { WelcomePanel } from './ui/WelcomePanel';

export function homePage() {
  return new SceneAppPage({
    title: 'Spanflame',
    subTitle: 'From a slow span to the function that burned the CPU',
    url: homeUrl(),
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
