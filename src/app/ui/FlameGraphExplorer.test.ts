import { createDataFrame, type DataQueryResponse, dateTime, LoadingState, type TimeRange } from '@grafana/data';
import { EmbeddedScene, SceneTimeRange } from '@grafana/scenes';
import { Observable, Subject } from 'rxjs';

import { parseProfileTypeId } from '../../datasource/profileTypes';
import type { ProfileTypeInfo } from '../../datasource/types';
import type { ProfileSource } from '../infrastructure/parcaProfiles';
import { FlameGraphExplorer } from './FlameGraphExplorer';

const CPU = 'process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta';
const MEMORY = 'memory:alloc_space:bytes:space:bytes';

/** A ProfileSource whose profile answers the test releases by hand, to see what a late answer does. */
class ControlledSource implements ProfileSource {
  types: ProfileTypeInfo[] = [CPU, MEMORY].map((id) => parseProfileTypeId(id) as ProfileTypeInfo);
  asked: Array<{ profileType: string; labelSelector: string; cancelled: boolean; answer: Subject<DataQueryResponse> }> =
    [];

  profileTypes = async (_: TimeRange) => this.types;
  services = async () => ({ label: 'service_name', values: ['checkout', 'payments'] });
  flameGraph = (query: { profileType: string; labelSelector: string }) => {
    const answer = new Subject<DataQueryResponse>();
    const asked = { ...query, cancelled: false, answer };
    this.asked.push(asked);
    // Unsubscribing is how the explorer cancels: record it.
    return new Observable<DataQueryResponse>((subscriber) => {
      const sub = answer.subscribe(subscriber);
      return () => {
        asked.cancelled = true;
        sub.unsubscribe();
      };
    });
  };
}

function frameNamed(name: string) {
  return createDataFrame({
    name,
    fields: [
      { name: 'level', values: [0] },
      { name: 'value', values: [1] },
      { name: 'self', values: [1] },
      { name: 'label', values: ['total'] },
    ],
  });
}

async function settle() {
  for (let i = 0; i < 5; i++) {
    await Promise.resolve();
  }
}

function setup(state: ConstructorParameters<typeof FlameGraphExplorer>[0] = {}) {
  const source = new ControlledSource();
  const explorer = new FlameGraphExplorer(state, async () => source);
  const scene = new EmbeddedScene({
    $timeRange: new SceneTimeRange({ from: 'now-15m', to: 'now' }),
    body: explorer,
  });
  const deactivateScene = scene.activate();
  const deactivate = explorer.activate();
  return { source, explorer, scene, stop: () => (deactivate(), deactivateScene()) };
}

describe('FlameGraphExplorer', () => {
  it('shows on-CPU time of every service by default', async () => {
    const { source, explorer, stop } = setup();
    await settle();
    expect(source.asked).toHaveLength(1);
    expect(source.asked[0]).toMatchObject({ profileType: CPU, labelSelector: '{}' });
    source.asked[0].answer.next({ data: [frameNamed('all')], state: LoadingState.Done });
    expect(explorer.state.frame?.name).toBe('all');
    expect(explorer.state.loading).toBe(false);
    stop();
  });

  it('cancels the query in flight when the service changes, and a late answer never shows', async () => {
    const { source, explorer, stop } = setup({ profileType: MEMORY });
    await settle();
    explorer.selectService('payments');
    await settle();
    expect(source.asked.map((a) => [a.profileType, a.labelSelector, a.cancelled])).toEqual([
      [MEMORY, '{}', true],
      [MEMORY, '{service_name="payments"}', false],
    ]);
    source.asked[1].answer.next({ data: [frameNamed('payments')], state: LoadingState.Done });
    source.asked[0].answer.next({ data: [frameNamed('stale')], state: LoadingState.Done });
    expect(explorer.state.frame?.name).toBe('payments');
    expect(explorer.getUrlState()).toEqual({ profileType: MEMORY, service: 'payments' });
    stop();
  });

  it('asks again for a new time range, and shows the backend error in words', async () => {
    const { source, explorer, scene, stop } = setup();
    await settle();
    const timeRange = scene.state.$timeRange as SceneTimeRange;
    timeRange.onTimeRangeChange({ from: dateTime(0), to: dateTime(60_000), raw: { from: 'now-1h', to: 'now' } });
    await settle();
    expect(source.asked).toHaveLength(2);
    expect(source.asked[0].cancelled).toBe(true);
    source.asked[1].answer.next({
      data: [],
      state: LoadingState.Error,
      errors: [{ message: 'Parca at http://parca:7070 did not answer Query within the timeout of 30s' }],
    });
    expect(explorer.state.error).toContain('did not answer Query within the timeout');
    expect(explorer.state.loading).toBe(false);
    stop();
  });

  it('says so when Parca holds no profile types in the range', async () => {
    const source = new ControlledSource();
    source.types = [];
    const explorer = new FlameGraphExplorer({}, async () => source);
    const scene = new EmbeddedScene({ $timeRange: new SceneTimeRange({}), body: explorer });
    const stopScene = scene.activate();
    const stop = explorer.activate();
    await settle();
    expect(explorer.state.error).toMatch(/Parca holds no profiles in this time range/);
    expect(source.asked).toHaveLength(0);
    stop();
    stopScene();
  });
});
