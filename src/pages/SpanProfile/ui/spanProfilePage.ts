import { EmbeddedScene, SceneAppPage, SceneControlsSpacer, SceneTimePicker, SceneTimeRange } from '@grafana/scenes';

import type { AppSettings } from '../../../shared/appSettings';
import { APP_BASE_URL, ROUTES } from '../../../shared/appUrls';
import { type ProfileTypeLookup, sessionProfileTypeLookup } from '../../../shared/parca/profileTypesCache';
import { SpanProfileScene } from './SpanProfileScene';

/**
 * One span's CPU profile, reached by links (extension points, correlations, other pages), so not in
 * the app's navigation. The page's time range is the range the route view merges over; the span's
 * own window is exact and lives with each profile query.
 */
export function spanProfilePage(settings: AppSettings, lookup: ProfileTypeLookup = sessionProfileTypeLookup) {
  return new SceneAppPage({
    title: 'Span profile',
    subTitle: 'The CPU of one span, and how far to trust it',
    url: `${APP_BASE_URL}/${ROUTES.Span}`,
    routePath: `${ROUTES.Span}/*`,
    preserveUrlKeys: [
      'traceId',
      'spanId',
      'spanStart',
      'spanEnd',
      'spanDuration',
      'service',
      'view',
      'profileType',
      'from',
      'to',
    ],
    getScene: () =>
      new EmbeddedScene({
        $timeRange: new SceneTimeRange({ from: 'now-1h', to: 'now' }),
        controls: [new SceneControlsSpacer(), new SceneTimePicker({})],
        body: new SpanProfileScene(settings, lookup),
      }),
  });
}
