import { type TimeRange } from '@grafana/data';
import { getDataSourceSrv } from '@grafana/runtime';
import {
  sceneGraph,
  SceneObjectBase,
  type SceneObjectState,
  SceneObjectUrlSyncConfig,
  type SceneObjectUrlValues,
  type SceneQueryRunner,
} from '@grafana/scenes';
import { from, Subject } from 'rxjs';

import { SceneFlameGraph } from '../../../components/FlameGraph/scene';
import type { ParcaLookups, ServiceList } from '../../../datasource/parcaLookups';
import type { ProfileTypeInfo } from '../../../datasource/types';
import { datasourceProblem, getAppSettings } from '../../../shared/currentAppSettings';
import { openParcaLookups } from '../../../shared/parca/parcaLookups';
import { profileTypesKey } from '../../../shared/parca/profileTypesCache';
import { readSessionCache, sessionLookup } from '../../../shared/parca/sessionLookup';
import { defaultProfileType, viewSelector } from '../domain/profileView';
import { buildFlameGraphQueryRunner, setFlameGraphQuery } from '../infrastructure/buildFlameGraphQueryRunner';
import { FlameGraphExplorerRenderer } from './FlameGraphExplorerRenderer';

export interface FlameGraphExplorerState extends SceneObjectState {
  /** Profile type id shown (in the URL as `profileType`). */
  profileType?: string;
  /** Service shown, a value of the service label (in the URL as `service`); unset means all. */
  service?: string;
  /** Only the samples of this trace (in the URL as `traceId`); unset means all. */
  traceId?: string;
  profileTypes: ProfileTypeInfo[];
  /** The profile type list failed (Parca down, say): said in the type box, with a retry. */
  profileTypesError?: string;
  /** Parca answered that it holds no profile types in the range: an empty state, not an error. */
  noProfilesInRange: boolean;
  services: ServiceList;
  /** A setting the page cannot work with (no Parca datasource): said, with a link to the settings. */
  settingsProblem?: string;
  lookups?: ParcaLookups;
  flameGraph: SceneFlameGraph;
}

const typesKey = profileTypesKey;
const servicesKey = (uid: string, profileType: string) => `${uid}|services|${profileType}`;

/**
 * The flame graph of one service's profiles over the scene's time range. Profile type, service
 * and zoom live in the URL. The flame graph is fetched by a SceneQueryRunner; the profile type and
 * service lists come from the datasource, kept for the session, and are asked for beside the
 * query rather than before it: with the type in the URL (or known from earlier in the session),
 * the query goes out at once.
 */
export class FlameGraphExplorer extends SceneObjectBase<FlameGraphExplorerState> {
  static Component = FlameGraphExplorerRenderer;

  protected _urlSync = new SceneObjectUrlSyncConfig(this, { keys: ['profileType', 'service', 'traceId'] });
  private readonly datasourceUid: string;
  private readonly typeQuestions = new Subject<TimeRange>();
  private readonly serviceQuestions = new Subject<{ profileType: string; range: TimeRange }>();

  constructor(state: Partial<Omit<FlameGraphExplorerState, 'flameGraph'>> = {}) {
    const settings = getAppSettings();
    const datasourceUid = settings.parcaDatasourceUid;
    const cachedTypes = readSessionCache<ProfileTypeInfo[]>(typesKey(datasourceUid)) ?? [];
    super({
      profileTypes: cachedTypes,
      noProfilesInRange: false,
      services: { label: settings.serviceLabel, values: [] },
      ...state,
      flameGraph: new SceneFlameGraph({
        zoomUrlKey: 'zoom',
        $data: buildFlameGraphQueryRunner(datasourceUid, { labelSelector: '{}' }),
      }),
    });
    this.datasourceUid = datasourceUid;
    this.addActivationHandler(() => this.onActivate());
  }

  private onActivate() {
    const problem = datasourceProblem('parca', this.datasourceUid, getDataSourceSrv());
    if (problem) {
      this.setState({ settingsProblem: problem });
      return;
    }
    // Whatever the session knows picks the type at once; the fresh list follows.
    this.chooseProfileType(this.state.profileTypes);
    this._subs.add(from(openParcaLookups(this.datasourceUid)).subscribe((lookups) => this.listen(lookups)));
  }

