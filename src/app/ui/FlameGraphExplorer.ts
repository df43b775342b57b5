import { type DataQueryResponse, LoadingState, type DataFrame } from '@grafana/data';
import {
  sceneGraph,
  SceneObjectBase,
  type SceneObjectState,
  SceneObjectUrlSyncConfig,
  type SceneObjectUrlValues,
} from '@grafana/scenes';
import { type Subscription } from 'rxjs';

import type { ServiceList } from '../../datasource/datasource';
import { errorMessage } from '../../datasource/errorMessage';
import type { ProfileTypeInfo } from '../../datasource/types';
import { defaultProfileType, viewSelector } from '../domain/profileView';
import {
  flameGraphFrame,
  openProfileSource,
  pprofDownloadUrl,
  type ProfileSource,
} from '../infrastructure/parcaProfiles';
import { FlameGraphExplorerRenderer } from './FlameGraphExplorerRenderer';

export interface FlameGraphExplorerState extends SceneObjectState {
  /** Profile type id shown (in the URL as `profileType`). */
  profileType?: string;
  /** Service shown, a value of the service label (in the URL as `service`); unset means all. */
  service?: string;
  profileTypes: ProfileTypeInfo[];
  services: ServiceList;
  frame?: DataFrame;
  loading: boolean;
  error?: string;
}

/**
 * The flame graph of one service's profiles over the scene's time range, drawn by Spanflame's
 * FlameGraph. Profile type and service live in the URL, so a view can be shared or linked to.
 * Every change of range, type or service cancels the query in flight and asks again.
 */
export class FlameGraphExplorer extends SceneObjectBase<FlameGraphExplorerState> {
  static Component = FlameGraphExplorerRenderer;

  protected _urlSync = new SceneObjectUrlSyncConfig(this, { keys: ['profileType', 'service'] });
  private source?: Promise<ProfileSource>;
  private inFlight?: Subscription;
  /** Bumped by every reload; answers of an older one are dropped. */
  private generation = 0;

  constructor(
    state: Partial<FlameGraphExplorerState> = {},
    private readonly openSource: () => Promise<ProfileSource> = () => openProfileSource()
  ) {
    super({ profileTypes: [], services: { label: 'service_name', values: [] }, loading: true, ...state });
    this.addActivationHandler(() => {
      const timeRange = sceneGraph.getTimeRange(this);
      this._subs.add(
        timeRange.subscribeToState((next, prev) => {
          if (next.value !== prev.value) {
            this.reload();
          }
        })
      );
      this.reload();
      return () => {
        this.generation += 1;
        this.inFlight?.unsubscribe();
      };
    });
  }

  getUrlState(): SceneObjectUrlValues {
    return { profileType: this.state.profileType, service: this.state.service };
  }

  updateFromUrl(values: SceneObjectUrlValues) {
    const profileType = typeof values.profileType === 'string' ? values.profileType : undefined;
    const service = typeof values.service === 'string' && values.service !== '' ? values.service : undefined;
    if (profileType !== this.state.profileType || service !== this.state.service) {
      this.setState({ profileType: profileType ?? this.state.profileType, service });
      if (this.isActive) {
        this.reload();
      }
    }
  }

  selectProfileType(profileType: string) {
    if (profileType !== this.state.profileType) {
      this.setState({ profileType });
      this.reload();
    }
  }

  selectService(service: string | undefined) {
    if ((service || undefined) !== this.state.service) {
      this.setState({ service: service || undefined });
      this.reload();
    }
  }

  /** The shown profile as a pprof file, once a profile type is known. */
  pprofUrl(): string | undefined {
    const { profileType, services, service } = this.state;
    if (!profileType) {
      return undefined;
    }
    const range = sceneGraph.getTimeRange(this).state.value;
    return pprofDownloadUrl({ profileType, labelSelector: viewSelector(services.label, service) }, range);
  }

  private async reload() {
    const generation = ++this.generation;
    const current = () => generation === this.generation;
    this.inFlight?.unsubscribe();
    this.setState({ loading: true, error: undefined });
    try {
      this.source ??= this.openSource();
      const source = await this.source;
      const range = sceneGraph.getTimeRange(this).state.value;
      const profileTypes = await source.profileTypes(range);
      if (!current()) {
        return;
      }
      const profileType = defaultProfileType(profileTypes, this.state.profileType);
      if (!profileType) {
        this.setState({
          profileTypes,
          frame: undefined,
          loading: false,
          error: 'Parca holds no profiles in this time range: pick a wider range, or check that Parca is scraping.',
        });
        return;
      }
      const services = await source.services(profileType, range);
      if (!current()) {
        return;
      }
      this.setState({ profileTypes, profileType, services });
      const labelSelector = viewSelector(services.label, this.state.service);
      this.inFlight = source.flameGraph({ profileType, labelSelector }, range).subscribe({
        next: (response) => current() && this.onAnswer(response),
        error: (err: unknown) => current() && this.setState({ loading: false, error: errorMessage(err) }),
      });
    } catch (err) {
      if (current()) {
        this.setState({ loading: false, error: errorMessage(err) });
      }
    }
  }

  private onAnswer(response: DataQueryResponse) {
    const failure = response.errors?.[0];
    if (failure) {
      this.setState({ loading: false, frame: undefined, error: failure.message ?? 'The profile query failed.' });
      return;
    }
    this.setState({
      loading: response.state === LoadingState.Loading,
      frame: flameGraphFrame(response.data as DataFrame[]),
    });
  }
}
