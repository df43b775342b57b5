// Order matters: errors are collected before anything else runs, and the runtime services are in
// place before any plugin module is imported.
import { reportHostError } from './hostErrors';
import React from 'react';
import { createRoot } from 'react-dom/client';

import { App } from './App';
import { registerSharedDependencies } from './pluginLoader';
import { installRuntimeServices } from './services';

try {
  installRuntimeServices();
  registerSharedDependencies();
  createRoot(document.getElementById('preview-root')!).render(<App />);
} catch (err) {
  reportHostError('Starting the preview host', err);
}
