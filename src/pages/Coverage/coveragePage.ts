import { SceneAppPage } from '@grafana/scenes';

import type { AppSettings } from '../../shared/appSettings';
import { coverageUrl, ROUTES } from '../../shared/appUrls';
import { buildCpuProfileTypeVariable } from '../../shared/parca/profileTypeVariable';
import { buildPageScene } from '../../shared/scenes/pageScene';
import { CoverageView } from './ui/CoverageView';

/** Profiles missing a trace link: each service's share and trend, and why, largest reason first. */
export function coveragePage(settings: AppSettings): SceneAppPage {
  return new SceneAppPage({
    title: 'Trace link coverage',
    subTitle: 'How much CPU has no trace link, per service, and why',
    url: coverageUrl(),
    routePath: `${ROUTES.Coverage}/*`,
    preserveUrlKeys: ['service', 'from', 'to', 'var-profileType'],
    getScene: () =>
      buildPageScene({
        body: new CoverageView(settings),
        variables: [buildCpuProfileTypeVariable(settings.parcaDatasourceUid)],
      }),
  });
}
