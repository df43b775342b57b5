import { ContextMenu, MenuItem } from '@grafana/ui';
import React from 'react';

import { type FlameDatum } from './prune';

export interface FrameMenuTarget {
  datum: FlameDatum;
  /** Viewport position the menu opens at. */
  x: number;
  y: number;
}

export interface FrameContextMenuProps extends FrameMenuTarget {
  onClose: () => void;
  onZoom: (datum: FlameDatum) => void;
  /** Highlights every frame of the function, as selecting its row in the functions table does. */
  onHighlight: (node: number) => void;
  /** Absent where the sandwich cannot be shown (the chart-only mode has no way back from it). */
  onSandwich?: (node: number) => void;
}

/**
 * What a right click (or the context-menu key) on a frame offers, after @grafana/flamegraph's
 * menu: zoom, highlight the function, its sandwich, copy its name. A left click still zooms at
 * once, as before. An "N smaller frames" aggregate is no function, so it offers zoom only.
 */
export function FrameContextMenu({ datum, x, y, onClose, onZoom, onHighlight, onSandwich }: FrameContextMenuProps) {
  const isFunction = datum.node >= 0;
  // ContextMenu closes itself (onClose) after any item's onClick.
  return (
    <ContextMenu
      x={x}
      y={y}
      onClose={onClose}
      focusOnOpen
      renderHeader={() => <div data-testid="frame-menu-title">{datum.name}</div>}
      renderMenuItems={() => (
        <>
          <MenuItem
            label={isFunction ? 'Zoom into this frame' : 'Zoom into the parent of these frames'}
            icon="search-plus"
            onClick={() => onZoom(datum)}
          />
          {isFunction && (
            <MenuItem label="Highlight this function everywhere" icon="eye" onClick={() => onHighlight(datum.node)} />
          )}
          {isFunction && onSandwich && (
            <MenuItem
              label="Sandwich view: callers and callees"
              icon="gf-show-context"
              onClick={() => onSandwich(datum.node)}
            />
          )}
          {isFunction && (
            <MenuItem
              label="Copy function name"
              icon="copy"
              // Clipboard access can be refused (insecure origin, permissions): nothing to undo then.
              onClick={() => void navigator.clipboard?.writeText(datum.name).catch(() => undefined)}
            />
          )}
        </>
      )}
    />
  );
}
