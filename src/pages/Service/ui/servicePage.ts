import { SceneAppPage } from '@grafana/scenes';

import type { AppSettings } from '../../../shared/appSettings';
import { APP_BASE_URL, ROUTES } from '../../../shared/appUrls';
import { buildPageScene } from '../../../shared/scenes/pageScene';
import { ServiceView } from './ServiceView';

/** One service: RED from Beyla its profile, its slowest spans and why they were slow. */
export function servicePage(settings: AppSettings): SceneAppPage {
  return new SceneAppPage({
    title: 'Service',
    subTitle: 'Requests, errors and duration of one service',
    url: `${APP_BASE_URL}/${ROUTES.Service}`,
    routePath: `${ROUTES.Service}/*`,
    preserveUrlKeys: ['service', 'tab', 'profileType', 'minMs', 'maxMs', 'route', 'from', 'to'],
    getScene: () => buildPageScene({ body: new ServiceView(settings) }),
  });
}
