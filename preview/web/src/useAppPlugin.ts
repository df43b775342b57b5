import { useEffect, useState } from 'react';
import type { AppPlugin } from '@grafana/data';
import { config } from '@grafana/runtime';

import { reportHostError } from './hostErrors';
import { loadAppPlugin } from './pluginLoader';

/**
 * The app plugin as Grafana hands it to its pages: its module loaded, its meta (GET
 * /api/plugins/<id>/settings, jsonData included) set, and init() called. Undefined until then;
 * failures go to the host's error list.
 */
export function useAppPlugin(appId: string): AppPlugin | undefined {
  const [plugin, setPlugin] = useState<AppPlugin>();
  useEffect(() => {
    const app = (config.apps as unknown as Record<string, { path: string }>)[appId];
    if (!app) {
      reportHostError('Opening the app', new Error(`no app ${appId} in boot data`));
      return;
    }
    (async () => {
      const meta = await (await fetch(`/api/plugins/${appId}/settings`)).json();
      const loaded = await loadAppPlugin(app.path);
      loaded.meta = meta;
      loaded.init(meta);
      setPlugin(loaded);
    })().catch((err) => reportHostError('Loading the app plugin', err));
  }, [appId]);
  return plugin;
}
