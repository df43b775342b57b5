import { type TimeRange } from '@grafana/data';
import { type DataSourceSrv, setDataSourceSrv } from '@grafana/runtime';
import { EmbeddedScene, SceneTimeRange, type SceneQueryRunner } from '@grafana/scenes';

import type { ParcaLookups, ServiceList } from '../../../datasource/parcaLookups';
import { parseProfileTypeId } from '../../../datasource/profileTypes';
import type { ParcaQuery, ProfileTypeInfo } from '../../../datasource/types';
import { setAppJsonData } from '../../../shared/currentAppSettings';
import { clearSessionCache } from '../../../shared/parca/sessionLookup';
import { FlameGraphExplorer } from './FlameGraphExplorer';

const CPU = 'process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta';
const MEMORY = 'memory:alloc_space:bytes:space:bytes';
const types = [MEMORY, CPU].map((id) => parseProfileTypeId(id) as ProfileTypeInfo);

/** A promise the test settles by hand, to see what the page does before and after an answer. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** The datasource's lookups, answered by the test. */
class ControlledLookups implements Partial<ParcaLookups> {
  uid = 'spanflame-parca';
  typeAsks: Array<ReturnType<typeof deferred<ProfileTypeInfo[]>>> = [];
  serviceAsks: Array<{ profileType: string; answer: ReturnType<typeof deferred<ServiceList>> }> = [];
  getProfileTypes = (_?: TimeRange) => {
    const answer = deferred<ProfileTypeInfo[]>();
    this.typeAsks.push(answer);
    return answer.promise;
  };
  getServices = (profileType: string) => {
    const answer = deferred<ServiceList>();
    this.serviceAsks.push({ profileType, answer });
    return answer.promise;
  };
  pprofDownloadUrl = () => '/pprof';
}

function installDatasources(lookups: ControlledLookups) {
  setDataSourceSrv({
    get: async () => lookups,
    getInstanceSettings: (uid: string) =>
      uid === 'spanflame-parca' ? { uid, type: 'spanflame-parca-datasource', name: 'Spanflame Parca' } : undefined,
  } as unknown as DataSourceSrv);
}

async function settle() {
  for (let i = 0; i < 10; i++) {
    await Promise.resolve();
  }
}

function setup(state: ConstructorParameters<typeof FlameGraphExplorer>[0] = {}) {
  const lookups = new ControlledLookups();
  installDatasources(lookups);
  const explorer = new FlameGraphExplorer(state);
  const scene = new EmbeddedScene({ $timeRange: new SceneTimeRange({ from: 'now-15m', to: 'now' }), body: explorer });
  const stopScene = scene.activate();
  const stop = explorer.activate();
  const query = () => (explorer.state.flameGraph.state.$data as SceneQueryRunner).state.queries[0] as ParcaQuery;
  return { lookups, explorer, scene, query, stop: () => (stop(), stopScene()) };
}

describe('FlameGraphExplorer', () => {
  beforeEach(() => {
    clearSessionCache();
    setAppJsonData({});
  });

  it("shows only one trace's samples when the URL names a trace id, until the filter is cleared", async () => {
    const trace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const { explorer, query, stop } = setup({ profileType: CPU, service: 'checkout' });
    explorer.updateFromUrl({ profileType: CPU, service: 'checkout', traceId: trace });
    await settle();
    expect(query()).toMatchObject({ profileType: CPU, labelSelector: '{service_name="checkout"}', traceId: trace });
    expect(explorer.getUrlState()).toMatchObject({ traceId: trace });
    explorer.clearTraceId();
    expect(query().traceId).toBeUndefined();
    expect(explorer.getUrlState().traceId).toBeUndefined();
    stop();
  });

  it('sends the flame graph query at once when the URL names the type and service, beside the lists', async () => {
    const { lookups, query, stop } = setup({ profileType: MEMORY, service: 'payments' });
    await settle();
    // Nothing has answered yet, and the query is already the view's.
    expect(lookups.typeAsks).toHaveLength(1);
    expect(lookups.serviceAsks.map((a) => a.profileType)).toEqual([MEMORY]);
    expect(query()).toMatchObject({ profileType: MEMORY, labelSelector: '{service_name="payments"}' });
    stop();
  });

  it('picks on-CPU time when the URL names no type, and follows the label the services answer names', async () => {
    const { lookups, explorer, query, stop } = setup({ service: 'checkout' });
    await settle();
    lookups.typeAsks[0].resolve(types);
    await settle();
    expect(explorer.state.profileType).toBe(CPU);
    expect(explorer.getUrlState()).toEqual({ profileType: CPU, service: 'checkout' });
    expect(query()).toMatchObject({ profileType: CPU, labelSelector: '{service_name="checkout"}' });
    lookups.serviceAsks[0].answer.resolve({ label: 'job', values: ['checkout', 'payments'] });
    await settle();
    expect(query().labelSelector).toBe('{job="checkout"}');
    stop();
  });

  it('keeps the lists for the session: the next page picks its type before Parca answers', async () => {
    const first = setup();
    await settle();
    first.lookups.typeAsks[0].resolve(types);
    await settle();
    first.stop();
    const second = setup();
    await settle();
    expect(second.explorer.state.profileType).toBe(CPU);
    expect(second.query().profileType).toBe(CPU);
    second.stop();
  });

  it('says why the type list failed and asks again on retry', async () => {
    const { lookups, explorer, stop } = setup();
    await settle();
    lookups.typeAsks[0].reject({ data: { message: 'Parca at http://127.0.0.1:1 is unreachable' } });
    await settle();
    expect(explorer.state.profileTypesError).toBe('Parca at http://127.0.0.1:1 is unreachable');
    explorer.retry();
    await settle();
    expect(lookups.typeAsks).toHaveLength(2);
    lookups.typeAsks[1].resolve(types);
    await settle();
    expect(explorer.state.profileTypesError).toBeUndefined();
    expect(explorer.state.profileType).toBe(CPU);
    stop();
  });

  it('shows a range without profiles as empty, keeping the chosen type', async () => {
    const { lookups, explorer, stop } = setup({ profileType: CPU });
    await settle();
    lookups.typeAsks[0].resolve([]);
    await settle();
    expect(explorer.state.noProfilesInRange).toBe(true);
    expect(explorer.state.profileType).toBe(CPU);
    stop();
  });

  it('asks for the lists again when the time range changes', async () => {
    const { lookups, scene, stop } = setup({ profileType: CPU });
    await settle();
    (scene.state.$timeRange as SceneTimeRange).setState({ from: 'now-1h' });
    await settle();
    expect(lookups.typeAsks.length).toBeGreaterThanOrEqual(2);
    stop();
  });

  it('says which setting to fix when the Parca datasource is gone', async () => {
    setAppJsonData({ parcaDatasourceUid: 'deleted' });
    const { explorer, lookups, stop } = setup();
    await settle();
    expect(explorer.state.settingsProblem).toMatch(/No datasource has the uid "deleted"/);
    expect(lookups.typeAsks).toHaveLength(0);
    stop();
  });
});
