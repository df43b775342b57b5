import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { getDataSourceSrv } from '@grafana/runtime';
import {
  SceneComponentProps,
  sceneGraph,
  SceneObject,
  SceneObjectBase,
  SceneObjectState,
  SceneObjectUrlSyncConfig,
  SceneObjectUrlValues,
} from '@grafana/scenes';
import { Alert, Tab, TabsBar, TextLink, useStyles2 } from '@grafana/ui';

import { SceneFlameGraph } from '../../../components/FlameGraph/scene';
import { defaultProfileType } from '../../../datasource/profileTypes';
import type { ProfileTypeInfo } from '../../../datasource/types';
import type { AppSettings } from '../../../shared/appSettings';
import { APP_SETTINGS_URL, homeUrl, type ServiceTab } from '../../../shared/appUrls';
import { datasourceProblem } from '../../../shared/currentAppSettings';
import { openParcaLookups } from '../../../shared/parca/parcaLookups';
import { SettingsProblem } from '../../../shared/ui/SettingsProblem';
import { type DurationBand, parseBand } from '../domain/slowSpans';
import { buildServiceProfileQueryRunner } from '../infrastructure/buildServiceTabQueryRunners';
import { ProfileTypePicker } from './ProfileTypePicker';
import { buildRedTab } from './redTab';
import { SlowSpansTab } from './SlowSpansTab';
import { WhySlowTab } from './WhySlowTab';

const TABS: Array<{ id: ServiceTab; label: string }> = [
  { id: 'red', label: 'RED' },
  { id: 'profile', label: 'Profile' },
  { id: 'slow-spans', label: 'Slow spans' },
  { id: 'why-slow', label: 'Why slow' },
];

/** Profile types Parca holds: loading, failed (with why), or listed. */
export type ProfileTypesAnswer =
  { state: 'loading' } | { state: 'error'; message: string } | { state: 'done'; types: ProfileTypeInfo[] };

interface ServiceViewState extends SceneObjectState {
  service?: string;
  tab: ServiceTab;
  /** As the URL names it; the tabs use resolvedProfileType (this, or the first CPU type). */
  profileType?: string;
  band: DurationBand;
  bandProblem?: string;
  route?: string;
  profileTypes: ProfileTypesAnswer;
  body?: SceneObject;
}

const str = (v: SceneObjectUrlValues[string]) => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * One service's page. Every choice is in the URL and owned here (`service`, `tab`, `profileType`,
 * the slow-spans band `minMs`/`maxMs`, the why-slow `route`): the tabs are rebuilt from it, and ask
 * this object to change it, so a link opens the same tab in the same state.
 */
export class ServiceView extends SceneObjectBase<ServiceViewState> {
  protected _urlSync = new SceneObjectUrlSyncConfig(this, {
    keys: ['service', 'tab', 'profileType', 'minMs', 'maxMs', 'route'],
  });

  constructor(private readonly settings: AppSettings) {
    super({ tab: 'red', band: {}, profileTypes: { state: 'loading' } });
    this.addActivationHandler(() => {
      void this.loadProfileTypes();
    });
  }

  getUrlState() {
    const { service, tab, profileType, band, route } = this.state;
    return {
      service,
      tab,
      profileType,
      minMs: band.minMs?.toString(),
      maxMs: band.maxMs?.toString(),
      route,
    };
  }

  updateFromUrl(values: SceneObjectUrlValues) {
    const { band, problem } = parseBand(str(values.minMs), str(values.maxMs));
    const next = {
      service: str(values.service),
      tab: TABS.find((t) => t.id === values.tab)?.id ?? 'red',
      profileType: str(values.profileType),
      route: str(values.route),
      band,
      bandProblem: problem,
    };
    const s = this.state;
    const changed =
      next.service !== s.service ||
      next.tab !== s.tab ||
      next.profileType !== s.profileType ||
      next.route !== s.route ||
      next.band.minMs !== s.band.minMs ||
      next.band.maxMs !== s.band.maxMs;
    if (changed || !s.body) {
      this.setState(next);
      this.rebuild();
    }
  }

  hasPrometheus(): boolean {
    return Boolean(this.settings.prometheusDatasourceUid);
  }

