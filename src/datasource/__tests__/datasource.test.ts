import { DataQueryRequest, dateTime, TimeRange } from '@grafana/data';
import { setTemplateSrv, TemplateSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

import { ParcaDataSource } from '../datasource';
import { ParcaQuery, ParcaVariableQuery, QueryType, VariableQueryType } from '../types';
import { ParcaVariableSupport } from '../variables';
import { CPU, INSTANCE_SETTINGS } from '../testing/fixtures';

const range: TimeRange = {
  from: dateTime(1_000_000),
  to: dateTime(2_000_000),
  raw: { from: 'now-1h', to: 'now' },
};

/** A template service with one variable, $service = checkout. */
function installTemplateSrv() {
  const replace = (text?: string) => (text ?? '').replace(/\$service\b/g, 'checkout');
  setTemplateSrv({
    getVariables: () => [{ name: 'service' }],
    replace,
    containsTemplate: (text?: string) => /\$service\b/.test(text ?? ''),
    updateTimeRange: () => {},
  } as unknown as TemplateSrv);
}

describe('ParcaDataSource', () => {
  beforeEach(installTemplateSrv);

  it('asks the backend for profile types with the range in epoch milliseconds and reads its answer', async () => {
    const ds = new ParcaDataSource(INSTANCE_SETTINGS);
    // The backend's answer (pkg/plugin/resources.go); an entry without id is read from its parts.
    const getResource = jest.spyOn(ds, 'getResource').mockResolvedValue([
      {
        id: CPU,
        name: 'process_cpu',
        sampleType: 'cpu',
        sampleUnit: 'nanoseconds',
        periodType: 'cpu',
        periodUnit: 'nanoseconds',
        delta: true,
      },
      { name: 'memory', sampleType: 'inuse_space', sampleUnit: 'bytes', periodType: 'space', periodUnit: 'bytes' },
      'not a profile type',
    ]);
    const types = await ds.getProfileTypes(range);
    expect(getResource).toHaveBeenCalledWith('profile-types', { from: 1_000_000, to: 2_000_000 });
    expect(types.map((t) => t.id)).toEqual([CPU, 'memory:inuse_space:bytes:space:bytes']);
  });

  it('interpolates variables in lookups and never asks for trace_id or span_id values', async () => {
    const ds = new ParcaDataSource(INSTANCE_SETTINGS);
    const getResource = jest
      .spyOn(ds, 'getResource')
      .mockResolvedValue({ label: 'service_name', values: ['a', 'b'], truncated: false });
    await expect(
      ds.getLabelValues('service_name', { profileType: CPU, labelSelector: '{service_name="$service"}' })
    ).resolves.toEqual(['a', 'b']);
    expect(getResource).toHaveBeenCalledWith('label-values', {
      profileType: CPU,
      label: 'service_name',
      labelSelector: '{service_name="checkout"}',
    });
    getResource.mockClear();
    await expect(ds.getLabelValues('trace_id', { profileType: CPU })).resolves.toEqual([]);
    await expect(ds.getLabelValues('span_id', { profileType: CPU })).resolves.toEqual([]);
    expect(getResource).not.toHaveBeenCalled();
  });

  it('interpolates every text field of a query', () => {
    const ds = new ParcaDataSource(INSTANCE_SETTINGS);
    const query: ParcaQuery = {
      refId: 'A',
      queryType: QueryType.Diff,
      profileType: CPU,
      labelSelector: '{service_name="$service"}',
      functionFilter: '$service',
      groupBy: ['$service'],
      baseline: { mode: 'selector', labelSelector: '{service_name!="$service"}' },
    };
    expect(ds.applyTemplateVariables(query, {})).toMatchObject({
      labelSelector: '{service_name="checkout"}',
      functionFilter: 'checkout',
      groupBy: ['checkout'],
      baseline: { mode: 'selector', labelSelector: '{service_name!="checkout"}' },
    });
  });

  it('runs without a profile type only when it has one', () => {
    const ds = new ParcaDataSource(INSTANCE_SETTINGS);
    expect(ds.filterQuery({ refId: 'A' })).toBe(false);
    expect(ds.filterQuery({ refId: 'A', profileType: CPU })).toBe(true);
    expect(ds.filterQuery({ refId: 'A', profileType: CPU, hide: true })).toBe(false);
  });
});

describe('template variables', () => {
  beforeEach(installTemplateSrv);

  it.each([
    [{ type: VariableQueryType.ProfileTypes }, 'profile-types', [{ id: CPU }], [CPU]],
    [
      { type: VariableQueryType.LabelNames, profileType: CPU },
      'label-names',
      { names: ['__name__', 'service_name'], highCardinality: ['trace_id', 'span_id'] },
      ['service_name'],
    ],
    [
      { type: VariableQueryType.LabelValues, profileType: CPU, labelName: 'service_name' },
      'label-values',
      { label: 'service_name', values: ['checkout', 'payments'], truncated: false },
      ['checkout', 'payments'],
    ],
  ])('%o lists what the backend returns', async (variableQuery, path, answer, expected) => {
    const ds = new ParcaDataSource(INSTANCE_SETTINGS);
    const getResource = jest.spyOn(ds, 'getResource').mockResolvedValue(answer);
    const variables = new ParcaVariableSupport(ds);
    const response = await lastValueFrom(
      variables.query({
        targets: [{ refId: 'v', ...variableQuery }],
        range,
      } as unknown as DataQueryRequest<ParcaVariableQuery>)
    );
    expect(getResource.mock.calls[0][0]).toBe(path);
    expect(response.data).toEqual(expected.map((v) => ({ text: v, value: v })));
  });

  it('lists nothing for values of trace_id', async () => {
    const ds = new ParcaDataSource(INSTANCE_SETTINGS);
    const getResource = jest.spyOn(ds, 'getResource');
    const values = await ds.listVariableValues({
      refId: 'v',
      type: VariableQueryType.LabelValues,
      profileType: CPU,
      labelName: 'trace_id',
    });
    expect(values).toEqual([]);
    expect(getResource).not.toHaveBeenCalled();
  });
});
