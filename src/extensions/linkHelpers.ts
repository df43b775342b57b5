import { isDateTime, type RawTimeRange } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';

import type { TimeRangeParams } from '../shared/appUrls';

/** A raw time range as the app's URLs carry it: relative text stays ("now-1h"), absolute times become epoch ms. */
export function rangeParams(range: RawTimeRange | undefined): TimeRangeParams {
  if (!range) {
    return {};
  }
  const one = (v: unknown) => (isDateTime(v) ? v.valueOf() : typeof v === 'string' && v !== '' ? v : undefined);
  return { from: one(range.from), to: one(range.to) };
}

/**
 * A service named by equality in a query's text: `service_name="x"` (PromQL, Parca selectors),
 * `resource.service.name = "x"` or `.service.name="x"` (TraceQL). Regex matchers and template
 * variables name no single service.
 */
const SERVICE_MATCHER = /(?:^|[^\w.])(?:resource)?\.?service(?:_name|\.name)\s*=\s*"([^"$]+)"/;

const TEXT_FIELDS = ['labelSelector', 'expr', 'query'] as const;

export function serviceOfTargets(targets: DataQuery[] | undefined): string | undefined {
  for (const target of targets ?? []) {
    for (const field of TEXT_FIELDS) {
      const text = (target as unknown as Record<string, unknown>)[field];
      const service = typeof text === 'string' ? SERVICE_MATCHER.exec(text)?.[1] : undefined;
      if (service) {
        return service;
      }
    }
  }
  return undefined;
}

export const PARCA_DS_TYPE = 'spanflame-parca-datasource';

/** The profile type of the first Spanflame Parca query among the targets. */
export function profileTypeOfTargets(targets: DataQuery[] | undefined): string | undefined {
  for (const target of targets ?? []) {
    const profileType = (target as unknown as Record<string, unknown>).profileType;
    if (target.datasource?.type === PARCA_DS_TYPE && typeof profileType === 'string' && !profileType.includes('$')) {
      return profileType;
    }
  }
  return undefined;
}
