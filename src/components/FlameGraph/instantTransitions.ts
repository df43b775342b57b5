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

interface SelectionLike {
  attr(name: string, value: unknown): unknown;
  text(value: unknown): unknown;
  style(name: string, value: unknown): unknown;
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
 * Runs `draw` with d3 transitions that apply their end state at once.
 *
 * d3-flame-graph animates every redraw through d3-transition: even at transitionDuration(0) each
 * frame gets three transitions (move, resize, label) that start on the next animation frame, and new
 * frames grow over d3's default 250 ms because that transition sets no duration. For thousands of
 * frames that scheduling costs more than drawing, and the first paint shows empty, unlabelled bars.
 * The chart here never animates (zoom is a re-layout of pruned data), so while `draw` runs
 * synchronously `selection.transition()` hands back an object that sets attributes directly. The
 * original is restored before returning, so nothing else on the page sees the swap.
 */
export function withInstantTransitions<T>(draw: () => T): T {
  const prototype = selection.prototype as { transition?: unknown };
  const original = prototype.transition;
  prototype.transition = instantTransition;
  try {
    return draw();
  } finally {
    prototype.transition = original;
  }
}
