import { css } from '@emotion/css';
import { type GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import React, { useCallback, useMemo, useState } from 'react';

import { diffChange, diffStep, type FlamePalette, packageColor } from './colors';
import { FlameChart } from './renderer/FlameChart';
import { FlameTooltip } from './FlameTooltip';
import { describeFrame } from './frameDetails';
import { type ProfileTree } from './profileTree';
import { type FlameDatum, pruneForView } from './prune';
import { buildSandwich } from './sandwich';

export interface SandwichViewProps {
  tree: ProfileTree;
  nameId: number;
  width: number;
  minFramePx: number;
  palette: FlamePalette;
  format: (value: number) => string;
  /** Clicking a caller or callee re-centres the sandwich on it. */
  onSelectFunction: (nameId: number) => void;
}

/**
 * Callers above, callees below, one function in the middle (both halves are rooted at it), merged
 * over every call site. Each half is pruned like the main graph, so huge profiles stay cheap.
 */
export function SandwichView({
  tree,
  nameId,
  width,
  minFramePx,
  palette,
  format,
  onSelectFunction,
}: SandwichViewProps) {
  const styles = useStyles2(getStyles);
  const sandwich = useMemo(() => buildSandwich(tree, nameId), [tree, nameId]);
  const [hover, setHover] = useState<{ tree: ProfileTree; datum: FlameDatum; x: number; y: number } | undefined>();

  const colorFor = useCallback(
    (half: ProfileTree) =>
      (datum: FlameDatum): string => {
        if (datum.node < 0) {
          return palette.other;
        }
        if (half.totalRight) {
          const rootRight = half.totalRight[0];
          const left = half.total[datum.node] - half.totalRight[datum.node];
          return palette.diff[
            diffStep(diffChange(left, half.totalRight[datum.node], half.total[0] - rootRight, rootRight))
          ];
        }
        return packageColor(palette, half.names[half.nameId[datum.node]]);
      },
    [palette]
  );

  // Memoized: hovering re-renders this view, and a new pruned root would redraw both charts.
  const halves = useMemo(
    () =>
      [
        { key: 'callers', title: 'Callers', tree: sandwich.callers, rootAtBottom: true },
        { key: 'callees', title: 'Callees', tree: sandwich.callees, rootAtBottom: false },
      ].map((half) => ({
        ...half,
        view: width > 0 ? pruneForView(half.tree, 0, { widthPx: width, minFramePx }) : undefined,
      })),
    [sandwich, width, minFramePx]
  );
  return (
    <div className={styles.sandwich} data-testid="sandwich">
      {halves.map(({ view, ...half }) => {
        return (
          <section key={half.key} aria-label={half.title}>
            <h4 className={styles.title}>{half.title}</h4>
            {view && (
              <FlameChart
                testId={`sandwich-${half.key}`}
                root={view.root}
                width={width}
                palette={palette}
                colorOf={colorFor(half.tree)}
                colorKey={`${nameId}|${palette.label}`}
                rootAtBottom={half.rootAtBottom}
                onFrameClick={(datum) => datum.node >= 0 && onSelectFunction(half.tree.nameId[datum.node])}
                onFrameHover={(datum, event) =>
                  setHover(datum && event ? { tree: half.tree, datum, x: event.clientX, y: event.clientY } : undefined)
                }
              />
            )}
          </section>
        );
      })}
      {hover && <FlameTooltip details={describeFrame(hover.tree, hover.datum, format)} x={hover.x} y={hover.y} />}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  sandwich: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  title: css({ margin: 0, fontSize: theme.typography.bodySmall.fontSize, color: theme.colors.text.secondary }),
});
