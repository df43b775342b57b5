/**
 * The span page's state and data flow. Everything a person can change lives in the URL (the span's
 * ids and times, the view, the profile type); everything else is derived: the trace store is asked
 * for what the link lacks, then the view's labelled profile runs in the span's exact window, and
 * only when it is empty does the page fall back to the service's window and count the overlaps.
 */
import { type DataQueryError, type PanelData } from '@grafana/data';
import {
  sceneGraph,
  SceneObjectBase,
  type SceneObjectState,
  SceneObjectUrlSyncConfig,
  type SceneObjectUrlValues,
  type SceneQueryRunner,
} from '@grafana/scenes';
import { Subscription } from 'rxjs';

import { SceneFlameGraph } from '../../../components/FlameGraph/scene';

import type { ProfileTypeLookup } from '../../../shared/parca/profileTypesCache';
import type { AppSettings } from '../../../shared/appSettings';
import type { SpanView } from '../../../shared/appUrls';
import { parcaProblem, traceStoreErrorKind, traceStoreProblem } from '../domain/messages';
import {
  parseSpanView,
  profileTypesWindow,
  viewFallsBackToWindow,
  viewQuery,
  windowQuery,
  type PlannedQuery,
} from '../domain/profileQueries';
import { chooseProfileSource, type ProfileSourceChoice } from '../domain/profileSource';
import { chooseCpuProfileType } from '../domain/sampling';
import {
  factsWindow,
  linkFacts,
  locateSpan,
  overlappingRequests,
  placeFacts,
  routeTraceIds,
  type SpanFacts,
  type SpanPlace,
} from '../domain/spanPlace';
import {
  badTraceIdMessage,
  normalizeSpanId,
  normalizeTraceId,
  type TimeWindow,
  windowAsTimeRange,
  windowDurationMs,
} from '../domain/spanWindow';
import { profileTotal } from '../infrastructure/profileLinks';
import {
  buildOverlapQueryRunner,
  buildRouteSpansQueryRunner,
  buildSpanProfileQueryRunner,
  buildSpanQueryRunner,
  isDone,
  ROUTE_TRACE_LIMIT,
} from '../infrastructure/queryRunners';
import { spansFromFrame } from '../../../shared/traces/spansFrame';
import { SpanCpuVerdict } from './SpanCpuVerdict';
import { SpanProfileRenderer } from './SpanProfileRenderer';

const URL_KEYS = ['traceId', 'spanId', 'spanStart', 'spanEnd', 'spanDuration', 'service', 'view', 'profileType'];

export interface SpanProfileState extends SceneObjectState {
  // From the URL.
  traceId?: string;
  spanId?: string;
  spanStart?: number;
  spanEnd?: number;
  spanDuration?: number;
  service?: string;
  view: SpanView;
  profileType?: string;
  // Derived.
  facts?: SpanFacts;
  place?: SpanPlace;
  /** Why the page cannot show the span at all (bad link). */
  linkProblem?: string;
  /** The trace store failed or does not know the trace; the page goes on with what the link said. */
  traceProblem?: string;
  /** Parca failed. */
  profileProblem?: string;
  tracePending: boolean;
  /** The profile being shown (or loading), and which query it is. */
  flameGraph?: SceneFlameGraph;
  shown?: PlannedQuery;
  choice?: ProfileSourceChoice;
  /** Why no profile can be asked for (e.g. no window known). */
  planProblem?: string;
  /** Runners of the current load that nobody renders (trace, overlaps, route): children, so they have a parent. */
  lookups: SceneQueryRunner[];
  /** Computing or waiting: the span's CPU beside its duration (span and subtree views). */
  cpuVerdict?: SpanCpuVerdict;
}

export class SpanProfileScene extends SceneObjectBase<SpanProfileState> {
  static Component = SpanProfileRenderer;

  protected _urlSync = new SceneObjectUrlSyncConfig(this, { keys: URL_KEYS });
  /** Runners and subscriptions of the current load; dropped when the span, view or type changes. */
  private load = new Subscription();

  constructor(
    readonly settings: AppSettings,
    private readonly lookupProfileTypes: ProfileTypeLookup,
    state: Partial<SpanProfileState> = {}
  ) {
    super({ view: 'span', tracePending: false, lookups: [], ...state });
    this.addActivationHandler(() => {
      this.reload();
      return () => this.load.unsubscribe();
    });
  }

  getUrlState(): SceneObjectUrlValues {
    const s = this.state;
    const text = (n: number | undefined) => (n === undefined ? undefined : String(n));
    return {
      traceId: s.traceId,
      spanId: s.spanId,
      spanStart: text(s.spanStart),
      spanEnd: text(s.spanEnd),
      spanDuration: text(s.spanDuration),
      service: s.service,
      view: s.view,
      profileType: s.profileType,
    };
  }

