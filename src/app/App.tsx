import React, { useMemo } from 'react';
import type { AppRootProps } from '@grafana/data';
import { SceneApp } from '@grafana/scenes';

import { flameGraphPage } from './pages/flameGraphPage';
import { homePage } from './pages/homePage';

function buildApp() {
  return new SceneApp({ pages: [homePage(), flameGraphPage()] });
}

/** Root of the Spanflame app: a scenes app whose pages own their URLs. */
export default function App(_: AppRootProps) {
  const scene = useMemo(() => buildApp(), []);
  return <scene.Component model={scene} />;
}
