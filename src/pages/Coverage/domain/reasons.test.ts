import { rankReasons, type Reason } from './reasons';

describe('rankReasons', () => {
  it('puts measured reasons first, largest share first, then the ones without a figure', () => {
    const reasons: Reason[] = [
      { id: 'traces-not-stored', state: 'unavailable', detail: 'no trace store', needsSetting: true },
      { id: 'short-requests', state: 'measured', share: 12, population: 'of requests', detail: '' },
      { id: 'spans-without-samples', state: 'loading', detail: '' },
      { id: 'outside-requests', state: 'measured', share: 30, population: 'of CPU', detail: '' },
    ];
    expect(rankReasons(reasons).map((r) => r.id)).toEqual([
      'outside-requests',
      'short-requests',
      'spans-without-samples',
      'traces-not-stored',
    ]);
  });
});
