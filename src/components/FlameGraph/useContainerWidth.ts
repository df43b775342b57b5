import { type RefObject, useLayoutEffect, useState } from 'react';

/**
 * Width of an element in CSS pixels, following resizes. Measured in a layout effect so the first
 * paint already has the right width (the pruning threshold depends on it).
 */
export function useContainerWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) {
      return;
    }
    setWidth(Math.floor(element.getBoundingClientRect().width));
    const observer = new ResizeObserver((entries) => {
      const next = Math.floor(entries[entries.length - 1].contentRect.width);
      // Sub-pixel jitter would re-prune for nothing.
      setWidth((previous) => (Math.abs(previous - next) >= 1 ? next : previous));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}
