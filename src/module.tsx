import React, { Suspense, lazy } from 'react';
import { type AppPluginMeta, AppPlugin, type AppRootProps, type PluginConfigPageProps } from '@grafana/data';
import { LoadingPlaceholder } from '@grafana/ui';

import { RANGE_PROFILE_LINK, SPAN_PROFILE_LINK, TRACE_PROFILE_LINK, TRACE_WATERFALL_LINK } from './extensions/links';
import type { AppJsonData } from './shared/appSettings';

// The app is loaded lazily so that Grafana's boot does not pay for scenes until the app is opened.
const LazyApp = lazy(() => import('./App'));
const LazyAppConfig = lazy(() => import('./pages/AppConfig/ui/AppConfig').then((m) => ({ default: m.AppConfig })));

const App = (props: AppRootProps<AppJsonData>) => (
  <Suspense fallback={<LoadingPlaceholder text="Loading Spanflame..." />}>
    <LazyApp {...props} />
  </Suspense>
);

const AppConfig = (props: PluginConfigPageProps<AppPluginMeta<AppJsonData>>) => (
  <Suspense fallback={<LoadingPlaceholder text="Loading settings..." />}>
    <LazyAppConfig {...props} />
  </Suspense>
);

// Each link is also declared, by title, in plugin.json's extensions.addedLinks (Grafana drops undeclared ones).
export const plugin = new AppPlugin<AppJsonData>()
  .setRootPage(App)
  .addConfigPage({
    title: 'Settings',
    icon: 'cog',
    id: 'settings',
    body: AppConfig,
  })
  .addLink(SPAN_PROFILE_LINK)
  .addLink(TRACE_PROFILE_LINK)
  .addLink(TRACE_WATERFALL_LINK)
  .addLink(RANGE_PROFILE_LINK);
