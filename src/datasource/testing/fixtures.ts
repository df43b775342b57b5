import type { DataSourceInstanceSettings } from '@grafana/data';

import { ParcaDataSource } from '../datasource';
import { parseProfileTypeId } from '../profileTypes';
import type { ParcaOptions, ProfileTypeInfo } from '../types';

export const CPU = 'process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta';
export const HEAP = 'memory:inuse_space:bytes:space:bytes';

export const INSTANCE_SETTINGS = {
  id: 1,
  uid: 'parca-test',
  type: 'spanflame-parca-datasource',
  name: 'Parca',
  access: 'proxy',
  jsonData: {},
  meta: { id: 'spanflame-parca-datasource' },
  readOnly: false,
} as unknown as DataSourceInstanceSettings<ParcaOptions>;

/** A datasource whose lookups answer from fixed lists, counting what was asked. */
export function makeDatasource(values: Record<string, string[]> = { service_name: ['checkout', 'payments'] }) {
  const datasource = new ParcaDataSource(INSTANCE_SETTINGS);
  const types: ProfileTypeInfo[] = [CPU, HEAP].map((id) => parseProfileTypeId(id)!);
  const getProfileTypes = jest.spyOn(datasource, 'getProfileTypes').mockResolvedValue(types);
  const getLabelNames = jest
    .spyOn(datasource, 'getLabelNames')
    .mockResolvedValue(['service_name', 'span_id', 'trace_id', '__name__']);
  const getLabelValues = jest
    .spyOn(datasource, 'getLabelValues')
    .mockImplementation(async (label: string) => values[label] ?? []);
  jest.spyOn(datasource, 'getVariableOptions').mockReturnValue(['$service']);
  return { datasource, getProfileTypes, getLabelNames, getLabelValues };
}

/**
 * Combobox virtualises its menu and auto-sized inputs measure text on a canvas; jsdom has neither
 * layout nor canvas, so give elements a size and text a width.
 */
export function giveElementsASize() {
  class NoopObserver {
    observe() {}
    unobserve() {}
    disconnect() {}
    takeRecords() {
      return [];
    }
  }
  Object.assign(global, {
    IntersectionObserver: global.IntersectionObserver ?? NoopObserver,
    ResizeObserver: global.ResizeObserver ?? NoopObserver,
  });
  HTMLCanvasElement.prototype.getContext = (() => ({
    measureText: (text: string) => ({ width: text.length * 7 }),
    font: '',
  })) as unknown as typeof HTMLCanvasElement.prototype.getContext;
  Object.defineProperty(Element.prototype, 'getBoundingClientRect', {
    configurable: true,
    value: () => ({
      width: 400,
      height: 400,
      top: 0,
      left: 0,
      bottom: 400,
      right: 400,
      x: 0,
      y: 0,
      toJSON: () => ({}),
    }),
  });
  for (const size of ['offsetHeight', 'offsetWidth', 'clientHeight', 'clientWidth']) {
    Object.defineProperty(HTMLElement.prototype, size, { configurable: true, value: 400 });
  }
}
