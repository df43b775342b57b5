import {
  PanelBuilders,
  SceneFlexItem,
  SceneFlexLayout,
  SceneDataProvider,
  VizPanel,
  VizPanelMenu,
  getExploreURL,
  sceneGraph,
} from '@grafana/scenes';

import type { RedScope } from '../../../shared/promql/redQueries';
import {
  buildDurationQueryRunner,
  buildErrorsByStatusData,
  buildLatencyHeatmapData,
  buildRateByRouteQueryRunner,
} from '../infrastructure/buildRedQueryRunners';

/** A panel menu whose "Explore" opens the panel's own queries and range in Grafana's Explore. */
function exploreMenu(): VizPanelMenu {
  return new VizPanelMenu({
    $behaviors: [
      (menu: VizPanelMenu) => {
        const panel = menu.parent;
        if (!(panel instanceof VizPanel)) {
          return;
        }
        const data = sceneGraph.getData(panel).state.data;
        if (!data) {
          return;
        }
        getExploreURL(data, panel, sceneGraph.getTimeRange(panel).state.value.raw).then((href) => {
          if (href) {
            menu.setItems([{ text: 'Explore', iconClassName: 'compass', href }]);
          }
        });
      },
    ],
  });
}

function item(panel: VizPanel): SceneFlexItem {
  return new SceneFlexItem({ minHeight: 280, body: panel });
}

/**
 * Rate by route, errors by status, p50/p95/p99 and a latency heatmap of one service; a heatmap row's
 * tooltip links to the Slow spans tab with that row's duration band.
 */
export function buildRedTab(prometheusUid: string, scope: RedScope & { service: string }): SceneFlexLayout {
  const withData = (runner: SceneDataProvider) => ({ data: runner, menu: exploreMenu() });
  const rate = withData(buildRateByRouteQueryRunner(prometheusUid, scope));
  const errors = withData(buildErrorsByStatusData(prometheusUid, scope));
  const duration = withData(buildDurationQueryRunner(prometheusUid, scope));
  const heatmap = withData(buildLatencyHeatmapData(prometheusUid, scope));
  return new SceneFlexLayout({
    direction: 'column',
    children: [
      new SceneFlexLayout({
        children: [
          item(
            PanelBuilders.timeseries()
              .setTitle('Requests by route')
              .setUnit('reqps')
              .setData(rate.data)
              .setMenu(rate.menu)
              .setNoValue('No requests in this range')
              .build()
          ),
          item(
            PanelBuilders.timeseries()
              .setTitle('Errors by status')
              .setUnit('reqps')
              .setData(errors.data)
              .setMenu(errors.menu)
              .setNoValue('No failed requests in this range')
              .build()
          ),
        ],
      }),
      new SceneFlexLayout({
        children: [
          item(
            PanelBuilders.timeseries()
              .setTitle('Duration p50 / p95 / p99')
              .setUnit('s')
              .setData(duration.data)
              .setMenu(duration.menu)
              .setNoValue('No requests in this range')
              .build()
          ),
          item(
            PanelBuilders.heatmap()
              .setTitle('Latency')
              .setData(heatmap.data)
              .setMenu(heatmap.menu)
              .setOption('calculate', false)
              .setOption('yAxis', { unit: 's' })
              .setNoValue('No requests in this range')
              .build()
          ),
        ],
      }),
    ],
  });
}
