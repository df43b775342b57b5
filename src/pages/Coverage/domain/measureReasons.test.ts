import type { CoverageResult } from '../../../panels/coverage/domain/readCoverage';
import {
  outsideRequestsReason,
  shortRequestsReason,
  spansWithoutSamplesReason,
  tracesNotStoredReason,
} from './measureReasons';

const reading = (share: number | undefined): CoverageResult => ({
  kind: 'coverage',
  overall: { labels: {}, name: 'all', share, linked: 70, unlinked: 30 },
  groups: [],
  groupLabels: [],
  unit: 'ns',
  topFunctions: [{ name: 'shop/hotpath.WriteAuditTrail', flat: 10, cumulative: 20 }],
  notices: [],
});

describe('outsideRequestsReason', () => {
  it("measures the unlinked share of the service's CPU and names the top function", () => {
    const r = outsideRequestsReason({ state: 'done', value: reading(30) });
    expect(r).toMatchObject({ state: 'measured', share: 30, population: "of the service's CPU" });
    expect(r.detail).toContain('WriteAuditTrail');
  });

  it("says why when there is nothing to measure, and passes on Parca's empty reason", () => {
    expect(outsideRequestsReason({ state: 'done', value: { kind: 'empty', reason: 'No samples.' } })).toEqual({
      id: 'outside-requests',
      state: 'empty',
      detail: 'No samples.',
    });
    expect(outsideRequestsReason({ state: 'done', value: reading(undefined) }).state).toBe('empty');
    expect(outsideRequestsReason({ state: 'error', message: 'Parca is down' })).toMatchObject({
      state: 'unavailable',
      detail: 'Parca is down',
    });
    expect(outsideRequestsReason({ state: 'loading' }).state).toBe('loading');
  });
});

describe('shortRequestsReason', () => {
  it('states the share, the request count and the sampling period', () => {
    const r = shortRequestsReason(
      { state: 'done', value: { share: 12.5, total: 800, periodSeconds: 0.01, interpolated: false } },
      100
    );
    expect(r).toMatchObject({ state: 'measured', share: 12.5 });
    expect(r.detail).toBe('12.5% of 800 requests took less than 10.0 ms, one sampling period at 100 Hz.');
  });

  it('asks for the settings it lacks, and says when Prometheus has no histogram', () => {
    expect(shortRequestsReason('no-prometheus', 100)).toMatchObject({ state: 'unavailable', needsSetting: true });
    expect(shortRequestsReason({ state: 'loading' }, undefined)).toMatchObject({ needsSetting: true });
    expect(shortRequestsReason({ state: 'done', value: undefined }, 19).state).toBe('empty');
  });
});

describe('spansWithoutSamplesReason', () => {
  it('counts spans without samples out of those checked, stating the bound on Parca queries', () => {
    const r = spansWithoutSamplesReason({ state: 'done', value: { checked: 20, withoutSamples: [], failed: 0 } }, 20);
    expect(r).toMatchObject({ state: 'measured', share: 0 });
    expect(r.detail).toContain('0 of 20 recent server spans');
    expect(r.detail).toContain('20 Parca queries, one per span, at most 20');
  });

  it('needs a trace store, and reports an empty store or failed lookups', () => {
    expect(spansWithoutSamplesReason('no-trace-store', 20)).toMatchObject({ state: 'unavailable', needsSetting: true });
    expect(
      spansWithoutSamplesReason({ state: 'done', value: { checked: 0, withoutSamples: [], failed: 0 } }, 20).state
    ).toBe('empty');
    expect(
      spansWithoutSamplesReason(
        { state: 'done', value: { checked: 0, withoutSamples: [], failed: 3, firstError: 'timeout' } },
        20
      )
    ).toMatchObject({ state: 'unavailable', detail: 'Parca could not be asked: timeout' });
  });
});

describe('tracesNotStoredReason', () => {
  const sample = { size: 20, windowMs: 5 * 60_000 };
  const id = (c: string) => ({ traceId: c.repeat(32), value: 1 });
  it('states the missing share of the trace ids checked, the cap and the window', () => {
    const r = tracesNotStoredReason(
      {
        state: 'done',
        value: { checked: 4, missing: [id('a')], found: [id('b'), id('c'), id('d')], failed: 0, inWindow: 812 },
      },
      sample,
      'Jaeger'
    );
    expect(r).toMatchObject({ state: 'measured', share: 25, population: 'of the sampled trace ids' });
    expect(r.detail).toBe(
      "1 of 4 trace ids are missing from Jaeger: Parca's 4 carrying the most CPU, of 812 in the range's last 5 minutes " +
        '(at most 20 looked up, one call each).'
    );
  });
  it('needs a trace store, and says when Parca has no trace ids or every lookup failed', () => {
    expect(tracesNotStoredReason('no-trace-store', sample)).toMatchObject({ state: 'unavailable', needsSetting: true });
    const none = { checked: 0, missing: [], found: [], failed: 0, inWindow: 0 };
    expect(tracesNotStoredReason({ state: 'done', value: none }, { size: 20, windowMs: 30_000 })).toMatchObject({
      state: 'empty',
      detail: "Parca holds no samples with a trace id for this service in the range's last 30 s.",
    });
    expect(
      tracesNotStoredReason({ state: 'done', value: { ...none, failed: 2, firstError: 'Jaeger is down' } }, sample)
    ).toMatchObject({ state: 'unavailable', detail: 'the trace store could not be asked: Jaeger is down' });
    expect(tracesNotStoredReason({ state: 'loading' }, sample).state).toBe('loading');
  });
});
