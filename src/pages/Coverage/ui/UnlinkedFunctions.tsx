import { Button, useStyles2 } from '@grafana/ui';
import React, { useState } from 'react';

import { shortFunctionName } from '../../../panels/coverage/ui/CoverageReasons';
import { functionCells } from '../../../panels/coverage/ui/tableStyles';
import { formatShare } from '../domain/reasons';
import type { UnlinkedFunction } from '../domain/unlinkedFunctions';

/** Rows shown before "Show all": the list is ranked, the rest stays one click away. */
const FIRST_ROWS = 10;

interface Props {
  /** Ranked by rankUnlinkedFunctions. */
  functions: UnlinkedFunction[];
  formatValue: (value: number) => string;
}

/**
 * Where the service's CPU without a trace link comes from: its functions with their unlinked
 * value, how much of their own value that is, and their part of all the unlinked value.
 */
export function UnlinkedFunctions({ functions, formatValue }: Props) {
  const styles = useStyles2(getStyles);
  const [showAll, setShowAll] = useState(false);
  const shown = showAll ? functions : functions.slice(0, FIRST_ROWS);
  const withOwnShare = functions.some((f) => f.ownShare !== undefined);
  const withPart = functions.some((f) => f.ofUnlinked !== undefined);
  return (
    <div>
      <table className={styles.table} data-testid="coverage-reasons">
        <thead>
          <tr>
            <th>Where the CPU without a trace link comes from</th>
            <th className={styles.number}>Unlinked</th>
            {withOwnShare && (
              <th className={styles.number} title="The part of the function's own CPU that has no trace link">
                of its CPU
              </th>
            )}
            {withPart && <th className={styles.bar}>of all unlinked</th>}
          </tr>
        </thead>
        <tbody>
          {shown.map((fn) => (
            <tr key={fn.name} data-testid="coverage-reason" data-function={fn.name}>
              <td className={styles.name} title={[fn.name, fn.file].filter(Boolean).join('\n')}>
                {shortFunctionName(fn.name)}
              </td>
              <td className={styles.number}>{formatValue(fn.unlinked)}</td>
              {withOwnShare && (
                <td className={styles.number} data-testid="coverage-function-own-share">
                  {fn.ownShare === undefined ? '' : formatShare(fn.ownShare)}
                </td>
              )}
              {withPart && (
                <td className={styles.bar}>
                  {fn.ofUnlinked !== undefined && (
                    <div className={styles.track} aria-label={`${formatShare(fn.ofUnlinked)} of the unlinked value`}>
                      <div className={styles.fill} style={{ width: `${fn.ofUnlinked}%` }} />
                    </div>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {functions.length > FIRST_ROWS && (
        <Button size="sm" variant="secondary" fill="text" onClick={() => setShowAll(!showAll)}>
          {showAll ? `Show the first ${FIRST_ROWS}` : `Show all ${functions.length} functions`}
        </Button>
      )}
    </div>
  );
}

const getStyles = functionCells;
