/**
 * Computing or waiting, for the span the page shows: the totals of the span's own profile (span_id)
 * and of its subtree (trace_id in its window), turned into CPU time beside its duration.
 *
 * It asks Parca as little as it can: the page's flame graph already runs one of the two queries (the
 * span or subtree view), and its total is read from that runner; only the other is asked here. When
 * the span has no samples of its own, the service's CPU in its window bounds it: in the span view
 * the page's window fallback runs that query and hands its total over (hearWindow); in the subtree
 * view this object asks for it.
 */
import type { PanelData } from '@grafana/data';
import { SceneObjectBase, type SceneObjectState, type SceneQueryRunner } from '@grafana/scenes';
import { Subscription } from 'rxjs';

import { type AppSettings, samplingHzFor } from '../../../shared/appSettings';
import type { SpanView } from '../../../shared/appUrls';
import { type CpuVerdict, judgeCpu, waitingChildren } from '../domain/cpuVerdict';
import { parcaProblem } from '../domain/messages';
import { type QueryInputs, viewQuery, windowQuery } from '../domain/profileQueries';
import type { SpanPlace } from '../domain/spanPlace';
import { profileTotal } from '../infrastructure/profileLinks';
import { buildSpanProfileQueryRunner, isDone } from '../infrastructure/queryRunners';
import { CpuVerdictSummary } from './CpuVerdictSummary';

type MeasuredView = Extract<SpanView, 'span' | 'subtree'>;

export interface SpanCpuVerdictState extends SceneObjectState {
  traceId: string;
  durationMs: number;
  profileType: string;
  /** Totals in the profile type's unit, as they come in. */
  own?: number;
  subtree?: number;
  window?: number;
  /** Whether the service's window total is awaited (asked only when the span has no samples of its own). */
  windowPending: boolean;
  problem?: string;
  verdict?: CpuVerdict;
  /** The span's children inside it, longest first, when it mostly waited. */
  waiting?: ReturnType<typeof waitingChildren>;
  /** Runners this object asked itself: children, so they have a parent. */
  lookups: SceneQueryRunner[];
}

export class SpanCpuVerdict extends SceneObjectBase<SpanCpuVerdictState> {
  static Component = CpuVerdictSummary;

  private subscriptions = new Subscription();

  /** The verdict for the page's view, or undefined where it does not apply (no span id, no window, route view). */
  static forView(
    settings: AppSettings,
    inputs: QueryInputs,
    view: SpanView,
    place: SpanPlace | undefined,
    shown: SceneQueryRunner
  ): SpanCpuVerdict | undefined {
    if (!inputs.facts.spanId || (view !== 'span' && view !== 'subtree')) {
      return undefined;
    }
    return new SpanCpuVerdict(settings, inputs, view, place, shown);
  }

  private constructor(
    private readonly settings: AppSettings,
    private readonly inputs: QueryInputs,
    private readonly view: MeasuredView,
    private readonly place: SpanPlace | undefined,
    private readonly shown: SceneQueryRunner
  ) {
    super({
      traceId: inputs.facts.traceId,
      durationMs: inputs.spanWindow.toMs - inputs.spanWindow.fromMs,
      profileType: inputs.profileType,
      windowPending: false,
      lookups: [],
    });
    const { startMs, endMs } = inputs.facts;
    if (startMs !== undefined && endMs !== undefined) {
      // The span's own duration, not its window rounded out to whole milliseconds.
      this.setState({ durationMs: endMs - startMs });
    }
    this.addActivationHandler(() => {
      this.measure();
      return () => {
        this.subscriptions.unsubscribe();
        this.subscriptions = new Subscription();
      };
    });
  }

  /** The service's CPU in the span's window, from the page's fallback query. */
  hearWindow(total: number) {
    this.update({ window: total, windowPending: false });
  }

  private measure() {
    this.setState({ lookups: [] });
    const measured: Array<[MeasuredView, (data: PanelData) => void]> = [
      ['span', (data) => this.onOwn(data)],
      ['subtree', (data) => this.onSubtree(data)],
    ];
    for (const [view, onData] of measured) {
      if (view === this.view) {
        this.subscriptions.add(this.shown.subscribeToState((s) => whenDone(s.data, onData)));
        continue;
      }
      const planned = viewQuery(view, this.inputs);
      if (planned) {
        this.ask(buildSpanProfileQueryRunner(this.settings, planned), onData);
      }
    }
  }

  private onOwn(data: PanelData) {
    const error = data.errors?.[0];
    if (error) {
      this.setState({ problem: parcaProblem(error.message, this.settings.parcaDatasourceUid) });
      return;
    }
    const own = profileTotal(data.series) ?? 0;
    let windowPending = false;
    if (own === 0 && this.state.window === undefined) {
      windowPending = this.view === 'span' ? windowQuery(this.inputs) !== undefined : this.askWindow();
    }
    this.update({ own, windowPending });
  }

  private onSubtree(data: PanelData) {
    if (!data.errors?.length) {
      this.update({ subtree: profileTotal(data.series) ?? 0 });
    }
  }

  /** Asks for the service's window; false when there is none to ask for (service unknown). */
  private askWindow(): boolean {
    const planned = windowQuery(this.inputs);
    if (!planned) {
      return false;
    }
    this.ask(buildSpanProfileQueryRunner(this.settings, planned), (data) =>
      this.update({ window: data.errors?.length ? undefined : (profileTotal(data.series) ?? 0), windowPending: false })
    );
    return true;
  }

  private ask(runner: SceneQueryRunner, onData: (data: PanelData) => void) {
    this.setState({ lookups: [...this.state.lookups, runner] });
    this.subscriptions.add(runner.subscribeToState((s) => whenDone(s.data, onData)));
    this.subscriptions.add(runner.activate());
  }

  private update(patch: Partial<SpanCpuVerdictState>) {
    const next = { ...this.state, ...patch };
    if (next.own === undefined || next.windowPending) {
      this.setState(patch);
      return;
    }
    const verdict = judgeCpu({
      durationMs: next.durationMs,
      profileType: next.profileType,
      hz: samplingHzFor(this.settings, next.profileType),
      ownTotal: next.own,
      subtreeTotal: next.subtree,
      windowTotal: next.window,
    });
    const span = this.place?.span;
    const waiting =
      verdict.kind === 'waiting' && span && this.place ? waitingChildren(span, this.place.children) : undefined;
    this.setState({ ...patch, verdict, waiting });
  }
}

function whenDone(data: PanelData | undefined, onData: (data: PanelData) => void) {
  if (data && isDone(data)) {
    onData(data);
  }
}
