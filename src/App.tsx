import React, { useMemo } from 'react';
import type { AppRootProps } from '@grafana/data';
import { SceneApp } from '@grafana/scenes';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';

import { coveragePage } from './pages/Coverage/coveragePage';
import { flameGraphPage } from './pages/FlameGraph/flameGraphPage';
import { servicePage } from './pages/Service/ui/servicePage';
import { servicesPage } from './pages/Services/ui/servicesPage';
import { spanProfilePage } from './pages/SpanProfile/ui/spanProfilePage';
import { tracePage } from './pages/Trace/ui/tracePage';
import type { AppJsonData } from './shared/appSettings';
import { homeUrl } from './shared/appUrls';
import { setAppJsonData } from './shared/currentAppSettings';
import { registerTracesRuntimeDataSource } from './shared/traces/tracesRuntimeDataSource';

/** Root of the Spanflame app: a scenes app whose pages own their URLs. */
export default function App({ meta }: AppRootProps<AppJsonData>) {
  const jsonData = meta.jsonData;
  const scene = useMemo(() => {
    // Settings first: pages read them as they are built, and the spanflame-traces runtime
    // datasource reads traces from the store they pick.
    const settings = setAppJsonData(jsonData);
    registerTracesRuntimeDataSource(settings);
    return new SceneApp({
      pages: [
        servicesPage(settings),
        servicePage(settings),
        flameGraphPage(),
        spanProfilePage(settings),
        tracePage(settings),
        coveragePage(settings),
      ],
    });
  }, [jsonData]);
  // The app's bare URL (/a/spanflame-app, as typed or bookmarked) has no page of its own: it opens
  // the home, keeping the range and other parameters it came with, rather than a blank app.
  return (
    <Routes>
      <Route index element={<RedirectHome />} />
      <Route path="*" element={<scene.Component model={scene} />} />
    </Routes>
  );
}

function RedirectHome() {
  const { search } = useLocation();
  return <Navigate to={`${homeUrl()}${search}`} replace />;
}
