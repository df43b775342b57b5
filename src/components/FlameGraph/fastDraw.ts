import { selection } from 'd3-selection';

/** The part of a d3 transition d3-flame-graph 5 calls (duration, ease, delay, then attr/text/style). */
interface InstantTransition {
  duration(): InstantTransition;
  ease(): InstantTransition;
  delay(): InstantTransition;
  attr(name: string, value: unknown): InstantTransition;
  text(value: unknown): InstantTransition;
  style(name: string, value: unknown): InstantTransition;
}

/** The d3 selection methods used here, on `this` inside the swapped prototype methods. */
interface SelectionLike {
  attr(name: string, value: unknown): unknown;
  text(value: unknown): unknown;
  style(name: string, value: unknown): unknown;
  select(selector: (this: Element, datum: FrameExtent) => Element | null): SelectionLike;
}

/** What d3-hierarchy's partition leaves on each frame's datum: its extent as a fraction of the width. */
interface FrameExtent {
  x0: number;
  x1: number;
}

function instantTransition(this: SelectionLike): InstantTransition {
  const target = this;
  const instant: InstantTransition = {
    duration: () => instant,
    ease: () => instant,
    delay: () => instant,
    attr: (name, value) => (target.attr(name, value), instant),
    text: (value) => (target.text(value), instant),
    style: (name, value) => (target.style(name, value), instant),
  };
  return instant;
}

export interface FastDrawOptions {
  widthPx: number;
  /** Frames narrower than this get no label box (see FlameChart's fitLabelBoxes). */
  labelMinWidthPx: number;
}

/**
 * Runs a d3-flame-graph draw with two d3 selection methods swapped for the duration of the call.
 *
 * - `transition()`: d3-flame-graph animates every redraw through d3-transition; even at
 *   transitionDuration(0) each frame gets three transitions that start on the next animation frame,
 *   and new frames grow over d3's default 250 ms because that transition sets no duration. For
 *   thousands of frames the scheduling costs more than drawing, and the first paint shows empty,
 *   unlabelled bars. The chart never animates here (zoom is a re-layout of pruned data), so the
 *   swapped method returns an object that sets the end state at once.
 * - `append('foreignObject')`: d3-flame-graph gives every new frame an HTML label box, even where no
 *   label fits; such boxes are not created (its later redraws skip frames that have none).
 * - `on()`: d3-flame-graph rebinds click, mouseover and mouseout on every frame at every redraw; the
 *   chart listens once on its container instead (FlameChart), so these bindings are skipped.
 *
 * The draw is synchronous and the originals are restored before returning, so nothing else on the
 * page ever sees the swap.
 */
export function withFastDraw<T>(options: FastDrawOptions, draw: () => T): T {
  const prototype = selection.prototype as {
    transition?: unknown;
    on: unknown;
    append: (this: SelectionLike, name: string) => SelectionLike;
  };
  const originalTransition = prototype.transition;
  const originalAppend = prototype.append;
  const originalOn = prototype.on;
  prototype.transition = instantTransition;
  prototype.on = function (this: SelectionLike) {
    return this;
  };
  prototype.append = function (this: SelectionLike, name: string) {
    if (name !== 'foreignObject') {
      return originalAppend.call(this, name);
    }
    return this.select(function (this: Element, frame: FrameExtent) {
      const fits = (frame.x1 - frame.x0) * options.widthPx >= options.labelMinWidthPx;
      return fits ? this.appendChild(document.createElementNS('http://www.w3.org/2000/svg', 'foreignObject')) : null;
    });
  };
  try {
    return draw();
  } finally {
    prototype.transition = originalTransition;
    prototype.append = originalAppend;
    prototype.on = originalOn;
  }
}
