import { DEFAULT_SAMPLING_HZ, PROVISIONED_UIDS, resolveAppSettings, samplingHzFor } from './appSettings';

describe('resolveAppSettings', () => {
  it('fills every default when nothing is stored', () => {
    const s = resolveAppSettings(undefined);
    expect(s.parcaDatasourceUid).toBe(PROVISIONED_UIDS.parca);
    expect(s.traceDatasourceUid).toBeUndefined();
    expect(s.prometheusDatasourceUid).toBeUndefined();
    expect(s.serviceLabel).toBe('service_name');
    expect(s.samplingHz).toEqual(DEFAULT_SAMPLING_HZ);
    expect(s.problems).toEqual([]);
  });

  it('keeps valid user values and overrides one frequency without losing the others', () => {
    const s = resolveAppSettings({
      traceDatasourceUid: 'tempo-1',
      serviceLabel: 'app',
      samplingHz: { parca_agent: 49 },
    });
    expect(s.traceDatasourceUid).toBe('tempo-1');
    expect(s.serviceLabel).toBe('app');
    expect(s.samplingHz).toEqual({ parca_agent: 49, process_cpu: 100 });
    expect(s.problems).toEqual([]);
  });

  it('explains a frequency of 0 or a bad label and falls back to the defaults', () => {
    const s = resolveAppSettings({ samplingHz: { parca_agent: 0 }, serviceLabel: 'service name' });
    expect(s.samplingHz.parca_agent).toBe(19);
    expect(s.serviceLabel).toBe('service_name');
    expect(s.problems).toHaveLength(2);
    expect(s.problems[0]).toMatch(/service label "service name" is not a valid label name/);
    expect(s.problems[1]).toMatch(/"parca_agent" profiles is 0: it must be a number of Hz above 0; using 19/);
  });
});

describe('samplingHzFor', () => {
  it('reads the profile name from a full profile type id', () => {
    const s = resolveAppSettings({});
    expect(samplingHzFor(s, 'parca_agent:samples:count:cpu:nanoseconds:delta')).toBe(19);
    expect(samplingHzFor(s, 'process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta')).toBe(100);
    expect(samplingHzFor(s, 'memory:alloc_space:bytes:space:bytes')).toBeUndefined();
  });
});
