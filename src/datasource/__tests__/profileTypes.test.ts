import { describeProfileTypeId, parseProfileTypeId, profileTypeId, profileTypeOptions } from '../profileTypes';

const cpu = parseProfileTypeId('process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta')!;
const agent = parseProfileTypeId('parca_agent:samples:count:cpu:nanoseconds:delta')!;
const heap = parseProfileTypeId('memory:inuse_space:bytes:space:bytes')!;

describe('profile types', () => {
  it('parses and renders ids', () => {
    expect(cpu).toMatchObject({ name: 'process_cpu', sampleType: 'cpu', sampleUnit: 'nanoseconds', delta: true });
    expect(profileTypeId(cpu)).toBe(cpu.id);
    expect(heap.delta).toBe(false);
    expect(parseProfileTypeId('process_cpu:cpu')).toBeUndefined();
    expect(parseProfileTypeId('a:b:c:d:e:cumulative')).toBeUndefined();
  });

  it('names and groups them as people know them, the raw id as description', () => {
    expect(profileTypeOptions([heap, agent, cpu])).toEqual([
      { value: heap.id, label: 'In-use memory, bytes', group: 'Memory (pprof heap)', description: heap.id },
      { value: agent.id, label: 'CPU samples, count', group: 'Parca agent (eBPF)', description: agent.id },
      { value: cpu.id, label: 'CPU, nanoseconds', group: 'Process CPU (pprof)', description: cpu.id },
    ]);
  });

  it('describes an id alone, or returns it unchanged when it is not one', () => {
    expect(describeProfileTypeId(cpu.id)).toBe('CPU, nanoseconds (Process CPU (pprof))');
    expect(describeProfileTypeId('$profileType')).toBe('$profileType');
  });
});
