import { type TimeRange } from '@grafana/data';
import { getDataSourceSrv } from '@grafana/runtime';
import { EmbeddedScene, SceneAppPage, SceneControlsSpacer, SceneTimePicker, SceneTimeRange } from '@grafana/scenes';

import type { ParcaDataSource } from '../../../datasource/datasource';
import type { AppSettings } from '../../../shared/appSettings';
import { APP_BASE_URL, ROUTES } from '../../../shared/appUrls';
import { profileTypesForSession } from '../../../shared/parca/profileTypesCache';
import { SpanProfileScene, type ProfileTypeLookup } from './SpanProfileScene';

/** Parca's profile types through the datasource class (its backend resource), never a rebuilt URL. */
const lookupProfileTypes: ProfileTypeLookup = async (uid: string, range: TimeRange) => {
  const ds = (await getDataSourceSrv().get({ uid })) as ParcaDataSource;
  // The session's list at once: asking Parca first on every span opened delayed the profile query.
  return profileTypesForSession(uid, range, (r) => ds.getProfileTypes(r));
};

/**
 * One span's CPU profile, reached by links (extension points, correlations, other pages), so not in
 * the app's navigation. The page's time range is the range the route view merges over; the span's
 * own window is exact and lives with each profile query.
 */
export function spanProfilePage(settings: AppSettings, lookup: ProfileTypeLookup = lookupProfileTypes) {
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
