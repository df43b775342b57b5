import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import {
  SceneComponentProps,
  SceneObject,
  SceneObjectBase,
  SceneObjectState,
  SceneObjectUrlSyncConfig,
  SceneObjectUrlValues,
} from '@grafana/scenes';
import { Alert, Tab, TabsBar, TextLink, useStyles2 } from '@grafana/ui';

import type { AppSettings } from '../../../shared/appSettings';
import { APP_SETTINGS_URL, homeUrl, type ServiceTab } from '../../../shared/appUrls';
import { buildRedTab } from './redTab';

/** Tabs this page has so far; Profile (the flame graph scene), Slow spans and Why slow come later. */
const TABS: Array<{ id: ServiceTab; label: string }> = [{ id: 'red', label: 'RED' }];

interface ServiceViewState extends SceneObjectState {
  service?: string;
  tab: ServiceTab;
  body?: SceneObject;
}

/** One service's page: which service and tab are in the URL (`service`, `tab`), as appUrls writes them. */
export class ServiceView extends SceneObjectBase<ServiceViewState> {
  protected _urlSync = new SceneObjectUrlSyncConfig(this, { keys: ['service', 'tab'] });

  constructor(private readonly settings: AppSettings) {
    super({ tab: 'red' });
  }

  getUrlState() {
    return { service: this.state.service, tab: this.state.tab };
  }

  updateFromUrl(values: SceneObjectUrlValues) {
    const service = typeof values.service === 'string' ? values.service : undefined;
    const tab = TABS.find((t) => t.id === values.tab)?.id ?? 'red';
    if (service !== this.state.service || tab !== this.state.tab || !this.state.body) {
      this.setState({ service, tab, body: this.buildBody(service, tab) });
    }
  }

  hasPrometheus(): boolean {
    return Boolean(this.settings.prometheusDatasourceUid);
  }

  selectTab(tab: ServiceTab) {
    this.setState({ tab, body: this.buildBody(this.state.service, tab) });
  }

  private buildBody(service: string | undefined, tab: ServiceTab): SceneObject | undefined {
    const prometheusUid = this.settings.prometheusDatasourceUid;
    if (service === undefined || tab !== 'red' || !prometheusUid) {
      return undefined;
    }
    return buildRedTab(prometheusUid, { serviceLabel: this.settings.serviceLabel, service });
  }

  static Component = ServiceViewRenderer;
}

function ServiceViewRenderer({ model }: SceneComponentProps<ServiceView>) {
  const { service, tab, body } = model.useState();
  const styles = useStyles2(getStyles);
  if (service === undefined) {
    return (
      <Alert severity="info" title="No service chosen">
        Pick a service on <TextLink href={homeUrl()}>the services overview</TextLink>.
      </Alert>
    );
  }
  return (
    <div className={styles.page}>
      <TabsBar>
        {TABS.map((t) => (
          <Tab key={t.id} label={t.label} active={t.id === tab} onChangeTab={() => model.selectTab(t.id)} />
        ))}
      </TabsBar>
      {tab === 'red' && !model.hasPrometheus() && (
        <Alert severity="info" title="No Prometheus datasource chosen">
          RED panels read Beyla metrics from Prometheus: choose its datasource in{' '}
          <TextLink href={APP_SETTINGS_URL}>the app&apos;s settings</TextLink>.
        </Alert>
      )}
      {body && <body.Component model={body} />}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2), flexGrow: 1 }),
});