  updateFromUrl(values: SceneObjectUrlValues) {
    const str = (k: string) => (typeof values[k] === 'string' && values[k] !== '' ? (values[k] as string) : undefined);
    const num = (k: string) => {
      const n = str(k) === undefined ? NaN : Number(str(k));
      return Number.isFinite(n) ? n : undefined;
    };
    const next: Partial<SpanProfileState> = {
      traceId: str('traceId'),
      spanId: str('spanId'),
      spanStart: num('spanStart'),
      spanEnd: num('spanEnd'),
      spanDuration: num('spanDuration'),
      service: str('service'),
      view: parseSpanView(str('view')),
      profileType: str('profileType'),
    };
    const changed = (Object.keys(next) as Array<keyof SpanProfileState>).some((k) => next[k] !== this.state[k]);
    if (changed) {
      this.setState(next);
      if (this.isActive) {
        this.reload();
      }
    }
  }

  setView(view: SpanView) {
    if (view !== this.state.view) {
      this.setState({ view });
      this.reload();
    }
  }

  /** The page's own time range (the route view merges over it). */
  pageWindow(): TimeWindow {
    const range = sceneGraph.getTimeRange(this).state.value;
    return { fromMs: range.from.valueOf(), toMs: range.to.valueOf() };
  }

  /** Starts over: the trace, then the profile type, then the view's profile. */
  private reload() {
    this.load.unsubscribe();
    this.load = new Subscription();
    const traceId = normalizeTraceId(this.state.traceId);
    const reset: Partial<SpanProfileState> = {
      linkProblem: undefined,
      traceProblem: undefined,
      profileProblem: undefined,
      planProblem: undefined,
      flameGraph: undefined,
      shown: undefined,
      choice: undefined,
      place: undefined,
      lookups: [],
      cpuVerdict: undefined,
    };
    if (!traceId) {
      this.setState({
        ...reset,
        facts: undefined,
        tracePending: false,
        linkProblem: badTraceIdMessage(this.state.traceId),
      });
      return;
    }
    const link = linkFacts({ ...this.state, traceId, spanId: normalizeSpanId(this.state.spanId) });
    this.setState({ ...reset, facts: link, tracePending: true });
    const runner = buildSpanQueryRunner(traceId);
    this.watch(runner, (data) => this.onTrace(link, data));
  }

  private onTrace(link: SpanFacts, data: PanelData) {
    let facts = link;
    let place: SpanPlace | undefined;
    let traceProblem: string | undefined;
    const error = firstError(data);
    if (error) {
      traceProblem = traceStoreProblem(traceStoreErrorKind(error), link.traceId, error.message);
    } else {
      const found = locateSpan({ traceId: link.traceId, spans: spansFromFrame(data.series[0]) }, link.spanId);
      if ('place' in found) {
        place = found.place;
        facts = placeFacts(link, place);
      } else {
        traceProblem =
          found.problem === 'empty-trace'
            ? traceStoreProblem('not-found', link.traceId)
            : `Span ${link.spanId} is not in trace ${link.traceId}: check the span id in the link.`;
      }
    }
    this.setState({ facts, place, traceProblem, tracePending: false });
    this.resolveProfileType(facts);
  }

  private async resolveProfileType(facts: SpanFacts) {
    const window = factsWindow(facts);
    if (!window) {
      this.setState({
        planProblem:
          "The span's start and end are unknown (the trace store did not give them and the link does not carry them), so there is no window to profile.",
      });
      return;
    }
    if (this.state.profileType) {
      this.plan(facts, window, this.state.profileType);
      return;
    }
    const load = this.load;
    try {
      const uid = this.settings.parcaDatasourceUid;
      const types = await this.lookupProfileTypes(
        uid,
        windowAsTimeRange(profileTypesWindow(this.pageWindow(), window, this.state.place?.traceWindow))
      );
      if (load.closed) {
        return;
      }
      const profileType = chooseCpuProfileType(types, this.settings);
      if (!profileType) {
        this.setState({ profileProblem: parcaProblem('it holds no profiles around this time', uid) });
        return;
      }
      this.plan(facts, window, profileType);
    } catch (err) {
      if (!load.closed) {
        this.setState({
          profileProblem: parcaProblem(
            err instanceof Error ? err.message : String(err),
            this.settings.parcaDatasourceUid
          ),
        });
      }
    }
  }

