import React from 'react';
import { map } from 'rxjs';
import { DataTransformContext, DataFrame } from '@grafana/data';
import {
  type EmbeddedScene,
  PanelBuilders,
  SceneAppPage,
  SceneDataTransformer,
  SceneFlexItem,
  SceneObject,
  SceneQueryRunner,
  SceneReactObject,
  TextBoxVariable,
} from '@grafana/scenes';
import { TableCellDisplayMode } from '@grafana/schema';
import { Alert, TextLink } from '@grafana/ui';

import type { AppSettings } from '../../../shared/appSettings';
import { APP_SETTINGS_URL, ROUTES, homeUrl, serviceUrl } from '../../../shared/appUrls';
import { buildPageScene } from '../../../shared/scenes/pageScene';
import { buildCpuProfileTypeVariable } from '../../../shared/parca/profileTypeVariable';
import { buildOverviewQueryRunner } from '../infrastructure/buildOverviewQueryRunner';
import { COLUMNS, joinServiceRows } from '../domain/serviceRows';
import { WelcomePanel } from './WelcomePanel';

const SEARCH_VARIABLE = 'search';
const NO_FIGURE = '–';
/** Stands in for the row's service in the link template; Grafana fills in the cell's value, URL-encoded. */
const SERVICE_PLACEHOLDER = 'SPANFLAME_SERVICE';

/** Link from a row to its service page, keeping the time range; built by appUrls so the keys stay one. */
function serviceLinkTemplate(): string {
  return `${serviceUrl({ service: SERVICE_PLACEHOLDER }).replace(
    SERVICE_PLACEHOLDER,
    '${__value.raw:percentencode}'
  )}&\${__url_time_range}`;
}

function buildJoin(runner: SceneQueryRunner, serviceLabel: string, search: TextBoxVariable): SceneDataTransformer {
  const joined = new SceneDataTransformer({
    $data: runner,
    transformations: [
      (context: DataTransformContext) => (source) =>
        source.pipe(
          map((frames: DataFrame[]) => [
            joinServiceRows(frames, serviceLabel, context.interpolate(`\${${SEARCH_VARIABLE}}`)),
          ])
        ),
    ],
  });
  // The join reads the search text itself, so it re-runs (without new queries) when the text changes.
  search.subscribeToState(() => joined.reprocessTransformations());
  return joined;
}

function settingsHint(settings: AppSettings): SceneObject | undefined {
  if (settings.prometheusDatasourceUid) {
    return undefined;
  }
  return new SceneReactObject({
    component: () => (
      <Alert severity="info" title="No Prometheus datasource chosen">
        Request rate, errors and duration come from Beyla metrics in Prometheus. Choose the Prometheus datasource in{' '}
        <TextLink href={APP_SETTINGS_URL}>the app&apos;s settings</TextLink>; until then only Parca&apos;s services and
        their CPU are listed.
      </Alert>
    ),
  });
}

function buildScene(settings: AppSettings): EmbeddedScene {
  const search = new TextBoxVariable({ name: SEARCH_VARIABLE, label: 'Search service', value: '' });
  const runner = buildOverviewQueryRunner({
    prometheusUid: settings.prometheusDatasourceUid,
    parcaUid: settings.parcaDatasourceUid,
    serviceLabel: settings.serviceLabel,
  });
  const table = PanelBuilders.table()
    .setTitle('Services')
    .setDescription('Each figure is over the whole time range (errors: the share of its requests that failed)')
    .setNoValue('No services in this range')
    .setData(buildJoin(runner, settings.serviceLabel, search))
    .setOverrides((o) => {
      // The panel's "no value" is its empty-table message; a cell without a figure (or with nothing missing) shows a dash.
      o.matchFieldsWithNameByRegex('.*').overrideNoValue(NO_FIGURE);
      o.matchFieldsWithName(COLUMNS.service).overrideLinks([{ title: 'Open service', url: serviceLinkTemplate() }]);
      for (const trend of [COLUMNS.rateTrend, COLUMNS.errorsTrend, COLUMNS.p95Trend]) {
        o.matchFieldsWithName(trend).overrideCustomFieldConfig('cellOptions', { type: TableCellDisplayMode.Sparkline });
      }
    })
    .build();
  const hint = settingsHint(settings);
  return buildPageScene({
    variables: [buildCpuProfileTypeVariable(settings.parcaDatasourceUid), search],
    body: [
      new SceneFlexItem({ height: 'auto', body: new WelcomePanel({}) }),
      ...(hint ? [new SceneFlexItem({ height: 'auto', body: hint })] : []),
      new SceneFlexItem({ minHeight: 400, body: table }),
    ],
  });
}

/** The app's home: every service Beyla's metrics or Parca's profiles know, with RED and CPU side by side. */
export function servicesPage(settings: AppSettings): SceneAppPage {
  return new SceneAppPage({
    title: 'Services',
    subTitle: 'Request rate, errors and duration from Beyla beside CPU from Parca',
    url: homeUrl(),
    routePath: `${ROUTES.Home}/*`,
    getScene: () => buildScene(settings),
  });
}
