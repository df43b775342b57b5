import { dateTime } from '@grafana/data';
import { config, setTemplateSrv, type TemplateSrv } from '@grafana/runtime';

import { ParcaDataSource } from '../datasource';
import { CPU, INSTANCE_SETTINGS } from '../testing/fixtures';

describe('ParcaDataSource.pprofDownloadUrl', () => {
  const range = {
    from: dateTime(1_700_000_000_000),
    to: dateTime(1_700_000_300_000),
    raw: { from: 'now-5m', to: 'now' },
  };
  const appSubUrl = config.appSubUrl;

  beforeEach(() => {
    setTemplateSrv({ replace: (text?: string) => (text ?? '').replace('$service', 'a&b') } as unknown as TemplateSrv);
  });
  afterEach(() => {
    config.appSubUrl = appSubUrl;
  });

  it("asks its backend's pprof resource for the view's profile over the exact range", () => {
    config.appSubUrl = '';
    const ds = new ParcaDataSource(INSTANCE_SETTINGS);
    const url = new URL(
      ds.pprofDownloadUrl({ profileType: CPU, labelSelector: '{service_name="$service"}', range }),
      'http://grafana'
    );
    expect(url.pathname).toBe(`/api/datasources/uid/${INSTANCE_SETTINGS.uid}/resources/pprof`);
    expect(url.searchParams.get('labelSelector')).toBe('{service_name="a&b"}');
    expect(url.searchParams.get('profileType')).toBe(CPU);
    expect(url.searchParams.get('from')).toBe('1700000000000');
    expect(url.searchParams.get('to')).toBe('1700000300000');
  });

  it('works under a Grafana served from a sub path', () => {
    config.appSubUrl = '/grafana';
    const ds = new ParcaDataSource(INSTANCE_SETTINGS);
    expect(ds.pprofDownloadUrl({ profileType: 't', labelSelector: '{}', range })).toMatch(
      /^\/grafana\/api\/datasources\/uid\/[^/]+\/resources\/pprof\?/
    );
  });
});
