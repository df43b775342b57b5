import { EmbeddedScene, SceneAppPage, SceneControlsSpacer, SceneTimePicker, SceneTimeRange } from '@grafana/scenes';

import type { AppSettings } from '../../../shared/appSettings';
import { APP_BASE_URL, ROUTES } from '../../../shared/appUrls';
import { type ProfileTypeLookup, sessionProfileTypeLookup } from '../../../shared/parca/profileTypesCache';
import { TraceScene } from './TraceScene';

/**
 * One trace's CPU waterfall, reached by links (the trace view's header, the span page), so not in
 * the app's navigation. The page's time range is where Parca's profile types are listed; the CPU
 * query runs over the trace's own window.
 */
export function tracePage(settings: AppSettings, lookup: ProfileTypeLookup = sessionProfileTypeLookup) {
  return new SceneAppPage({
    title: 'Trace CPU',
    subTitle: 'Each span of one trace with its own CPU, and the trace’s CPU per service',
    url: `${APP_BASE_URL}/${ROUTES.Trace}`,
    routePath: `${ROUTES.Trace}/*`,
    preserveUrlKeys: ['traceId', 'profileType', 'from', 'to'],
    getScene: () =>
      new EmbeddedScene({
        $timeRange: new SceneTimeRange({ from: 'now-1h', to: 'now' }),
        controls: [new SceneControlsSpacer(), new SceneTimePicker({})],
        body: new TraceScene(settings, lookup),
      }),
  });
}
