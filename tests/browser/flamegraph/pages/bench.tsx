// The benchmark page: the same real profile, resized, drawn by three implementations in one browser.
// Each measurement runs from "data in hand" (a DataFrame already in memory) to "painted": the DOM
// or canvas is complete and a frame has been presented (requestAnimationFrame, then a task).
import { FlameGraph as GrafanaFlameGraph } from '@grafana/flamegraph';
import { createTheme, type DataFrame, ThemeContext } from '@grafana/data';
import flamegraph from 'd3-flame-graph';
import { select } from 'd3-selection';
import React from 'react';
import { flushSync } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';

import { FlameGraph } from '../../../../src/components/FlameGraph';
import { type Columns, loadFrame, resizeProfile, toColumns, toFrame, toNested } from './profiles';

export type Implementation = 'spanflame' | 'grafana' | 'd3-bare';

const WIDTH_PX = 1200;
const theme = createTheme({ colors: { mode: 'dark' } });
let base: Columns | undefined;
const frames = new Map<number, DataFrame>();

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
/** After the next rendering opportunity: a rAF callback runs before paint, the task after it runs after. */
const afterPaint = () =>
  new Promise<void>((resolve) =>
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve();
      channel.port2.postMessage(undefined);
    })
  );

type WithTransition = Element & { __transition?: unknown };
/** d3 elements are final once frames exist and no transition (even of 0 ms) is pending on them. */
function d3Complete(container: Element): boolean {
  const frames = container.querySelectorAll('g.frame');
  if (frames.length === 0) {
    return false;
  }
  for (const element of container.querySelectorAll('g.frame, g.frame rect, g.frame div')) {
    if ((element as WithTransition).__transition) {
      return false;
    }
  }
  return Boolean(container.querySelector('.d3-flame-graph-label')?.textContent);
}

/** The canvas is drawn once its top-left (the root bar) has pixels. */
function canvasComplete(container: Element): boolean {
  const canvas = container.querySelector('canvas');
  if (!canvas || canvas.width === 0) {
    return false;
  }
  const pixel = canvas.getContext('2d')!.getImageData(4, 4, 1, 1).data;
  return pixel[3] > 0;
}

/** Timestamps of each frame waited for in the last measurement, to see where time goes. */
export const frameTimes: number[] = [];

async function until(done: () => boolean, limitMs = 60_000): Promise<void> {
  const start = performance.now();
  frameTimes.push(start);
  while (!done()) {
    if (performance.now() - start > limitMs) {
      throw new Error('not painted in time');
    }
    await nextFrame();
    frameTimes.push(performance.now());
  }
}

let mounted: { root?: Root; container: HTMLElement; chart?: { destroy(): void } } | undefined;

function freshContainer(): HTMLElement {
  unmount();
  const container = document.createElement('div');
  container.style.width = `${WIDTH_PX}px`;
  document.getElementById('root')!.appendChild(container);
  mounted = { container };
  return container;
}

function unmount() {
  mounted?.root?.unmount();
  mounted?.chart?.destroy();
  mounted?.container.remove();
  mounted = undefined;
}

function frameOf(nodes: number): DataFrame {
  let frame = frames.get(nodes);
  if (!frame) {
    frame = toFrame(resizeProfile(base!, nodes));
    frames.set(nodes, frame);
  }
  return frame;
}

let pending: { impl: Implementation; nodes: number; withTable: boolean; full: boolean } | undefined;

/** Everything before the clock starts: data resized, a fresh container, garbage collected, a frame painted. */
async function setup(impl: Implementation, nodes: number, withTable: boolean, full = false): Promise<void> {
  frameOf(nodes);
  freshContainer();
  (window as { gc?: () => void }).gc?.();
  await afterPaint();
  pending = { impl, nodes, withTable, full };
}

