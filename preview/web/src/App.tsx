import { Component, ErrorInfo, ReactNode, useEffect, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { config } from '@grafana/runtime';
import { Alert, GlobalStyles, ThemeContext, useStyles2 } from '@grafana/ui';

import { reportHostError, subscribeHostErrors } from './hostErrors';
import { AppPage } from './pages/AppPage';
import { ConfigPage } from './pages/ConfigPage';
import { ExplorePage } from './pages/ExplorePage';

/** Catches render errors of plugin components (an "Invalid hook call" from a second React lands here). */
class PluginErrorBoundary extends Component<{ children: ReactNode }, { error?: Error }> {
  state: { error?: Error } = {};
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  componentDidCatch(error: Error, info: ErrorInfo) {
    reportHostError(
      'A plugin component failed to render',
      `${error.stack ?? error.message}\n${info.componentStack ?? ''}`
    );
  }
  render() {
    return this.state.error ? (
      <Alert severity="error" title="The plugin failed to render">
        {this.state.error.message}
      </Alert>
    ) : (
      this.props.children
    );
  }
}

function HostErrors() {
  const [errors, setErrors] = useState<string[]>([]);
  useEffect(() => subscribeHostErrors(setErrors), []);
  if (errors.length === 0) {
    return null;
  }
  return (
    <div data-testid="host-errors">
      <Alert severity="error" title={`The preview host caught ${errors.length} error(s) loading or running the plugin`}>
        {errors.map((e, i) => (
          <pre key={i}>{e}</pre>
        ))}
      </Alert>
    </div>
  );
}

function route(): ReactNode {
  const path = window.location.pathname;
  const edit = /^\/connections\/datasources\/edit\/([^/]+)$/.exec(path);
  if (edit) {
    return <ConfigPage uid={decodeURIComponent(edit[1])} />;
  }
  if (path === '/explore') {
    return <ExplorePage />;
  }
  const app = /^\/a\/([^/]+)(\/.*)?$/.exec(path);
  if (app) {
    return <AppPage appId={decodeURIComponent(app[1])} />;
  }
  return <Alert severity="warning" title={`Nothing at ${path}`} />;
}

function Shell() {
  const styles = useStyles2(getStyles);
  // The plugin's datasource is the default one; the core ones (Prometheus, Tempo, Jaeger) are stand-ins.
  const datasources = Object.values(config.datasources);
  const uid = (datasources.find((ds) => ds.isDefault) ?? datasources[0])?.uid ?? '';
  return (
    <div className={styles.shell}>
      <nav className={styles.nav}>
        <strong>Spanflame preview host</strong>
        <a href={`/connections/datasources/edit/${uid}`}>Datasource settings</a>
        <a href="/explore">Explore</a>
        {Object.entries(config.apps as unknown as Record<string, { defaultPath?: string }>).map(([id, app]) => (
          <a key={id} href={app.defaultPath ?? `/a/${id}`}>
            App
          </a>
        ))}
        <span className={styles.note}>
          Stand-in for Grafana {config.buildInfo.version}: loads the built plugin from dist/
        </span>
      </nav>
      <main className={styles.main}>
        <HostErrors />
        <PluginErrorBoundary>{route()}</PluginErrorBoundary>
      </main>
    </div>
  );
}

export function App() {
  const theme = config.theme2;
  return (
    <ThemeContext.Provider value={theme}>
      {/* Grafana's own global styles (resets, body, fieldsets), from @grafana/ui. */}
      <GlobalStyles />
      <Shell />
    </ThemeContext.Provider>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  shell: css({ minHeight: '100vh', display: 'flex', flexDirection: 'column' }),
  nav: css({
    display: 'flex',
    gap: theme.spacing(3),
    alignItems: 'center',
    padding: theme.spacing(1, 2),
    background: theme.colors.background.primary,
    borderBottom: `1px solid ${theme.colors.border.weak}`,
  }),
  note: css({ marginLeft: 'auto', color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  main: css({ padding: theme.spacing(2, 3), display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
});
