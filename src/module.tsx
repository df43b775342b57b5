import React, { Suspense, lazy } from 'react';
import { AppPlugin, type AppRootProps } from '@grafana/data';
import { LoadingPlaceholder } from '@grafana/ui';

import { RANGE_PROFILE_LINK, SPAN_PROFILE_LINK, TRACE_PROFILE_LINK } from './extensions/links';

// The app is loaded lazily so that Grafana's boot does not pay for scenes until the app is opened.
const LazyApp = lazy(() => import('./app/App'));

const App = (props: AppRootProps) => (
  <Suspense fallback={<LoadingPlaceholder text="Loading Spanflame..." />}>
    <LazyApp {...props} />
  </Suspense>
);

// Each link is also declared, by title, in plugin.json's extensions.addedLinks (Grafana drops undeclared ones).
export const plugin = new AppPlugin<{}>()
  .setRootPage(App)
  .addLink(SPAN_PROFILE_LINK)
  .addLink(TRACE_PROFILE_LINK)
  .addLink(RANGE_PROFILE_LINK);
