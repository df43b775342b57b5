import { type DataFrame, dataFrameFromJSON, type DataFrameJSON, FieldType, type Labels } from '@grafana/data';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { COVERAGE_FRAME_NAMES } from '../domain/readCoverage';

const RECORDED = join(__dirname, '../../../../pkg/plugin/testdata/recorded');

/**
 * The frames a recorded backend test answered with (pkg/plugin/testdata/recorded/<name>.jsonc, the
 * golden file the Go test writes), decoded as Grafana's front end decodes /api/ds/query. The panel's
 * tests read the backend's real output, so a change of frame shape there fails here.
 */
export function recordedFrames(name: string): DataFrame[] {
  const text = readFileSync(join(RECORDED, `${name}.jsonc`), 'utf8');
  const json = JSON.parse(
    text
      .split('\n')
      .filter((line) => !line.startsWith('//'))
      .join('\n')
  ) as { frames: DataFrameJSON[] };
  return json.frames.map((frame) => dataFrameFromJSON(frame));
}

/** One group's series frame as pkg/plugin/coverage_frames.go builds it (linked/unlinked per step). */
export function seriesFrame(
  labels: Labels | undefined,
  linked: number[],
  unlinked: number[],
  start = 1_700_000_000_000
) {
  const times = linked.map((_, i) => start + i * 15_000);
  const shares = linked.map((l, i) => (l + unlinked[i] > 0 ? (100 * unlinked[i]) / (l + unlinked[i]) : null));
  return {
    name: COVERAGE_FRAME_NAMES.series,
    fields: [
      { name: 'time', type: FieldType.time, config: {}, values: times },
      { name: 'linked', type: FieldType.number, config: { unit: 'ns' }, labels, values: linked },
      { name: 'unlinked', type: FieldType.number, config: { unit: 'ns' }, labels, values: unlinked },
      { name: 'unlinked share', type: FieldType.number, config: { unit: 'percent' }, labels, values: shares },
    ],
    length: times.length,
  } satisfies DataFrame;
}

/** The per-group share frame (numeric-long: one row per label set), as alert rules get it. */
export function shareFrame(label: string | undefined, rows: Array<[string, number]>): DataFrame {
  return {
    name: COVERAGE_FRAME_NAMES.share,
    fields: [
      ...(label ? [{ name: label, type: FieldType.string, config: {}, values: rows.map((r) => r[0]) }] : []),
      { name: 'unlinked share', type: FieldType.number, config: { unit: 'percent' }, values: rows.map((r) => r[1]) },
    ],
    length: rows.length,
  };
}

/** A coverage answer grouped by service_name: frontend 20%, checkout 50%, payments 0% unlinked. */
export function groupedCoverage(): DataFrame[] {
  return [
    seriesFrame({ service_name: 'checkout' }, [10, 10], [10, 10]),
    seriesFrame({ service_name: 'frontend' }, [30, 50], [10, 10]),
    seriesFrame({ service_name: 'payments' }, [40, 40], [0, 0]),
    shareFrame('service_name', [
      ['checkout', 50],
      ['frontend', 20],
      ['payments', 0],
    ]),
  ];
}