  private plan(facts: SpanFacts, spanWindow: TimeWindow, profileType: string, routeIds?: string[]) {
    const { view, place } = this.state;
    if (view === 'route' && routeIds === undefined) {
      this.collectRoute(facts, spanWindow, profileType);
      return;
    }
    const inputs = {
      facts,
      spanWindow,
      traceWindow: place?.traceWindow,
      pageWindow: this.pageWindow(),
      serviceLabel: this.settings.serviceLabel,
      profileType,
      routeTraceIds: routeIds,
    };
    const planned = viewQuery(view, inputs);
    if (!planned) {
      this.setState({ planProblem: unplannable(view) });
      return;
    }
    const fallback = viewFallsBackToWindow(view) ? windowQuery(inputs) : undefined;
    const shown = this.show(planned, (total) => {
      if (total > 0 || !fallback) {
        this.decide({ labelledTotal: total, canFallBack: false, routeRequests: routeIds?.length });
        return;
      }
      this.fallBack(facts, spanWindow, fallback);
    });
    this.setState({ cpuVerdict: SpanCpuVerdict.forView(this.settings, inputs, view, place, shown) });
  }

  /** Runs a query into the flame graph; `onTotal` hears the profile's total once it is in. */
  private show(planned: PlannedQuery, onTotal: (total: number) => void): SceneQueryRunner {
    const runner = buildSpanProfileQueryRunner(this.settings, planned);
    this.setState({ flameGraph: new SceneFlameGraph({ $data: runner }), shown: planned });
    this.load.add(
      runner.subscribeToState((s) => {
        if (!isDone(s.data)) {
          return;
        }
        const error = firstError(s.data);
        if (error) {
          this.setState({ profileProblem: parcaProblem(error.message, this.settings.parcaDatasourceUid) });
          return;
        }
        onTotal(profileTotal(s.data?.series) ?? 0);
      })
    );
    return runner;
  }

  /**
   * The service's CPU in the profiles covering the span, beside how many other requests of the
   * service overlapped the span itself (its own window, not the wider one Parca is asked for).
   */
  private fallBack(facts: SpanFacts, spanWindow: TimeWindow, fallback: PlannedQuery) {
    const service = facts.service as string;
    const windowMs = fallback.window.toMs - fallback.window.fromMs;
    const base = { labelledTotal: 0, canFallBack: true, service, windowMs, spanMs: windowDurationMs(spanWindow) };
    let overlapping: number | undefined;
    let windowTotal: number | undefined;
    const decide = () => this.decide({ ...base, overlapping, windowTotal });
    decide();
    this.watch(buildOverlapQueryRunner(service, spanWindow), (data) => {
      overlapping = firstError(data)
        ? undefined
        : overlappingRequests(
            data.series.flatMap((frame) => spansFromFrame(frame)),
            facts,
            spanWindow
          );
      decide();
    });
    this.show(fallback, (total) => {
      windowTotal = total;
      decide();
      this.state.cpuVerdict?.hearWindow(total);
    });
  }

  private collectRoute(facts: SpanFacts, spanWindow: TimeWindow, profileType: string) {
    if (!facts.service || !facts.name) {
      this.setState({ planProblem: unplannable('route') });
      return;
    }
    this.watch(buildRouteSpansQueryRunner(facts.service, facts.name, this.pageWindow()), (data) => {
      const error = firstError(data);
      if (error) {
        this.setState({ traceProblem: traceStoreProblem(traceStoreErrorKind(error), facts.traceId, error.message) });
        return;
      }
      const ids = routeTraceIds(spansFromFrame(data.series[0]), facts, ROUTE_TRACE_LIMIT);
      if (ids.length === 0) {
        this.setState({
          planProblem: `The trace store holds no ${facts.name} requests of ${facts.service} in this time range: widen the range.`,
        });
        return;
      }
      this.plan(facts, spanWindow, profileType, ids);
    });
  }

  private decide(inputs: Omit<Parameters<typeof chooseProfileSource>[0], 'view'>) {
    this.setState({
      choice: chooseProfileSource({ view: this.state.view, service: this.state.facts?.service, ...inputs }),
    });
  }

  /** Activates a runner that nobody renders for the current load, and hears each finished answer. */
  private watch(runner: SceneQueryRunner, onDone: (data: PanelData) => void) {
    this.setState({ lookups: [...this.state.lookups, runner] });
    const deactivate = runner.activate();
    this.load.add(() => deactivate());
    this.load.add(
      runner.subscribeToState((s) => {
        if (isDone(s.data) && s.data) {
          onDone(s.data);
        }
      })
    );
  }
}

function firstError(data: PanelData | undefined): DataQueryError | undefined {
  return data?.errors?.[0];
}

function unplannable(view: SpanView): string {
  switch (view) {
    case 'span':
      return 'The link names no span id, so there is no span_id to select: open the page from a span, or pick "Span and children".';
    case 'route':
      return "The span's service and name are unknown (the trace store did not answer), so its route's requests cannot be found.";
    default:
      return 'This view cannot be shown for this span.';
  }
}
