import { useStyles2 } from '@grafana/ui';
import React from 'react';

import { type CoverageFunction } from '../domain/readCoverage';
import { functionCells } from './tableStyles';

interface Props {
  functions: CoverageFunction[];
  /** The unlinked total, to show each function's part of it; unknown in an alerting answer. */
  unlinkedTotal?: number;
  formatValue: (value: number) => string;
}

/** "pkg/path.(*Type).Method" -> "(*Type).Method" after the last slash, for a narrow column. */
export function shortFunctionName(name: string): string {
  const slash = name.lastIndexOf('/');
  const tail = slash >= 0 ? name.slice(slash + 1) : name;
  const dot = tail.indexOf('.');
  return dot > 0 && tail.slice(dot + 1) ? tail : name;
}

/**
 * The "why": the functions the unlinked samples run under, by cumulative value. A worker pool's
 * loop or a background job near the top says the CPU is spent outside any request.
 */
export function CoverageReasons({ functions, unlinkedTotal, formatValue }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <table className={styles.table} data-testid="coverage-reasons">
      <thead>
        <tr>
          <th>Where the CPU without a trace link runs</th>
          <th className={styles.number}>Total</th>
          {unlinkedTotal ? <th className={styles.bar}>of unlinked</th> : null}
        </tr>
      </thead>
      <tbody>
        {functions.map((fn) => {
          const part = unlinkedTotal ? Math.min(1, fn.cumulative / unlinkedTotal) : undefined;
          return (
            <tr key={fn.name} data-testid="coverage-reason">
              <td className={styles.name} title={[fn.name, fn.file].filter(Boolean).join('\n')}>
                {shortFunctionName(fn.name)}
              </td>
              <td className={styles.number}>{formatValue(fn.cumulative)}</td>
              {part !== undefined && (
                <td className={styles.bar}>
                  <div className={styles.track} aria-label={`${(part * 100).toFixed(0)}% of the unlinked value`}>
                    <div className={styles.fill} style={{ width: `${part * 100}%` }} />
                  </div>
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

const getStyles = functionCells;
