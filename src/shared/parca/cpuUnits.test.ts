import { cpuUnitOf, msPerUnit } from './cpuUnits';

const GO_CPU = 'process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta';
const AGENT = 'parca_agent:samples:count:cpu:nanoseconds:delta';
const settings = { samplingHz: { parca_agent: 19, process_cpu: 100 } };

describe('cpuUnitOf', () => {
  it('tells counts from nanoseconds, and refuses what is not CPU', () => {
    expect(cpuUnitOf(GO_CPU)).toBe('nanoseconds');
    expect(cpuUnitOf(AGENT)).toBe('samples');
    expect(cpuUnitOf('memory:alloc_space:bytes:space:bytes')).toBeUndefined();
    expect(cpuUnitOf('nonsense')).toBeUndefined();
  });
});

describe('msPerUnit', () => {
  it('turns nanoseconds and samples into milliseconds', () => {
    expect(msPerUnit(GO_CPU, settings)).toBe(1e-6);
    expect(msPerUnit(AGENT, settings)).toBeCloseTo(1000 / 19);
  });

  it('says why it cannot, and what to do', () => {
    expect(msPerUnit('memory:inuse_space:bytes:space:bytes', settings)).toMatch(/do not measure CPU time/);
    expect(msPerUnit('other:samples:count:cpu:nanoseconds:delta', settings)).toMatch(
      /no sampling frequency for "other" profiles.*configuration page/
    );
    expect(msPerUnit('odd:cpu:cycles:cpu:cycles', settings)).toMatch(/counts CPU in cycles/);
  });
});
