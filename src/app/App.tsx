import React, { useMemo } from 'react';
import type { AppRootProps } from '@grafana/data';
import { SceneApp } from '@grafana/scenes';

import { type AppJsonData, resolveAppSettings } from '../shared/appSettings';
import { registerTracesRuntimeDataSource } from '../shared/traces/tracesRuntimeDataSource';
import { servicesPage } from '../pages/Services/ui/servicesPage';
import { servicePage } from '../pages/Service/ui/servicePage';
import { spanProfilePage } from '../pages/SpanProfile/ui/spanProfilePage';
import { flameGraphPage } from './pages/flameGraphPage';

function buildApp(jsonData: AppJsonData | undefined) {
  const settings = resolveAppSettings(jsonData);
  return new SceneApp({
    pages: [servicesPage(settings), servicePage(settings), flameGraphPage(), spanProfilePage(settings)],
  });
}

/** Root of the Spanflame app: a scenes app whose pages own their URLs. */
export default function App({ meta }: AppRootProps<AppJsonData>) {
  const jsonData = meta?.jsonData;
  // Pages read traces through the spanflame-traces runtime datasource, from the store the settings pick.
  useMemo(() => registerTracesRuntimeDataSource(resolveAppSettings(jsonData)), [jsonData]);
  const scene = useMemo(() => buildApp(jsonData), [jsonData]);
  return <scene.Component model={scene} />;
}
