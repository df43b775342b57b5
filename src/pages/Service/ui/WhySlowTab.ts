import { LoadingState, type PanelData } from '@grafana/data';
import { SceneObjectBase, type SceneObjectState, type SceneQueryRunner } from '@grafana/scenes';
import { Subscription } from 'rxjs';

import { SceneFlameGraph, flameGraphFrame } from '../../../components/FlameGraph/scene';
import { spansFromFrame } from '../../../shared/traces/spansFrame';
import { growthPerRequest, type GrowthTable } from '../domain/growth';
import { chooseWhySlowSpans, type WhySlowOutcome, whySlowDiffQuery } from '../domain/whySlow';
import { buildRouteSpansQueryRunner, buildWhySlowDiffQueryRunner } from '../infrastructure/buildServiceTabQueryRunners';
import { WhySlowTabRenderer } from './WhySlowTabRenderer';

/** Rows of the growth table: deep enough to reach the hot function below its callers. */
const GROWTH_ROWS = 25;

export interface RouteOption {
  name: string;
  spans: number;
}

/** A runner's answer as the tab shows it: loading, failed with a sentence, or its data. */
export type Answer<T> = { state: 'loading' } | { state: 'error'; message: string } | { state: 'done'; value: T };

interface WhySlowTabState extends SceneObjectState {
  service: string;
  route?: string;
  profileType?: string;
  /** Server spans of the service over the range, for the route picker (a child: it needs the range). */
  serviceSpans: SceneQueryRunner;
  routeSpans?: SceneQueryRunner;
  routes: Answer<RouteOption[]>;
  outcome?: Answer<WhySlowOutcome>;
  flameGraph?: SceneFlameGraph;
  growth?: GrowthTable;
}

export interface WhySlowSettings {
  parcaDatasourceUid: string;
  serviceLabel: string;
}

function answerOf<T>(data: PanelData, read: (data: PanelData) => T): Answer<T> {
  if (data.state === LoadingState.Error || data.errors?.length) {
    return { state: 'error', message: data.errors?.[0]?.message ?? 'The trace search failed without saying why.' };
  }
  if (data.state !== LoadingState.Done) {
    return { state: 'loading' };
  }
  return { state: 'done', value: read(data) };
}

/** Span names of the service with their counts, most requests first. */
export function routeOptions(data: PanelData): RouteOption[] {
  const counts = new Map<string, number>();
  for (const s of spansFromFrame(data.series[0])) {
    counts.set(s.name, (counts.get(s.name) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([name, spans]) => ({ name, spans }))
    .sort((a, b) => b.spans - a.spans || a.name.localeCompare(b.name));
}

/**
 * Why slow: for one route (a span name, in the URL as `route`), the CPU of its slow requests
 * (above p95) against its typical ones (near the median), as ONE diff query on Parca selecting
 * both sides by trace id. The trace store is asked twice (the service's routes, the route's spans);
 * Parca once, whatever the number of traces.
 */
export class WhySlowTab extends SceneObjectBase<WhySlowTabState> {
  static Component = WhySlowTabRenderer;
  private load = new Subscription();

  constructor(
    state: { service: string; route?: string; profileType?: string },
    private readonly settings: WhySlowSettings,
    private readonly onRouteChange: (route: string) => void
  ) {
    super({ ...state, serviceSpans: buildRouteSpansQueryRunner(state.service), routes: { state: 'loading' } });
    this.addActivationHandler(() => this.onActivate());
  }

  selectRoute(route: string) {
    this.onRouteChange(route);
  }

  private onActivate() {
    const { serviceSpans } = this.state;
    const deactivate = serviceSpans.activate();
    this._subs.add(
      serviceSpans.subscribeToState((s) => s.data && this.setState({ routes: answerOf(s.data, routeOptions) }))
    );
    if (this.state.route) {
      this.watchRoute(this.state.route);
    }
    return () => {
      deactivate();
      this.load.unsubscribe();
      this.load = new Subscription();
    };
  }

  private watchRoute(route: string) {
    const routeSpans = buildRouteSpansQueryRunner(this.state.service, route);
    this.setState({ routeSpans, outcome: { state: 'loading' } });
    const deactivate = routeSpans.activate();
    this.load.add(() => deactivate());
    this.load.add(
      routeSpans.subscribeToState((s) => {
        if (!s.data || s.data.state === LoadingState.Loading) {
          return;
        }
        const outcome = answerOf(s.data, (d) => chooseWhySlowSpans(spansFromFrame(d.series[0])));
        this.setState({ outcome });
        if (outcome.state === 'done' && 'choice' in outcome.value) {
          this.compare(outcome.value.choice);
        } else {
          this.setState({ flameGraph: undefined, growth: undefined });
        }
      })
    );
  }

  private compare(choice: Extract<WhySlowOutcome, { choice: unknown }>['choice']) {
    const { profileType, service } = this.state;
    if (!profileType) {
      return;
    }
    const runner = buildWhySlowDiffQueryRunner(
      this.settings.parcaDatasourceUid,
      whySlowDiffQuery({ profileType, serviceLabel: this.settings.serviceLabel, service, choice })
    );
    const flameGraph = new SceneFlameGraph({ $data: runner });
    this.setState({ flameGraph, growth: undefined });
    this.load.add(
      runner.subscribeToState((s) => {
        if (s.data?.state === LoadingState.Done) {
          const requests = { slow: choice.slow.length, typical: choice.typical.length };
          try {
            this.setState({ growth: growthPerRequest(flameGraphFrame(s.data.series), requests, GROWTH_ROWS) });
          } catch {
            // A frame the flame graph cannot read either: it says why itself.
            this.setState({ growth: undefined });
          }
        }
      })
    );
  }
}
