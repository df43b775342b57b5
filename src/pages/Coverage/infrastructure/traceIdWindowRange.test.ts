import { dateTime } from '@grafana/data';
import {
  EmbeddedScene,
  SceneFlexItem,
  SceneFlexLayout,
  SceneReactObject,
  SceneTimeRange,
  type SceneTimeRangeLike,
} from '@grafana/scenes';

import { SETTLE_MS } from '../domain/spanSamples';
import { TRACE_ID_WINDOW_MS } from '../domain/traceIdSample';
import { buildTraceIdsQueryRunner } from './buildCoverageQueryRunners';

const at = (iso: string) => dateTime(iso).valueOf();

describe('the trace-id sample window', () => {
  it("is the last five minutes of the page's range ending SETTLE_MS before it, and follows the page", () => {
    const page = new SceneTimeRange({ from: '2026-11-28T10:00:00Z', to: '2026-11-28T10:15:00Z' });
    const runner = buildTraceIdsQueryRunner({ parcaUid: 'parca', serviceLabel: 'service_name', service: 'checkout' });
    new EmbeddedScene({
      $timeRange: page,
      body: new SceneFlexLayout({ children: [new SceneFlexItem({ $data: runner, body: new SceneReactObject({}) })] }),
    });
    const window = runner.state.$timeRange as SceneTimeRangeLike;
    const stop = window.activate();
    const end = at('2026-11-28T10:15:00Z') - SETTLE_MS;
    expect(window.state.value.to.valueOf()).toBe(end);
    expect(window.state.value.from.valueOf()).toBe(end - TRACE_ID_WINDOW_MS);

    const from = dateTime('2026-11-28T11:00:00Z');
    const to = dateTime('2026-11-28T11:02:00Z');
    page.onTimeRangeChange({ from, to, raw: { from, to } });
    // A two-minute range: the window stays inside it.
    expect(window.state.value.from.valueOf()).toBe(from.valueOf());
    expect(window.state.value.to.valueOf()).toBe(to.valueOf() - SETTLE_MS);
    expect(runner.state.queries[0]).toMatchObject({ queryType: 'traceIds', limit: 20 });
    stop();
  });
});
