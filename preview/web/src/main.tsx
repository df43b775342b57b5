// Order matters: errors are collected before anything else runs, and the runtime services are in
// place before any plugin module is imported.
import { reportHostError } from './hostErrors';
import { createRoot } from 'react-dom/client';
import { initializeLoggersRegistry } from '@grafana/runtime/unstable';

import { App } from './App';
import { installPanelPlugins } from './panels';
import { registerSharedDependencies } from './pluginLoader';
import { installRunRequest } from './runRequest';
import { installRuntimeServices } from './services';

try {
  // Grafana sets up @grafana/runtime's loggers at boot; its datasource code logs through them.
  initializeLoggersRegistry();
  installRuntimeServices();
  // Scenes' query runners run their queries through it, as in Grafana.
  installRunRequest();
  // VizPanels get their panel plugins (the app's own, and stand-ins for Grafana's) through it.
  installPanelPlugins();
  registerSharedDependencies();
  createRoot(document.getElementById('preview-root')!).render(<App />);
} catch (err) {
  reportHostError('Starting the preview host', err);
}
