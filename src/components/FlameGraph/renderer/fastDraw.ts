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
  attr(name: string, value?: unknown): unknown;
  each(callback: (this: Element, datum: unknown, index: number, group: ArrayLike<Element>) => void): SelectionLike;
  text(value: unknown): unknown;
  style(name: string, value: unknown): unknown;
  select(selector: () => Element | null): SelectionLike;
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

/**
 * Runs a d3-flame-graph draw with two d3 selection methods swapped for the duration of the call.
 *
 * - `transition()`: d3-flame-graph animates every redraw through d3-transition; even at
 *   transitionDuration(0) each frame gets three transitions that start on the next animation frame,
 *   and new frames grow over d3's default 250 ms because that transition sets no duration. For
 *   thousands of frames the scheduling costs more than drawing, and the first paint shows empty,
 *   unlabelled bars. The chart never animates here (zoom is a re-layout of pruned data), so the
 *   swapped method returns an object that sets the end state at once.
 * - `append('foreignObject')`: d3-flame-graph gives every new frame an HTML label box (a
 *   <foreignObject> holding a <div>), each its own HTML layout root: with ~2,000 frames the browser's
 *   style and layout of those boxes cost more than the bars. None are created (its later redraws
 *   skip frames that have none); FlameChart draws labels as SVG <text> instead.
 * - `on()`: d3-flame-graph rebinds click, mouseover and mouseout on every frame at every redraw; the
 *   chart listens once on its container instead (FlameChart), so these bindings are skipped.
 * - `attr()`: d3-flame-graph writes eight attributes per frame at every redraw, and setAttribute on
 *   SVG elements was the largest single cost of a zoom (each write invalidates the element's style).
 *   Writes of an unchanged value are skipped (a getAttribute is far cheaper), as are `width` and
 *   `height` on a frame's <g>, which SVG ignores. See changedAttr.
 *
 * The draw is synchronous and the originals are restored before returning, so nothing else on the
 * page ever sees the swap.
 */
export function withFastDraw<T>(draw: () => T): T {
  const prototype = selection.prototype as {
    transition?: unknown;
    on: unknown;
    attr: SelectionLike['attr'];
    append: (this: SelectionLike, name: string) => SelectionLike;
  };
  const originalTransition = prototype.transition;
  const originalAppend = prototype.append;
  const originalOn = prototype.on;
  const originalAttr = prototype.attr;
  prototype.attr = function (this: SelectionLike, name: string, value?: unknown) {
    // Getters, constants and namespaced names (none of which d3-flame-graph redraws per frame) as d3 does.
    if (arguments.length < 2 || typeof value !== 'function' || name.includes(':')) {
      return arguments.length < 2 ? originalAttr.call(this, name) : originalAttr.call(this, name, value);
    }
    return this.each(function (datum, index, group) {
      changedAttr(this, name, (value as AttrValue).call(this, datum, index, group));
    });
  };
  prototype.transition = instantTransition;
  prototype.on = function (this: SelectionLike) {
    return this;
  };
  prototype.append = function (this: SelectionLike, name: string) {
    if (name !== 'foreignObject') {
      return originalAppend.call(this, name);
    }
    return this.select(() => null);
  };
  try {
    return draw();
  } finally {
    prototype.transition = originalTransition;
    prototype.append = originalAppend;
    prototype.on = originalOn;
    prototype.attr = originalAttr;
  }
}

type AttrValue = (this: Element, datum: unknown, index: number, group: ArrayLike<Element>) => unknown;

/** Sets an attribute only if its value changes, as d3's attr would set it (null removes it). */
export function changedAttr(element: Element, name: string, value: unknown) {
  if (value === null || value === undefined) {
    element.removeAttribute(name);
    return;
  }
  if (element.tagName === 'g' && (name === 'width' || name === 'height')) {
    return;
  }
  const text = String(value);
  if (element.getAttribute(name) !== text) {
    element.setAttribute(name, text);
  }
}
