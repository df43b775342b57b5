import React, { useMemo } from 'react';
import type { AppRootProps } from '@grafana/data';
import { SceneApp } from '@grafana/scenes';

import { resolveAppSettings, type AppJsonData, type AppSettings } from '../shared/appSettings';
import { servicesPage } from '../pages/Services/ui/servicesPage';
import { servicePage } from '../pages/Service/ui/servicePage';
import { flameGraphPage } from './pages/flameGraphPage';

function buildApp(settings: AppSettings) {
  return new SceneApp({ pages: [servicesPage(settings), servicePage(settings), flameGraphPage()] });
}

/** Root of the Spanflame app: a scenes app whose pages own their URLs. */
export default function App({ meta }: AppRootProps<AppJsonData>) {
  const jsonData = meta.jsonData;
  const scene = useMemo(() => buildApp(resolveAppSettings(jsonData)), [jsonData]);
  return <scene.Component model={scene} />;
}