  private listen(lookups: ParcaLookups) {
    this.setState({ lookups });
    const uid = this.datasourceUid;
    this._subs.add(
      sessionLookup(
        this.typeQuestions,
        () => typesKey(uid),
        (range) => lookups.getProfileTypes(range)
      ).subscribe(({ answer }) => {
        if (answer.error !== undefined) {
          this.setState({ profileTypesError: answer.error });
          return;
        }
        this.setState({
          profileTypes: answer.value,
          profileTypesError: undefined,
          // Only Parca's own answer for this range can say the range is empty.
          ...(answer.fresh ? { noProfilesInRange: answer.value.length === 0 } : {}),
        });
        this.chooseProfileType(answer.value);
      })
    );
    this._subs.add(
      sessionLookup(
        this.serviceQuestions,
        (q) => servicesKey(uid, q.profileType),
        (q) => lookups.getServices(q.profileType, q.range),
        (services) => services.values.length > 0
      ).subscribe(({ question, answer }) => {
        if (answer.value && question.profileType === this.state.profileType) {
          // With no services in the range the backend names its fallback label; the view keeps its own.
          const label = answer.value.values.length > 0 ? answer.value.label : this.state.services.label;
          this.setState({ services: { label, values: answer.value.values } });
          this.syncQuery();
        }
      })
    );
    this._subs.add(sceneGraph.getTimeRange(this).subscribeToState(() => this.askForLists()));
    this.askForLists();
  }

  /** Asks Parca for the lists of the current range (and type); answers replace what is shown. */
  private askForLists() {
    const range = sceneGraph.getTimeRange(this).state.value;
    this.typeQuestions.next(range);
    if (this.state.profileType) {
      this.serviceQuestions.next({ profileType: this.state.profileType, range });
    }
  }

  /** Keeps the URL's type, or picks the default one from a list when there is none yet. */
  private chooseProfileType(types: ProfileTypeInfo[]) {
    if (this.state.profileType) {
      this.syncQuery();
      return;
    }
    const chosen = defaultProfileType(types);
    if (chosen) {
      this.selectProfileType(chosen);
    }
  }

  getUrlState(): SceneObjectUrlValues {
    return { profileType: this.state.profileType, service: this.state.service, traceId: this.state.traceId };
  }

  updateFromUrl(values: SceneObjectUrlValues) {
    const profileType = typeof values.profileType === 'string' && values.profileType ? values.profileType : undefined;
    const service = typeof values.service === 'string' && values.service !== '' ? values.service : undefined;
    const traceId = typeof values.traceId === 'string' && values.traceId !== '' ? values.traceId : undefined;
    if (
      (profileType && profileType !== this.state.profileType) ||
      service !== this.state.service ||
      traceId !== this.state.traceId
    ) {
      this.setState({ profileType: profileType ?? this.state.profileType, service, traceId });
      this.syncQuery();
    }
  }

  /** Back to every sample of the view, not only one trace's. */
  clearTraceId() {
    if (this.state.traceId) {
      this.setState({ traceId: undefined });
      this.syncQuery();
    }
  }

  selectProfileType(profileType: string) {
    if (profileType === this.state.profileType) {
      return;
    }
    const cached = readSessionCache<ServiceList>(servicesKey(this.datasourceUid, profileType));
    this.setState({ profileType, services: cached ?? { ...this.state.services, values: [] } });
    this.syncQuery();
    if (this.state.lookups) {
      this.serviceQuestions.next({ profileType, range: sceneGraph.getTimeRange(this).state.value });
    }
  }

  selectService(service: string | undefined) {
    if ((service || undefined) !== this.state.service) {
      this.setState({ service: service || undefined });
      this.syncQuery();
    }
  }

  /** Asks again after a failure: the lists and the flame graph. */
  retry() {
    this.setState({ profileTypesError: undefined });
    this.askForLists();
    const runner = this.queryRunner();
    if (runner.isActive) {
      runner.runQueries();
    }
  }

  /** The shown profile as a pprof file, once the datasource and a profile type are known. */
  pprofUrl(): string | undefined {
    const { profileType, lookups } = this.state;
    if (!profileType || !lookups) {
      return undefined;
    }
    const range = sceneGraph.getTimeRange(this).state.value;
    const labelSelector = viewSelector(this.state.services.label, this.state.service, this.state.traceId);
    return lookups.pprofDownloadUrl({ profileType, labelSelector, range });
  }

  private labelSelector(): string {
    return viewSelector(this.state.services.label, this.state.service);
  }

  private queryRunner(): SceneQueryRunner {
    return this.state.flameGraph.state.$data as SceneQueryRunner;
  }

  private syncQuery() {
    if (this.state.profileType) {
      setFlameGraphQuery(this.queryRunner(), {
        profileType: this.state.profileType,
        labelSelector: this.labelSelector(),
        traceId: this.state.traceId,
      });
    }
  }
}
