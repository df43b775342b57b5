import {
  CustomVariableSupport,
  type DataQueryRequest,
  type DataQueryResponse,
  type MetricFindValue,
  type TimeRange,
} from '@grafana/data';
import { from, map, Observable } from 'rxjs';

import { VariableQueryEditor } from './components/VariableQueryEditor';
import type { ParcaDataSourceApi } from './parcaLookups';
import { ParcaVariableQuery, VariableQueryType } from './types';

/** What a variable asks its datasource: the values one variable query lists. */
interface VariableValueSource {
  listVariableValues(query: ParcaVariableQuery, range?: TimeRange): Promise<MetricFindValue[]>;
}

/**
 * Query variables of three kinds: profile types, label names and label values (of one profile
 * type, optionally narrowed by a selector). Their values go into selectors as `$name`.
 */
export class ParcaVariableSupport extends CustomVariableSupport<ParcaDataSourceApi, ParcaVariableQuery> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: VariableValueSource) {
    super();
  }

  query(request: DataQueryRequest<ParcaVariableQuery>): Observable<DataQueryResponse> {
    const query = request.targets[0] ?? { refId: 'variable', type: VariableQueryType.ProfileTypes };
    return from(this.datasource.listVariableValues(query, request.range)).pipe(map((values) => ({ data: values })));
  }
}