/** The measured part: from the DataFrame in hand to the flame graph painted (then the table, if any). */
async function renderNow(): Promise<{ ms: number; tableMs?: number; frames: number[] }> {
  const { impl, nodes, withTable, full } = pending!;
  const data = frameOf(nodes);
  const container = mounted!.container;
  frameTimes.length = 0;
  const start = performance.now();
  if (impl === 'd3-bare') {
    // As the d3-flame-graph README shows it, with the minFrameSize(1) and transitions at 0 ms
    // (its new rects still grow over d3's default 250 ms: that is what a page shows).
    const chart = flamegraph<unknown>().width(WIDTH_PX).minFrameSize(1).transitionDuration(0);
    select(container)
      .datum(toNested(data))
      .call(chart as never);
    mounted!.chart = chart;
    await until(() => d3Complete(container));
  } else {
    const root = createRoot(container);
    mounted!.root = root;
    flushSync(() =>
      root.render(
        <ThemeContext.Provider value={theme}>
          {impl === 'spanflame' ? (
            // Like Grafana's below: the flame graph only, unless the table (or, for zoom and
            // search, the header with its breadcrumb and search box) is wanted.
            <FlameGraph data={data} showTable={withTable} showFlameGraphOnly={!withTable && !full} />
          ) : (
            <GrafanaFlameGraph data={data} getTheme={() => theme} showFlameGraphOnly={!withTable} />
          )}
        </ThemeContext.Provider>
      )
    );
    await until(() => (impl === 'spanflame' ? d3Complete(container) : canvasComplete(container)));
  }
  await afterPaint();
  const ms = performance.now() - start;
  let tableMs: number | undefined;
  if (withTable) {
    await until(() =>
      Boolean(container.querySelector('[data-testid="top-function-row"], table tbody tr, [role="row"] + [role="row"]'))
    );
    await afterPaint();
    tableMs = performance.now() - start;
  }
  return { ms, tableMs, frames: frameTimes.map((t) => Math.round(t - start)) };
}

async function render(impl: Implementation, nodes: number, withTable: boolean, full = false) {
  await setup(impl, nodes, withTable, full);
  return renderNow();
}

/** Zoom into the widest child of the root by clicking it, as a person would. */
async function zoom(nodes: number): Promise<{ ms: number; committed: number; draw: number }> {
  await render('spanflame', nodes, false, true);
  return zoomOnly();
}

/** The zoom measurement on what is mounted now. */
async function zoomOnly(): Promise<{ ms: number; committed: number; draw: number }> {
  const container = mounted!.container;
  const frames = [...container.querySelectorAll<SVGGElement>('g.frame')];
  type Framed = SVGGElement & { __data__?: { depth: number; x0: number; x1: number } };
  const target = (frames as Framed[])
    .filter((f) => f.__data__?.depth === 2)
    .sort((a, b) => b.__data__!.x1 - b.__data__!.x0 - (a.__data__!.x1 - a.__data__!.x0))[0];
  await afterPaint();
  performance.clearMeasures('spanflame:draw');
  const start = performance.now();
  flushSync(() => target.dispatchEvent(new MouseEvent('click', { bubbles: true })));
  const committed = performance.now() - start;
  await until(() => Boolean(container.querySelector('[data-testid="zoom-path"]')) && d3Complete(container));
  await afterPaint();
  const draw = performance.getEntriesByName('spanflame:draw').reduce((sum, m) => sum + m.duration, 0);
  return { ms: performance.now() - start, committed, draw };
}

/** Type a search term into the search box; done when the exact matched share is shown and frames recoloured. */
async function search(nodes: number, term: string): Promise<{ ms: number; summary: string }> {
  await render('spanflame', nodes, false, true);
  return searchOnly(term);
}

async function searchOnly(term: string): Promise<{ ms: number; summary: string }> {
  const container = mounted!.container;
  const input = container.querySelector<HTMLInputElement>(
    'input[data-testid="flame-search"], [data-testid="flame-search"] input'
  )!;
  await afterPaint();
  const start = performance.now();
  const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
  flushSync(() => {
    setValue.call(input, term);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await until(() => Boolean(container.querySelector('[data-testid="search-summary"]')) && d3Complete(container));
  await afterPaint();
  const ms = performance.now() - start;
  return { ms, summary: container.querySelector('[data-testid="search-summary"]')!.textContent ?? '' };
}

async function prepare(fixture: string): Promise<number> {
  base = toColumns(await loadFrame(fixture));
  frames.clear();
  return base.level.length;
}

Object.assign(window, { bench: { prepare, setup, renderNow, render, zoom, zoomOnly, search, searchOnly, unmount } });
document.body.style.background = theme.colors.background.primary;
