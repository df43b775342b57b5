import { dateTime, type TimeRange } from '@grafana/data';

import type { ProfileTypeInfo } from '../../datasource/types';
import { profileTypesForSession } from './profileTypesCache';
import { clearSessionCache } from './sessionLookup';

const range: TimeRange = { from: dateTime(0), to: dateTime(3_600_000), raw: { from: 'now-1h', to: 'now' } };
const cpu = { id: 'process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta', name: 'process_cpu' } as ProfileTypeInfo;
const memory = { id: 'memory:alloc_space:bytes:space:bytes:delta', name: 'memory' } as ProfileTypeInfo;

describe('profileTypesForSession', () => {
  beforeEach(() => clearSessionCache());

  it('asks the server the first time, and answers from the session afterwards while refreshing', async () => {
    const load = jest.fn().mockResolvedValueOnce([cpu]).mockResolvedValueOnce([cpu, memory]);
    expect(await profileTypesForSession('parca', range, load)).toEqual([cpu]);
    // The second span opened does not wait for Parca: the session's list, and a refresh behind it.
    expect(await profileTypesForSession('parca', range, load)).toEqual([cpu]);
    expect(load).toHaveBeenCalledTimes(2);
    await Promise.resolve();
    expect(await profileTypesForSession('parca', range, jest.fn().mockRejectedValue(new Error('down')))).toEqual([
      cpu,
      memory,
    ]);
  });

  it('passes a failure on when the session knows nothing, and keeps no empty list', async () => {
    await expect(
      profileTypesForSession('parca', range, jest.fn().mockRejectedValue(new Error('down')))
    ).rejects.toThrow('down');
    expect(await profileTypesForSession('parca', range, jest.fn().mockResolvedValue([]))).toEqual([]);
    const load = jest.fn().mockResolvedValue([cpu]);
    expect(await profileTypesForSession('parca', range, load)).toEqual([cpu]);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('keeps each datasource apart', async () => {
    await profileTypesForSession('a', range, jest.fn().mockResolvedValue([cpu]));
    expect(await profileTypesForSession('b', range, jest.fn().mockResolvedValue([memory]))).toEqual([memory]);
  });
});
