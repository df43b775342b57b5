import { Alert, LoadingPlaceholder } from '@grafana/ui';

import { useAppPlugin } from '../useAppPlugin';

/**
 * The app plugin's settings page at /plugins/<app id>, as Grafana shows it: the plugin loaded with
 * its meta (GET /api/plugins/<id>/settings, jsonData included), and the config page the plugin
 * added with addConfigPage (the one named by ?page=, else the first) rendered with `plugin` and
 * `query`.
 */
export function AppConfigPage({ appId }: { appId: string }) {
  const plugin = useAppPlugin(appId);

  if (!plugin) {
    return <LoadingPlaceholder text="Loading the app settings…" />;
  }
  const query = Object.fromEntries(new URLSearchParams(window.location.search));
  const pages = plugin.configPages ?? [];
  const page = pages.find((p) => p.id === query.page) ?? pages[0];
  if (!page) {
    return <Alert severity="info" title="This app has no settings page" />;
  }
  const Body = page.body;
  return (
    <div data-testid="app-config-page">
      <h2>{page.title}</h2>
      <Body plugin={plugin} query={query} />
    </div>
  );
}
