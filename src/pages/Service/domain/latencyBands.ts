/**
 * From a latency heatmap row to the Slow spans tab's duration band. The RED tab's heatmap has one row
 * per Prometheus histogram bucket, named by its upper bound `le` in seconds ("0.25", "+Inf"); a bucket
 * counts requests above the next lower bound and up to its own, so its band is (lower, upper] in
 * milliseconds: the lowest bucket has no lower bound, `+Inf` no upper one.
 */
import { type DataFrame, type DataLink, FieldType } from '@grafana/data';

import { describeBand, type DurationBand } from './slowSpans';

/** Seconds to milliseconds, rounded to the microsecond so 0.025 s reads 25, not 25.000000000000004. */
const toMs = (seconds: number) => Math.round(seconds * 1e6) / 1e3;

/** A bucket's upper bound in seconds (`+Inf` is Infinity); undefined when `le` is no bound at all. */
export function parseUpperBound(le: string): number | undefined {
  const text = le.trim();
  if (text === '+Inf' || text === 'Inf') {
    return Infinity;
  }
  const value = text === '' ? NaN : Number(text);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * The band of every bucket, keyed by its `le` as given. Buckets are ordered by their bounds, not by
 * the order given (a heatmap's fields need not be sorted); a bucket whose `le` is no number has no band.
 */
export function bucketBands(les: string[]): Map<string, DurationBand> {
  const bounds = [...new Set(les)]
    .map((le) => ({ le, upper: parseUpperBound(le) }))
    .filter((b): b is { le: string; upper: number } => b.upper !== undefined)
    .sort((a, b) => a.upper - b.upper);
  const bands = new Map<string, DurationBand>();
  let previous: { upper: number; band: DurationBand } | undefined;
  for (const { le, upper } of bounds) {
    // "1" and "1.0" name the same bound: the same band.
    const band =
      previous?.upper === upper
        ? previous.band
        : {
            ...(previous !== undefined ? { minMs: toMs(previous.upper) } : {}),
            ...(Number.isFinite(upper) ? { maxMs: toMs(upper) } : {}),
          };
    bands.set(le, band);
    previous = { upper, band };
  }
  return bands;
}

/** The data link title a heatmap row shows: "Slow spans between 100 ms and 250 ms". */
export function bandLinkTitle(band: DurationBand): string {
  return `Slow spans ${describeBand(band)}`;
}

/** A bucket field's `le`: its label, else its name (Prometheus' heatmap format names fields by `le`). */
const leOf = (field: DataFrame['fields'][number]) => field.labels?.le ?? field.name;

/**
 * The heatmap's frames with a data link on every bucket field to the spans of its band. Grafana's heatmap
 * shows a row's field links in the tooltip of its cells (pinned by a click), so the link is on the field.
 */
export function withBandLinks(frames: DataFrame[], linkTo: (band: DurationBand) => DataLink): DataFrame[] {
  const numberFields = frames.flatMap((f) => f.fields.filter((field) => field.type === FieldType.number));
  const bands = bucketBands(numberFields.map(leOf));
  return frames.map((frame) => ({
    ...frame,
    fields: frame.fields.map((field) => {
      const band = field.type === FieldType.number ? bands.get(leOf(field)) : undefined;
      if (!band) {
        return field;
      }
      return { ...field, config: { ...field.config, links: [...(field.config.links ?? []), linkTo(band)] } };
    }),
  }));
}
