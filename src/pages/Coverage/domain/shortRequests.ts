import { type DataFrame, FieldType } from '@grafana/data';

/**
 * Requests too short to be sampled: a CPU profiler samples every 1 / Hz seconds, so a request
 * shorter than that often has no sample at all (its span gets no profile). The share of such
 * requests comes from the duration histogram Beyla exports, counted over the page's range.
 */

/** One cumulative histogram bucket: requests that took at most `le` seconds. */
export interface DurationBucket {
  le: number;
  count: number;
}

export interface ShortRequestShare {
  /** Percent of the range's requests shorter than the sampling period. */
  share: number;
  /** Requests in the range (the `+Inf` bucket). */
  total: number;
  /** The sampling period in seconds. */
  periodSeconds: number;
  /** True when the period falls between two bucket bounds and the count was interpolated. */
  interpolated: boolean;
}

/**
 * The buckets of an instant `sum by (le) (increase(..._bucket[$__range]))` answer: a frame per `le`
 * (time series format: the value field's labels carry `le`) or one table frame with an `le` column.
 * Buckets with the same bound (HTTP and gRPC families) are added.
 */
export function readDurationBuckets(frames: DataFrame[]): DurationBucket[] {
  const byBound = new Map<number, number>();
  const add = (le: unknown, value: unknown) => {
    const bound = le === '+Inf' ? Infinity : Number(le);
    const count = Number(value);
    if (le !== undefined && le !== null && !Number.isNaN(bound) && Number.isFinite(count)) {
      byBound.set(bound, (byBound.get(bound) ?? 0) + count);
    }
  };
  for (const frame of frames) {
    const leColumn = frame.fields.find((f) => f.name === 'le');
    const values = frame.fields.filter((f) => f.type === FieldType.number && f.name !== 'le');
    for (const field of values) {
      if (leColumn) {
        field.values.forEach((v, i) => add(leColumn.values[i], v));
      } else if (field.labels?.le !== undefined && field.values.length > 0) {
        add(field.labels.le, field.values[field.values.length - 1]);
      }
    }
  }
  return [...byBound.entries()].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le);
}

/**
 * The share of requests shorter than `periodSeconds`, read off cumulative buckets: exact when the
 * period is a bucket bound (the demo adds 10 ms and 52.6 ms, the 100 Hz and 19 Hz periods), else
 * interpolated linearly inside the bucket that holds it, as histogram_quantile does the other way.
 * Undefined without requests (no `+Inf` bucket or a zero count).
 */
export function shortRequestShare(buckets: DurationBucket[], periodSeconds: number): ShortRequestShare | undefined {
  const total = buckets.find((b) => b.le === Infinity)?.count ?? 0;
  if (!(total > 0) || !(periodSeconds > 0)) {
    return undefined;
  }
  let below = { le: 0, count: 0 };
  for (const bucket of buckets) {
    if (bucket.le === periodSeconds) {
      return { share: (100 * bucket.count) / total, total, periodSeconds, interpolated: false };
    }
    if (bucket.le > periodSeconds) {
      if (bucket.le === Infinity) {
        // Beyond the last finite bound nothing can be interpolated: everything below it is short.
        return { share: (100 * below.count) / total, total, periodSeconds, interpolated: true };
      }
      const fraction = (periodSeconds - below.le) / (bucket.le - below.le);
      const count = below.count + fraction * (bucket.count - below.count);
      return { share: (100 * count) / total, total, periodSeconds, interpolated: true };
    }
    below = bucket;
  }
  return undefined;
}
