import {
  EmbeddedScene,
  SceneAppPage,
  SceneControlsSpacer,
  SceneFlexItem,
  SceneFlexLayout,
  SceneRefreshPicker,
  SceneTimePicker,
  SceneTimeRange,
  SceneVariableSet,
  VariableValueSelectors,
} from '@grafana/scenes';

import type { AppSettings } from '../../shared/appSettings';
import { coverageUrl, ROUTES } from '../../shared/appUrls';
import { buildProfileTypeVariable } from './infrastructure/buildCoverageQueryRunners';
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
      new EmbeddedScene({
        $timeRange: new SceneTimeRange({ from: 'now-15m', to: 'now' }),
        $variables: new SceneVariableSet({ variables: [buildProfileTypeVariable(settings.parcaDatasourceUid)] }),
        controls: [
          new VariableValueSelectors({}),
          new SceneControlsSpacer(),
          new SceneTimePicker({}),
          new SceneRefreshPicker({}),
        ],
        body: new SceneFlexLayout({
          direction: 'column',
          children: [new SceneFlexItem({ body: new CoverageView(settings) })],
        }),
      }),
  });
}
