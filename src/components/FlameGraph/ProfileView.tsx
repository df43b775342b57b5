import { css } from '@emotion/css';
import { type GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import React, { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';

import { createFlamePalette, createPackageColorer, diffChange, diffStep } from './colors';
import { FlameChart } from './FlameChart';
import { type Crumb, FlameGraphHeader } from './FlameGraphHeader';
import { FlameTooltip } from './FlameTooltip';
import { makeValueFormatter } from './format';
import { describeFrame, describeFrameText } from './frameDetails';
import { FrameContextMenu, type FrameMenuTarget } from './FrameContextMenu';
import { indexFrames, KEY_MOVES, moveFocus } from './keyboard';
import { ancestorsOf, baselineTotal, nameOf, namePathOf, nodeAtNamePath, type ProfileTree } from './profileTree';
import { type FlameDatum, pruneForView } from './prune';
import { SandwichView } from './SandwichView';
import { searchProfile, selectFunction } from './search';
import { summarizeFunctions } from './topFunctions';
import { TopFunctionsTable } from './TopFunctionsTable';
import { useContainerWidth } from './useContainerWidth';

/** The drawn profile: header, chart (or sandwich), status line, functions table, menus. */
export interface ProfileViewProps {
  tree: ProfileTree;
  showTableInitially: boolean;
  minFramePx: number;
  loading?: boolean;
  chartOnly: boolean;
  zoomPath?: readonly string[];
  onZoomPathChange?: (path: string[]) => void;
}

/** The zoom a caller keeps, as a node of this tree; 0 (the root) when it keeps none. */
function useKeptZoom(tree: ProfileTree, zoomPath: readonly string[] | undefined) {
  const key = zoomPath?.join(ZOOM_PATH_SEPARATOR) ?? '';
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` is the path's content.
  return useMemo(() => (zoomPath ? nodeAtNamePath(tree, zoomPath) : 0), [tree, key]);
}

/** Joins a zoom path for comparison and for URLs: as in collapsed ("folded") stacks. */
export const ZOOM_PATH_SEPARATOR = ';';

export function ProfileView({
  tree,
  showTableInitially,
  minFramePx,
  loading,
  chartOnly,
  zoomPath,
  onZoomPathChange,
}: ProfileViewProps) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const palette = useMemo(() => createFlamePalette(theme), [theme]);
  const format = useMemo(() => makeValueFormatter(tree.unit), [tree.unit]);
  const keptZoom = useKeptZoom(tree, zoomPath);
  const [zoomNode, setZoomNode] = useState(keptZoom);
  const [search, setSearch] = useState('');
  const [selectedNameId, setSelectedNameId] = useState<number | undefined>(undefined);
  const [sandwichNameId, setSandwichNameId] = useState<number | undefined>(undefined);
  const [showTable, setShowTable] = useState(showTableInitially);
  const [hover, setHover] = useState<{ datum: FlameDatum; x: number; y: number } | undefined>(undefined);
  const [focusedNode, setFocusedNode] = useState<number | undefined>(undefined);
  // Opened from the keyboard, closing the menu gives focus back to the chart.
  const [menu, setMenu] = useState<(FrameMenuTarget & { fromKeyboard?: boolean }) | undefined>(undefined);
  const searchInputRef = useRef<HTMLInputElement>(null);
  const chartFocusRef = useRef<HTMLDivElement>(null);
  const chartAreaRef = useRef<HTMLDivElement>(null);
  const width = useContainerWidth(chartAreaRef);

  // New data: start over at the root, or where the kept zoom leads (indexes of the old tree mean
  // nothing in the new one). A kept zoom that changes (the URL's back button) moves the view too.
  const [treeSeen, setTreeSeen] = useState(tree);
  const [keptZoomSeen, setKeptZoomSeen] = useState(keptZoom);
  if (keptZoomSeen !== keptZoom && treeSeen === tree) {
    setKeptZoomSeen(keptZoom);
    setZoomNode(keptZoom);
  }
  if (treeSeen !== tree) {
    setTreeSeen(tree);
    setKeptZoomSeen(keptZoom);
    setZoomNode(keptZoom);
    setSelectedNameId(undefined);
    setSandwichNameId(undefined);
    setFocusedNode(undefined);
    setHover(undefined);
    setMenu(undefined);
  }

  const view = useMemo(
    () =>
      width > 0 ? pruneForView(tree, Math.min(zoomNode, tree.count - 1), { widthPx: width, minFramePx }) : undefined,
    [tree, zoomNode, width, minFramePx]
  );
  const searchResult = useMemo(() => searchProfile(tree, search), [tree, search]);
  const selection = useMemo(
    () => (selectedNameId !== undefined ? selectFunction(tree, selectedNameId) : undefined),
    [tree, selectedNameId]
  );
  const highlight = selection ?? searchResult;

  // The table waits for the graph: React paints the flame graph first, then fills the table
  // (a pass over every node). A hidden table costs nothing.
  const tableTree = useDeferredValue(showTable ? tree : undefined, undefined);
  const functions = useMemo(() => (tableTree ? summarizeFunctions(tableTree) : []), [tableTree]);

  const packageColorOf = useMemo(() => createPackageColorer(palette, tree.names), [tree, palette]);
  const colorOf = useCallback(
    (datum: FlameDatum): string => {
      if (datum.node < 0) {
        return palette.other;
      }
      const id = tree.nameId[datum.node];
      if (highlight && !highlight.matchesName[id]) {
        return palette.dimmed;
      }
      if (tree.totalRight) {
        const rootRight = tree.totalRight[0];
        const change = diffChange(
          baselineTotal(tree, datum.node),
          tree.totalRight[datum.node],
          tree.total[0] - rootRight,
          rootRight
        );
        return palette.diff[diffStep(change)];
      }
      return packageColorOf(id);
    },
    [tree, palette, highlight, packageColorOf]
  );
  const colorKey = `${theme.colors.mode}|${search}|${selectedNameId ?? ''}`;

  const zoomTo = useCallback(
    (node: number) => {
      setZoomNode(node);
      setFocusedNode(node);
      onZoomPathChange?.(namePathOf(tree, node));
    },
    [tree, onZoomPathChange]
  );
  const onFrameClick = useCallback(
    (datum: FlameDatum) => zoomTo(datum.node >= 0 ? datum.node : (datum.otherParent ?? 0)),
    [zoomTo]
  );
  const onFrameHover = useCallback((datum: FlameDatum | undefined, event?: MouseEvent) => {
    setHover(datum && event ? { datum, x: event.clientX, y: event.clientY } : undefined);
  }, []);
  const onFrameMenu = useCallback((datum: FlameDatum, event: MouseEvent) => {
    setMenu({ datum, x: event.clientX, y: event.clientY });
  }, []);
  const highlightFunction = (node: number) => {
    setSearch('');
    setSelectedNameId(tree.nameId[node]);
  };

  const crumbs: Crumb[] = useMemo(
    () => (zoomNode > 0 ? ancestorsOf(tree, zoomNode).map((node) => ({ node, name: nameOf(tree, node) })) : []),
    [tree, zoomNode]
  );

  // "/" focuses the search box from anywhere in the component, as in Grafana's own views.
  const rootRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = rootRef.current;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === '/' && !(event.target instanceof HTMLInputElement)) {
        event.preventDefault();
        searchInputRef.current?.focus();
      }
    };
    element?.addEventListener('keydown', onKey);
    return () => element?.removeEventListener('keydown', onKey);
  }, []);

  const frameIndex = useMemo(() => (view ? indexFrames(view.root) : undefined), [view]);
  const onChartKeyDown = (event: React.KeyboardEvent) => {
    if (!frameIndex) {
      return;
    }
    const current = focusedNode ?? zoomNode;
    const move = KEY_MOVES[event.key];
    if (move) {
      event.preventDefault();
      setFocusedNode(moveFocus(frameIndex, current, move));
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      zoomTo(current);
    } else if (event.key === 'Escape' || event.key === 'Backspace') {
      event.preventDefault();
      zoomTo(Math.max(0, tree.parent[zoomNode]));
    } else if (event.key === 'Home') {
      event.preventDefault();
      zoomTo(0);
    } else if (event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) {
      const entry = frameIndex.byNode.get(current);
      if (entry) {
        event.preventDefault();
        const box = event.currentTarget.getBoundingClientRect();
        setMenu({ datum: entry.datum, x: box.left, y: box.top, fromKeyboard: true });
      }
    }
  };
  const focusedEntry = focusedNode !== undefined ? frameIndex?.byNode.get(focusedNode) : undefined;
  const focusedText = focusedEntry ? describeFrameText(describeFrame(tree, focusedEntry.datum, format)) : '';

  const selectedName = selectedNameId !== undefined ? tree.names[selectedNameId] : undefined;
  return (
    <div ref={rootRef} className={styles.container} data-testid="flame-graph" aria-busy={loading || undefined}>
      {!chartOnly && (
        <FlameGraphHeader
          search={search}
          onSearchChange={(text) => {
            setSearch(text);
            setSelectedNameId(undefined);
          }}
          highlight={highlight}
          highlightLabel={selectedName}
          format={format}
          crumbs={crumbs}
          onZoom={zoomTo}
          isDiff={Boolean(tree.totalRight)}
          palette={palette}
          showTable={showTable}
          onToggleTable={() => setShowTable((shown) => !shown)}
          sandwichName={sandwichNameId !== undefined ? tree.names[sandwichNameId] : undefined}
          onCloseSandwich={() => setSandwichNameId(undefined)}
          searchInputRef={searchInputRef}
        />
      )}
      <div className={styles.body}>
        <div ref={chartAreaRef} className={styles.chartArea}>
          {sandwichNameId !== undefined ? (
            <SandwichView
              tree={tree}
              nameId={sandwichNameId}
              width={width}
              minFramePx={minFramePx}
              palette={palette}
              format={format}
              onSelectFunction={setSandwichNameId}
            />
          ) : (
            view && (
              <div
                ref={chartFocusRef}
                className={styles.chartFocus}
                tabIndex={0}
                role="group"
                aria-roledescription="flame graph"
                aria-label="Flame graph. Arrow keys move between frames, Enter zooms in, Escape zooms out, Home resets, / searches, the context-menu key or Shift+F10 opens the frame's menu."
                onKeyDown={onChartKeyDown}
                onFocus={() => focusedNode === undefined && setFocusedNode(zoomNode)}
              >
                <FlameChart
                  root={view.root}
                  width={width}
                  palette={palette}
                  colorOf={colorOf}
                  colorKey={colorKey}
                  onFrameClick={onFrameClick}
                  onFrameHover={onFrameHover}
                  onFrameMenu={onFrameMenu}
                  focusedNode={focusedNode}
                />
              </div>
            )
          )}
          {!chartOnly && (
            <div className={styles.status} aria-live="polite" data-testid="flame-status">
              {focusedText ||
                (view && sandwichNameId === undefined
                  ? `${view.frameCount.toLocaleString()} frames drawn, ${view.hiddenNodeCount.toLocaleString()} narrower than ${minFramePx} px folded into "smaller frames"; totals cover all ${tree.count.toLocaleString()} nodes.`
                  : '')}
            </div>
          )}
        </div>
        {showTable && sandwichNameId === undefined && (
          <div className={styles.tableArea}>
            <TopFunctionsTable
              functions={functions}
              rootTotal={tree.total[0]}
              rootTotalRight={tree.totalRight?.[0]}
              format={format}
              palette={palette}
              selectedNameId={selectedNameId}
              filter={searchResult?.matchesName}
              onSelect={setSelectedNameId}
              onSandwich={setSandwichNameId}
            />
          </div>
        )}
      </div>
      {menu && (
        <FrameContextMenu
          datum={menu.datum}
          x={menu.x}
          y={menu.y}
          onClose={() => {
            setMenu(undefined);
            if (menu.fromKeyboard) {
              chartFocusRef.current?.focus();
            }
          }}
          onZoom={onFrameClick}
          onHighlight={highlightFunction}
          onSandwich={chartOnly ? undefined : (node) => setSandwichNameId(tree.nameId[node])}
        />
      )}
      {hover && !menu && <FlameTooltip details={describeFrame(tree, hover.datum, format)} x={hover.x} y={hover.y} />}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({ display: 'flex', flexDirection: 'column', width: '100%', minWidth: 0 }),
  body: css({ display: 'flex', gap: theme.spacing(1), alignItems: 'stretch', minWidth: 0 }),
  chartArea: css({ flex: '3 1 0', minWidth: 0 }),
  chartFocus: css({
    borderRadius: theme.shape.radius.default,
    '&:focus-visible': { outline: `2px solid ${theme.colors.primary.main}`, outlineOffset: 2 },
  }),
  tableArea: css({ flex: '2 1 0', minWidth: 0, maxHeight: 640 }),
  status: css({
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    minHeight: '1.5em',
  }),
});
