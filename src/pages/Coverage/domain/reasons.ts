/**
 * The reasons a service's profiles and traces fail to meet, each measured on its own population
 * (CPU, requests, sampled spans), and ranked by the share of that population it explains: the
 * reason with the largest share is where to look first. A reason that could not be measured (a
 * datasource missing from the settings, no data in the range) stays in the list, last, with why.
 */
export type ReasonId = 'outside-requests' | 'short-requests' | 'spans-without-samples' | 'traces-not-stored';

export interface MeasuredReason {
  id: ReasonId;
  state: 'measured';
  /** Percent of `population` this reason accounts for. */
  share: number;
  /** What the share is of, e.g. "of the service's CPU". */
  population: string;
  /** One sentence saying what was counted and how. */
  detail: string;
}

export interface UnmeasuredReason {
  id: ReasonId;
  state: 'loading' | 'unavailable' | 'empty';
  /** Why it has no figure, and (for unavailable) what to fix. */
  detail: string;
  /** The missing setting, for a link to the settings page. */
  needsSetting?: boolean;
}

export type Reason = MeasuredReason | UnmeasuredReason;

export const REASON_TITLES: Record<ReasonId, string> = {
  'outside-requests': 'Work outside requests',
  'short-requests': 'Requests too short to be sampled',
  'spans-without-samples': 'Spans without profile samples',
  'traces-not-stored': 'Trace ids the trace store never received',
};

const STATE_ORDER: Record<Reason['state'], number> = { measured: 0, loading: 1, empty: 2, unavailable: 3 };

/** Measured reasons by share, largest first; then loading, empty and unavailable ones, in a stable order. */
export function rankReasons(reasons: Reason[]): Reason[] {
  const order = Object.keys(REASON_TITLES) as ReasonId[];
  return [...reasons].sort((a, b) => {
    const byState = STATE_ORDER[a.state] - STATE_ORDER[b.state];
    if (byState !== 0) {
      return byState;
    }
    if (a.state === 'measured' && b.state === 'measured' && a.share !== b.share) {
      return b.share - a.share;
    }
    return order.indexOf(a.id) - order.indexOf(b.id);
  });
}

/** "7.5%" with one decimal, the way the page writes every share. */
export function formatShare(share: number): string {
  return `${share.toFixed(1)}%`;
}

/** "1 of 20", "0 of 20": counts said the way a person reads them. */
export function countOf(part: number, whole: number): string {
  return `${part} of ${whole}`;
}