  selectTab(tab: ServiceTab) {
    this.setState({ tab });
    this.rebuild();
  }

  selectProfileType(profileType: string) {
    this.setState({ profileType });
    this.rebuild();
  }

  /** The type the profile tabs show: the URL's when Parca holds it, else the first CPU type. */
  resolvedProfileType(): string | undefined {
    const { profileType, profileTypes } = this.state;
    if (profileTypes.state !== 'done') {
      return profileType;
    }
    const held = profileTypes.types.some((t) => t.id === profileType);
    return held ? profileType : defaultProfileType(profileTypes.types);
  }

  /** Why a tab cannot run with the app's settings; undefined when it can. */
  settingsProblem(tab: ServiceTab): string | undefined {
    const directory = getDataSourceSrv();
    const parca = () => datasourceProblem('parca', this.settings.parcaDatasourceUid, directory);
    const traces = () => datasourceProblem('traces', this.settings.traceDatasourceUid, directory);
    switch (tab) {
      case 'profile':
        return parca();
      case 'slow-spans':
        return traces();
      case 'why-slow':
        return traces() ?? parca();
      default:
        return undefined;
    }
  }

  private async loadProfileTypes() {
    if (
      this.state.profileTypes.state === 'done' ||
      datasourceProblem('parca', this.settings.parcaDatasourceUid, getDataSourceSrv())
    ) {
      return;
    }
    try {
      const lookups = await openParcaLookups(this.settings.parcaDatasourceUid);
      // Types in the page's range: Parca answers that from the range's samples, not from all it holds.
      const range = sceneGraph.getTimeRange(this).state.value;
      this.setState({ profileTypes: { state: 'done', types: await lookups.getProfileTypes(range) } });
    } catch (err) {
      this.setState({ profileTypes: { state: 'error', message: err instanceof Error ? err.message : String(err) } });
    }
    // Only the tabs that show profiles wait for the types; the others keep their runs.
    if (this.state.tab === 'profile' || this.state.tab === 'why-slow') {
      this.rebuild();
    }
  }

  private rebuild() {
    this.setState({ body: this.buildBody() });
  }

  private buildBody(): SceneObject | undefined {
    const { service, tab, band, bandProblem, route } = this.state;
    if (service === undefined || this.settingsProblem(tab)) {
      return undefined;
    }
    const profileType = this.resolvedProfileType();
    switch (tab) {
      case 'red': {
        const prometheusUid = this.settings.prometheusDatasourceUid;
        return prometheusUid
          ? buildRedTab(prometheusUid, { serviceLabel: this.settings.serviceLabel, service })
          : undefined;
      }
      case 'profile':
        return profileType
          ? new SceneFlameGraph({
              $data: buildServiceProfileQueryRunner(this.settings.parcaDatasourceUid, {
                profileType,
                serviceLabel: this.settings.serviceLabel,
                service,
              }),
            })
          : undefined;
      case 'slow-spans':
        return new SlowSpansTab({ service, band, bandProblem }, (next) => {
          this.setState({ band: next, bandProblem: undefined });
          this.rebuild();
        });
      case 'why-slow':
        return new WhySlowTab({ service, route, profileType }, this.settings, (next) => {
          this.setState({ route: next });
          this.rebuild();
        });
    }
  }

  static Component = ServiceViewRenderer;
}

function ServiceViewRenderer({ model }: SceneComponentProps<ServiceView>) {
  const { service, tab, body, profileTypes } = model.useState();
  const styles = useStyles2(getStyles);
  if (service === undefined) {
    return (
      <Alert severity="info" title="No service chosen">
        Pick a service on <TextLink href={homeUrl()}>the services overview</TextLink>.
      </Alert>
    );
  }
  const problem = model.settingsProblem(tab);
  const profileTab = tab === 'profile' || tab === 'why-slow';
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
      {problem && <SettingsProblem problem={problem} />}
      {!problem && profileTab && (
        <ProfileTypePicker
          answer={profileTypes}
          value={model.resolvedProfileType()}
          onChange={(id) => model.selectProfileType(id)}
        />
      )}
      {body && <body.Component model={body} />}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2), flexGrow: 1 }),
});
