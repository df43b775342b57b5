import { type FlameGraphNode } from 'd3-flame-graph';

import { type FlameDatum } from '../prune';

/** Height of one frame row, px (FlameChart's cellHeight). */
export const FRAME_HEIGHT_PX = 20;

/** A frame's <g> as d3-flame-graph leaves it: its hierarchy node kept by d3-selection. */
export type FrameElement = SVGGElement & { __data__?: FlameGraphNode<FlameDatum> };

/** Frames narrower than this carry no label (d3-flame-graph's own threshold). */
const LABEL_MIN_WIDTH_PX = 35;
/** Space between a frame's left edge and its label, and kept free at its right edge. */
const LABEL_PAD_PX = 4;
const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * Labels are SVG <text>, cut to the frame's width with an ellipsis, on frames at least
 * LABEL_MIN_WIDTH_PX wide. d3-flame-graph would give every frame an HTML label box
 * (<foreignObject><div>), each its own HTML layout root that the browser styles and lays out on
 * every draw; with ~2,000 frames that cost more than the bars (withFastDraw stops it creating them).
 * Text is measured without layout: the chart's font is monospace, so a label of n characters is
 * n times one character's advance (measured once per font on a canvas).
 */
export function drawLabels(container: HTMLElement, width: number, charWidthPx: number) {
  container.querySelectorAll<FrameElement>('g.frame').forEach((frame) => {
    const node = frame.__data__;
    if (!node) {
      return;
    }
    const frameWidth = (node.x1 - node.x0) * width;
    const last = frame.lastElementChild;
    const existing = last instanceof SVGTextElement ? last : null;
    const text =
      frameWidth >= LABEL_MIN_WIDTH_PX ? fitText(node.data.name, (frameWidth - 2 * LABEL_PAD_PX) / charWidthPx) : '';
    if (!text) {
      existing?.remove();
      return;
    }
    const label = existing ?? frame.appendChild(createLabel());
    if (label.textContent !== text) {
      label.textContent = text;
    }
  });
}

function createLabel(): SVGTextElement {
  const label = document.createElementNS(SVG_NS, 'text');
  label.setAttribute('class', 'd3-flame-graph-label');
  label.setAttribute('x', String(LABEL_PAD_PX));
  label.setAttribute('y', String(FRAME_HEIGHT_PX / 2));
  return label;
}

/** The name if it fits in `chars` characters, else its start and an ellipsis; '' if nothing useful fits. */
export function fitText(name: string, chars: number): string {
  const fit = Math.floor(chars);
  if (name.length <= fit) {
    return name;
  }
  return fit >= 2 ? `${name.slice(0, fit - 1)}…` : '';
}

const charWidths = new Map<string, number>();

/** Advance of one character in the container's (monospace) font, in px; cached per font. */
export function charWidthOf(container: HTMLElement): number {
  const style = getComputedStyle(container);
  const font = `${style.fontSize} ${style.fontFamily}`;
  let width = charWidths.get(font);
  if (width === undefined) {
    const context = document.createElement('canvas').getContext('2d');
    if (context) {
      context.font = font;
      // Averaged over a sample, so a proportional fallback font still fits roughly.
      const sample = 'runtime.mallocgc(*Type) net/http.(*conn).serve 0123456789';
      width = context.measureText(sample).width / sample.length;
    }
    // Without a canvas (jsdom), assume the common 0.6 em advance of monospace fonts.
    width = width || parseFloat(style.fontSize || '12') * 0.6 || 7;
    charWidths.set(font, width);
  }
  return width;
}
