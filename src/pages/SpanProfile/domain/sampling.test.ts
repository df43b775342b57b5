import type { ProfileTypeInfo } from '../../../datasource/types';
import { chooseCpuProfileType, expectedSamples, samplingFor, shortSpanWarning } from './sampling';

const settings = { samplingHz: { parca_agent: 19, process_cpu: 100 } };

describe('short spans', () => {
  it('expects duration × frequency samples', () => {
    expect(expectedSamples(1000, 19)).toBe(19);
    expect(expectedSamples(50, 100)).toBe(5);
  });

  it('warns under three expected samples, with the numbers', () => {
    const warning = shortSpanWarning(100, 19);
    expect(warning?.expected).toBeCloseTo(1.9);
    expect(warning?.sentence).toContain('100 ms');
    expect(warning?.sentence).toContain('19 Hz');
    expect(warning?.sentence).toContain('about 1.9 samples');
    expect(warning?.sentence).toContain("same route's spans");
  });

  it('does not warn at three samples or more, nor without a frequency', () => {
    expect(shortSpanWarning(158, 19)).toBeUndefined();
    expect(shortSpanWarning(30, 100)).toBeUndefined();
    expect(shortSpanWarning(29, 100)).toBeDefined();
    expect(shortSpanWarning(1, undefined)).toBeUndefined();
  });

  it('reads the frequency of a profile type from the settings, and says when there is none', () => {
    expect(samplingFor(settings, 'parca_agent:samples:count:cpu:nanoseconds:delta')).toEqual({ hz: 19 });
    expect(samplingFor(settings, 'java_cpu:cpu:nanoseconds:cpu:nanoseconds:delta').problem).toContain('"java_cpu"');
  });
});

function type(id: string): ProfileTypeInfo {
  const [name, sampleType, sampleUnit, periodType, periodUnit, delta] = id.split(':');
  return { id, name, sampleType, sampleUnit, periodType, periodUnit, delta: delta === 'delta' };
}

describe('chooseCpuProfileType', () => {
  const memory = type('memory:alloc_space:bytes:space:bytes');
  const unknownCpu = type('java_cpu:cpu:nanoseconds:cpu:nanoseconds:delta');
  const agent = type('parca_agent:samples:count:cpu:nanoseconds:delta');

  it('prefers CPU samples whose frequency the settings know', () => {
    expect(chooseCpuProfileType([memory, unknownCpu, agent], settings)).toBe(agent.id);
    expect(chooseCpuProfileType([memory, unknownCpu], settings)).toBe(unknownCpu.id);
    expect(chooseCpuProfileType([memory], settings)).toBe(memory.id);
    expect(chooseCpuProfileType([], settings)).toBeUndefined();
  });

  it('keeps the one the link names when Parca has it', () => {
    expect(chooseCpuProfileType([memory, agent], settings, memory.id)).toBe(memory.id);
    expect(chooseCpuProfileType([agent], settings, memory.id)).toBe(agent.id);
  });
});
