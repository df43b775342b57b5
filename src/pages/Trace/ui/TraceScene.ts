/**
 * The trace page's state and data flow. The URL holds the trace id and, once chosen, the profile
 * type; the rest is derived: the trace store gives the spans and their window, then one Parca query
 * (the trace's samples grouped by span_id) gives every span's own CPU.
 */
import { type DataQueryError, dateTime, type PanelData } from '@grafana/data';
import {
  SceneObjectBase,
  type SceneObjectState,
  SceneObjectUrlSyncConfig,
  type SceneObjectUrlValues,
  type SceneQueryRunner,
} from '@grafana/scenes';
import { Subscription } from 'rxjs';

import type { ProfileTypeLookup } from '../../../shared/parca/profileTypesCache';
import type { AppSettings } from '../../../shared/appSettings';
import { spansFromFrame } from '../../../shared/traces/spansFrame';
import type { TraceSpan } from '../../../shared/traces/types';
import { msPerUnit } from '../../../shared/parca/cpuUnits';
import { readTraceCpu, traceProfileType } from '../domain/traceCpu';
import { buildWaterfall, profileWindow, type Waterfall } from '../domain/waterfall';
import { buildTraceCpuQueryRunner, buildTraceSpansQueryRunner } from '../infrastructure/queryRunners';
import { TraceWaterfallRenderer } from './TraceWaterfallRenderer';

/** Before Parca answers: the layout alone, for the trace's window. */
const NO_CPU = { total: 0, bySpan: new Map<string, number>(), withoutSpan: 0 };

const TRACE_ID = /^[0-9a-f]{16}$|^[0-9a-f]{32}$/;

export interface TraceSceneState extends SceneObjectState {
  traceId?: string;
  profileType?: string;
  spans?: TraceSpan[];
  waterfall?: Waterfall;
  /** Why there is nothing (or only part) to show, each a sentence saying what to fix. */
  problem?: string;
  loading: boolean;
  /** Runners of the current load: children, so Scenes gives them a parent and a time range. */
  runners: SceneQueryRunner[];
}

export class TraceScene extends SceneObjectBase<TraceSceneState> {
  static Component = TraceWaterfallRenderer;

  protected _urlSync = new SceneObjectUrlSyncConfig(this, { keys: ['traceId', 'profileType'] });
  private load = new Subscription();

  constructor(
    readonly settings: AppSettings,
    private readonly lookupProfileTypes: ProfileTypeLookup,
    state: Partial<TraceSceneState> = {}
  ) {
    super({ loading: false, runners: [], ...state });
    this.addActivationHandler(() => {
      this.reload();
      return () => this.load.unsubscribe();
    });
  }

  getUrlState(): SceneObjectUrlValues {
    return { traceId: this.state.traceId, profileType: this.state.profileType };
  }

  updateFromUrl(values: SceneObjectUrlValues) {
    const text = (k: string) => (typeof values[k] === 'string' && values[k] !== '' ? (values[k] as string) : undefined);
    const next = { traceId: text('traceId'), profileType: text('profileType') };
    if (next.traceId !== this.state.traceId || next.profileType !== this.state.profileType) {
      this.setState(next);
      if (this.isActive) {
        this.reload();
      }
    }
  }

  private reload() {
    this.load.unsubscribe();
    this.load = new Subscription();
    const raw = (this.state.traceId ?? '').trim().toLowerCase();
    const reset = { spans: undefined, waterfall: undefined, problem: undefined, runners: [] };
    if (!TRACE_ID.test(raw)) {
      this.setState({
        ...reset,
        loading: false,
        problem: raw
          ? `"${this.state.traceId}" is not a trace id: a trace id is 32 hexadecimal characters (16 from older Jaeger clients). Check the link.`
          : 'The link names no trace: open this page from a trace (the trace view header) or a span page, or add ?traceId=<32 hex> to the URL.',
      });
      return;
    }
    const traceId = raw.padStart(32, '0');
    this.setState({ ...reset, loading: true });
    this.watch(buildTraceSpansQueryRunner(traceId), (data) => {
      const error = firstError(data);
      const spans = error ? [] : spansFromFrame(data.series[0]);
      if (error || spans.length === 0) {
        this.setState({
          loading: false,
          problem:
            error?.message ||
            `Trace ${traceId} is not in the trace store: check the trace id and the store's retention.`,
        });
        return;
      }
      this.setState({ spans });
      this.chooseProfileType(traceId, spans);
    });
  }

  private async chooseProfileType(traceId: string, spans: TraceSpan[]) {
    if (this.state.profileType) {
      this.measure(traceId, spans, this.state.profileType);
      return;
    }
    const load = this.load;
    try {
      // Around the trace itself, not the page's range: an old trace's profile types are listed then.
      const window = profileWindow(buildWaterfall(spans, NO_CPU, 1));
      const from = dateTime(window.fromMs);
      const to = dateTime(window.toMs);
      const types = await this.lookupProfileTypes(this.settings.parcaDatasourceUid, { from, to, raw: { from, to } });
      if (load.closed) {
        return;
      }
      const profileType = traceProfileType(types, this.settings);
      if (!profileType) {
        this.setState({
          loading: false,
          problem: parcaProblem('it holds no CPU profiles around this time', this.settings.parcaDatasourceUid),
        });
        return;
      }
      this.measure(traceId, spans, profileType);
    } catch (err) {
      if (!load.closed) {
        this.setState({
          loading: false,
          problem: parcaProblem(err instanceof Error ? err.message : String(err), this.settings.parcaDatasourceUid),
        });
      }
    }
  }

  private measure(traceId: string, spans: TraceSpan[], profileType: string) {
    const unit = msPerUnit(profileType, this.settings);
    if (typeof unit === 'string') {
      this.setState({ loading: false, problem: unit });
      return;
    }
    const layout = buildWaterfall(spans, NO_CPU, unit);
    const runner = buildTraceCpuQueryRunner(this.settings, traceId, profileType, profileWindow(layout));
    this.watch(runner, (data) => {
      const error = firstError(data);
      if (error) {
        this.setState({ loading: false, problem: parcaProblem(error.message, this.settings.parcaDatasourceUid) });
        return;
      }
      try {
        this.setState({ loading: false, waterfall: buildWaterfall(spans, readTraceCpu(data.series), unit) });
      } catch (err) {
        this.setState({
          loading: false,
          problem: parcaProblem(err instanceof Error ? err.message : String(err), this.settings.parcaDatasourceUid),
        });
      }
    });
  }

  /** Activates a runner for the current load and hears each finished answer. */
  private watch(runner: SceneQueryRunner, onDone: (data: PanelData) => void) {
    this.setState({ runners: [...this.state.runners, runner] });
    const deactivate = runner.activate();
    this.load.add(() => deactivate());
    this.load.add(
      runner.subscribeToState((s) => {
        if (s.data && (s.data.state === 'Done' || s.data.state === 'Error')) {
          onDone(s.data);
        }
      })
    );
  }
}

function firstError(data: PanelData): DataQueryError | undefined {
  return data.errors?.[0];
}

function parcaProblem(detail: string | undefined, uid: string): string {
  return `Parca could not be asked for the trace's CPU: ${(detail ?? '').trim() || 'no answer'}. Check the Spanflame Parca datasource "${uid}": Connections > Data sources > Save & test.`;
}
