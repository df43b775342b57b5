import React, { useMemo } from 'react';
import type { AppRootProps } from '@grafana/data';
import { SceneApp } from '@grafana/scenes';

import { type AppJsonData, resolveAppSettings } from '../shared/appSettings';
import { registerTracesRuntimeDataSource } from '../shared/traces/tracesRuntimeDataSource';
import { flameGraphPage } from './pages/flameGraphPage';
import { homePage } from './pages/homePage';

function buildApp() {
  return new SceneApp({ pages: [homePage(), flameGraphPage()] });
}

/** Root of the Spanflame app: a scenes app whose pages own their URLs. */
export default function App({ meta }: AppRootProps<AppJsonData>) {
  // Pages read traces through the spanflame-traces runtime datasource, from the store the settings pick.
  useMemo(() => registerTracesRuntimeDataSource(resolveAppSettings(meta.jsonData)), [meta.jsonData]);
  const scene = useMemo(() => buildApp(), []);
  return <scene.Component model={scene} />;
}
