import { CustomVariableSupport, DataQueryRequest, DataQueryResponse } from '@grafana/data';
import { from, map, Observable } from 'rxjs';

import { VariableQueryEditor } from './components/VariableQueryEditor';
import type { ParcaDataSource } from './datasource';
import { ParcaVariableQuery, VariableQueryType } from './types';

/**
 * Query variables of three kinds: profile types, label names and label values (of one profile
 * type, optionally narrowed by a selector). Their values go into selectors as `$name`.
 */
export class ParcaVariableSupport extends CustomVariableSupport<ParcaDataSource, ParcaVariableQuery> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: ParcaDataSource) {
    super();
  }

  query(request: DataQueryRequest<ParcaVariableQuery>): Observable<DataQueryResponse> {
    const query = request.targets[0] ?? { refId: 'variable', type: VariableQueryType.ProfileTypes };
    return from(this.datasource.listVariableValues(query, request.range)).pipe(map((values) => ({ data: values })));
  }
}
