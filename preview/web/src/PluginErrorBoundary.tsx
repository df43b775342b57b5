import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Alert } from '@grafana/ui';

import { reportHostError } from './hostErrors';

/**
 * Catches render errors of plugin components (an "Invalid hook call" from a second React lands
 * here) and reports them as host errors: a person sees them, a browser test fails on them.
 */
export class PluginErrorBoundary extends Component<{ what: string; children: ReactNode }, { error?: Error }> {
  state: { error?: Error } = {};
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  componentDidCatch(error: Error, info: ErrorInfo) {
    reportHostError(
      `${this.props.what} failed to render`,
      `${error.stack ?? error.message}\n${info.componentStack ?? ''}`
    );
  }
  render() {
    return this.state.error ? (
      <Alert severity="error" title={`${this.props.what} failed to render`}>
        {this.state.error.message}
      </Alert>
    ) : (
      this.props.children
    );
  }
}
