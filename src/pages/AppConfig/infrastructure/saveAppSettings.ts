import { getBackendSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

import pluginJson from '../../../plugin.json';
import type { AppJsonData } from '../../../shared/appSettings';

/** What Grafana's plugin settings API stores for an app (POST /api/plugins/<id>/settings). */
export interface AppPluginSettings {
  enabled: boolean;
  pinned: boolean;
  jsonData: AppJsonData;
}

/**
 * Saves the app's settings the way Grafana's own app config pages do, then reloads the page:
 * Grafana hands apps their settings at load, so a reload is how every page sees the new ones.
 */
export async function saveAppSettings(settings: AppPluginSettings, reload = () => window.location.reload()) {
  await lastValueFrom(
    getBackendSrv().fetch({
      url: `/api/plugins/${pluginJson.id}/settings`,
      method: 'POST',
      data: settings,
      showSuccessAlert: false,
    })
  );
  reload();
}
