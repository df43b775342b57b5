import type { KeyValue } from '@grafana/data';
import { locationService, LocationServiceProvider } from '@grafana/runtime';
import { LoadingPlaceholder } from '@grafana/ui';
import { Route, Routes, unstable_HistoryRouter as HistoryRouter } from 'react-router-dom';

import { useAppPlugin } from '../useAppPlugin';

/**
 * The app plugin's root page under /a/<app id>/, as Grafana mounts it: meta set and init() called
 * on the plugin, then its root component inside a router on @grafana/runtime's locationService
 * history (react-router is shared with the plugin as an external).
 */
type RouterHistory = Parameters<typeof HistoryRouter>[0]['history'];

/**
 * locationService keeps a history v4 object, whose listeners get `(location, action)`; react-router
 * 6's HistoryRouter expects history v5's `({ action, location })`. Without this adapter the first
 * URL change a page makes (scenes' URL sync, say) leaves the router with an undefined location.
 */
let adaptedHistory: RouterHistory | undefined;

function routerHistory(): RouterHistory {
  if (adaptedHistory) {
    return adaptedHistory;
  }
  const history = locationService.getHistory();
  const adapted = {
    get action() {
      return history.action;
    },
    get location() {
      return history.location;
    },
    createHref: history.createHref,
    push: history.push,
    replace: history.replace,
    go: history.go,
    back: history.goBack,
    forward: history.goForward,
    block: history.block,
    listen: (listener: (update: { action: typeof history.action; location: typeof history.location }) => void) =>
      history.listen((location: typeof history.location, action: typeof history.action) =>
        listener({ action, location })
      ),
  };
  adaptedHistory = adapted as unknown as RouterHistory;
  return adaptedHistory;
}

export function AppPage({ appId }: { appId: string }) {
  const plugin = useAppPlugin(appId);

  if (!plugin) {
    return <LoadingPlaceholder text="Loading the app…" />;
  }
  const Root = plugin.root;
  if (!Root) {
    return <div>The app has no root page</div>;
  }
  const basename = `/a/${appId}`;
  const query: KeyValue = Object.fromEntries(new URLSearchParams(window.location.search));
  return (
    <div data-testid="app-root">
      {/* One history for the router and @grafana/runtime's locationService, which scenes navigate with. */}
      <LocationServiceProvider service={locationService}>
        <HistoryRouter history={routerHistory()}>
          <Routes>
            <Route
              path={`${basename}/*`}
              element={
                <Root meta={plugin.meta} basename={basename} path={basename} query={query} onNavChanged={() => {}} />
              }
            />
          </Routes>
        </HistoryRouter>
      </LocationServiceProvider>
    </div>
  );
}
