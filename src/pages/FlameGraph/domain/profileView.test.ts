import { parseProfileTypeId } from '../../../datasource/profileTypes';
import type { ProfileTypeInfo } from '../../../datasource/types';
import { defaultProfileType, viewSelector } from './profileView';

const types = [
  'memory:alloc_space:bytes:space:bytes',
  'process_cpu:samples:count:cpu:nanoseconds:delta',
  'process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta',
].map((id) => parseProfileTypeId(id) as ProfileTypeInfo);

describe('viewSelector', () => {
  it('matches one service exactly, escaping what would break the selector', () => {
    expect(viewSelector('service_name', 'checkout')).toBe('{service_name="checkout"}');
    expect(viewSelector('job', 'a"b\\c')).toBe('{job="a\\"b\\\\c"}');
  });

  it("adds a trace's matcher for a view of one trace", () => {
    expect(viewSelector('service_name', 'checkout', 'ab12')).toBe('{service_name="checkout", trace_id="ab12"}');
    expect(viewSelector('service_name', undefined, 'ab12')).toBe('{trace_id="ab12"}');
  });

  it('selects every service when none is chosen', () => {
    expect(viewSelector('service_name', undefined)).toBe('{}');
    expect(viewSelector('service_name', '')).toBe('{}');
  });
});

describe('defaultProfileType', () => {
  it('keeps the type the URL asks for when Parca holds it', () => {
    expect(defaultProfileType(types, types[0].id)).toBe(types[0].id);
  });

  it('prefers CPU time, and replaces a type Parca does not hold', () => {
    expect(defaultProfileType(types)).toBe('process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta');
    expect(defaultProfileType(types, 'gone:x:y:z:w')).toBe('process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta');
  });

  it('has nothing to offer without types', () => {
    expect(defaultProfileType([])).toBeUndefined();
  });
});
