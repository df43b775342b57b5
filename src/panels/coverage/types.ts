import type { GroupOrder } from './domain/readCoverage';

/** The coverage panel's options (the panel JSON's `options`); thresholds are in fieldConfig. */
export interface CoveragePanelOptions {
  /** The unlinked share of everything the query selects, as a big number coloured by thresholds. */
  showShare: boolean;
  /** The share per step, behind the big number. */
  showTrend: boolean;
  /** One row per group (service) with its share and trend. */
  showGroups: boolean;
  /** The functions the unlinked CPU runs under: why it has no trace. */
  showReasons: boolean;
  /** The flame graph of the unlinked samples. */
  showStacks: boolean;
  /** Comma-separated label names to group rows by (a subset of the query's group-by); empty: as queried. */
  groupBy: string;
  groupOrder: GroupOrder;
  /** How many functions the reasons list shows. */
  reasonsLimit: number;
}

export const DEFAULT_COVERAGE_OPTIONS: CoveragePanelOptions = {
  showShare: true,
  showTrend: true,
  showGroups: true,
  showReasons: true,
  showStacks: false,
  groupBy: '',
  groupOrder: 'share',
  reasonsLimit: 5,
};

/** Missing trace links above 20% deserve a look, above 40% an alert (the provisioned rule's level). */
export const DEFAULT_SHARE_THRESHOLDS = [
  { value: -Infinity, color: 'green' },
  { value: 20, color: 'orange' },
  { value: 40, color: 'red' },
];
