import { DataSourcePlugin } from '@grafana/data';

import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor/QueryEditor';
import { ParcaDataSource } from './datasource';
import type { ParcaOptions, ParcaQuery, ParcaSecureJsonData } from './types';

export const plugin = new DataSourcePlugin<ParcaDataSource, ParcaQuery, ParcaOptions, ParcaSecureJsonData>(
  ParcaDataSource
)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
