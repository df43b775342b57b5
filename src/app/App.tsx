import React, { useMemo } from 'react';
import type { AppRootProps } from '@grafana/data';
import { SceneApp } from '@grafana/scenes';

import { homePage } from './pages/homePage';

function buildApp() {
  return new SceneApp({ pages: [homePage()] });
}

/** Root of the Spanflame app: a scenes app whose pages own their URLs. */
export default function App(_: AppRootProps) {
  const scene = useMemo(() => buildApp(), []);
  return <scene.Component model={scene} />;
}
