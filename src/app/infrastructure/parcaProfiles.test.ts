import { dateTime } from '@grafana/data';

import { pprofDownloadUrl } from './parcaProfiles';

describe('pprofDownloadUrl', () => {
  const range = {
    from: dateTime(1_700_000_000_000),
    to: dateTime(1_700_000_300_000),
    raw: { from: 'now-5m', to: 'now' },
  };

  it("asks the datasource's pprof resource for the view's profile over the exact range", () => {
    const url = new URL(
      pprofDownloadUrl(
        { profileType: 'process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta', labelSelector: '{service_name="a&b"}' },
        range,
        'spanflame-parca',
        ''
      ),
      'http://grafana'
    );
    expect(url.pathname).toBe('/api/datasources/uid/spanflame-parca/resources/pprof');
    expect(url.searchParams.get('labelSelector')).toBe('{service_name="a&b"}');
    expect(url.searchParams.get('profileType')).toBe('process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta');
    expect(url.searchParams.get('from')).toBe('1700000000000');
    expect(url.searchParams.get('to')).toBe('1700000300000');
  });

  it('works under a Grafana served from a sub path', () => {
    expect(pprofDownloadUrl({ profileType: 't', labelSelector: '{}' }, range, 'x', '/grafana')).toMatch(
      /^\/grafana\/api\/datasources\/uid\/x\/resources\/pprof\?/
    );
  });
});
