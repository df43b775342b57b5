import { FieldType } from '@grafana/data';

import { emptyAnswer } from '../../shared/testing/panelProps';
import { groupedCoverage, recordedFrames, seriesFrame, shareFrame } from '../testing/frames';
import { type CoverageReading, groupName, readCoverage, sortGroups } from './readCoverage';

function reading(result: ReturnType<typeof readCoverage>): CoverageReading {
  if (result.kind !== 'coverage') {
    throw new Error(`expected a coverage reading, got ${JSON.stringify(result)}`);
  }
  return result;
}

describe("readCoverage on the backend's recorded answer (payments, no group-by)", () => {
  const result = reading(readCoverage(recordedFrames('coverage_payments')));

  it('gives the share the backend computed for the whole range', () => {
    // The share frame of the same answer says 31.6% (2.35 s of 7.43 s); the panel sums the series to the same figure.
    expect(result.overall.share).toBeCloseTo(31.6285, 3);
    expect(result.unit).toBe('ns');
    expect(result.groups).toEqual([]);
  });

  it('keeps the trend per step, as the series frame has it', () => {
    expect(result.overall.trend?.shares).toHaveLength(11);
    expect(result.overall.trend?.shares[1]).toBeCloseTo(44.961, 3);
  });

  it('lists the functions the unlinked CPU runs under, largest first, and keeps the stacks frame', () => {
    expect(result.topFunctions[0].name).toBe('crypto/internal/fips140/sha256.blockSHANI');
    expect(result.topFunctions.map((f) => f.name)).toContain(
      'github.com/spanflame/spanflame/demo/shop/internal/hotpath.ReindexInventory'
    );
    expect(result.stacks?.fields.map((f) => f.name)).toEqual(['level', 'value', 'self', 'label']);
    expect(result.notices.join(' ')).toMatch(/the 10 of 318 functions that explain the most CPU without a trace link/);
  });

  it("reads each function's total in the linked samples beside its unlinked total", () => {
    // SHA-256 runs for requests too (1.6 s under a trace); the background job never does.
    const byName = Object.fromEntries(result.topFunctions.map((f) => [f.name.split('/').pop(), f]));
    expect(byName['sha256.blockSHANI']).toMatchObject({ cumulative: 1.3e9, linked: 1.6e9 });
    expect(byName['hotpath.ReindexInventory']).toMatchObject({ cumulative: 8.5e8, linked: 0 });
  });
});

describe('readCoverage with group-by', () => {
  it('gives each group its share and the overall share from the summed values, not averaged', () => {
    const result = reading(readCoverage(groupedCoverage()));
    expect(result.groupLabels).toEqual(['service_name']);
    const shares = Object.fromEntries(result.groups.map((g) => [g.name, g.share]));
    expect(shares).toEqual({ checkout: 50, frontend: 20, payments: 0 });
    // 40 unlinked of 220: 18.2%, while the mean of the three shares would be 23.3%.
    expect(result.overall.share).toBeCloseTo(18.18, 2);
  });

  it('merges groups by a subset of the labels', () => {
    const frames = [
      seriesFrame({ service_name: 'a', namespace: 'shop' }, [10], [10]),
      seriesFrame({ service_name: 'b', namespace: 'shop' }, [30], [0]),
      seriesFrame({ service_name: 'c', namespace: 'ops' }, [0], [5]),
    ];
    const result = reading(readCoverage(frames, { groupBy: ['namespace'] }));
    expect(result.groups.map((g) => [g.name, g.share])).toEqual([
      ['shop', 20],
      ['ops', 100],
    ]);
  });

  it('names a group-by label the query did not group by', () => {
    const result = readCoverage(groupedCoverage(), { groupBy: ['namespace'] });
    expect(result).toEqual({ kind: 'wrong-shape', message: expect.stringContaining('"namespace"') });
    expect(result.kind === 'wrong-shape' && result.message).toContain('grouped by "service_name"');
  });

  it('reads the alerting answer (only the share frame)', () => {
    const result = reading(
      readCoverage([
        shareFrame('service_name', [
          ['checkout', 41.5],
          ['payments', 12],
        ]),
      ])
    );
    expect(result.groups.map((g) => [g.name, g.share])).toEqual([
      ['checkout', 41.5],
      ['payments', 12],
    ]);
    expect(result.overall.share).toBeUndefined();
    expect(result.groups[0].trend).toBeUndefined();
  });

  it('reads the alerting answer without group-by as one number', () => {
    const result = reading(readCoverage([shareFrame(undefined, [['', 33.3]])]));
    expect(result.overall.share).toBe(33.3);
  });

  it('a step without samples has no share (null), and a group without samples has none either', () => {
    const result = reading(readCoverage([seriesFrame({ service_name: 'idle' }, [0, 5], [0, 5])]));
    expect(result.groups[0].trend?.shares).toEqual([null, 50]);
    const idle = reading(readCoverage([seriesFrame({ service_name: 'idle' }, [0], [0])]));
    expect(idle.groups[0].share).toBeUndefined();
  });
});

describe('readCoverage on what is not a coverage answer', () => {
  it("an empty answer is empty, with the backend's notice as the reason", () => {
    const empty = emptyAnswer('missing trace link share', 'No samples for {service_name="x"} in this range.');
    expect(readCoverage([empty])).toEqual({
      kind: 'empty',
      reason: 'No samples for {service_name="x"} in this range.',
    });
    expect(readCoverage([])).toEqual({ kind: 'empty', reason: expect.stringMatching(/no samples/i) });
  });

  it('a flame graph frame (a profile query) is the wrong shape, and the message says what to change', () => {
    const result = readCoverage(recordedFrames('profile_checkout'));
    expect(result.kind).toBe('wrong-shape');
    expect(result.kind === 'wrong-shape' && result.message).toMatch(/fields: level, value, self, label/);
    expect(result.kind === 'wrong-shape' && result.message).toMatch(/Set the query type to Coverage/);
  });

  it('a Prometheus-like time series is the wrong shape', () => {
    const frame = {
      name: 'up',
      fields: [
        { name: 'Time', type: FieldType.time, config: {}, values: [1, 2] },
        { name: 'Value', type: FieldType.number, config: {}, values: [1, 1] },
      ],
      length: 2,
    };
    expect(readCoverage([frame]).kind).toBe('wrong-shape');
  });
});

describe('sortGroups', () => {
  const groups = reading(readCoverage(groupedCoverage())).groups;
  it('orders by share, by unlinked value or by name', () => {
    expect(sortGroups(groups, 'share').map((g) => g.name)).toEqual(['checkout', 'frontend', 'payments']);
    expect(sortGroups(groups, 'unlinked').map((g) => g.name)).toEqual(['checkout', 'frontend', 'payments']);
    expect(sortGroups(groups, 'name').map((g) => g.name)).toEqual(['checkout', 'frontend', 'payments'].sort());
  });
});

describe('groupName', () => {
  it('names a group by its value, or by k=v for several labels', () => {
    expect(groupName({ service_name: 'checkout' }, ['service_name'])).toBe('checkout');
    expect(groupName({ service_name: 'checkout', namespace: 'shop' }, ['service_name', 'namespace'])).toBe(
      'service_name=checkout, namespace=shop'
    );
  });

  it('calls samples without the grouped label what they are, not "all" or a service', () => {
    expect(groupName({}, ['service_name'])).toBe('(no service_name)');
    expect(groupName({}, [])).toBe('all');
  });
});
