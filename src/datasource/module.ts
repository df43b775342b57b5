import { DataSourcePlugin } from '@grafana/data';

import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { ParcaDataSource } from './datasource';
import type { ParcaOptions, ParcaQuery } from './types';

export const plugin = new DataSourcePlugin<ParcaDataSource, ParcaQuery, ParcaOptions>(ParcaDataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
