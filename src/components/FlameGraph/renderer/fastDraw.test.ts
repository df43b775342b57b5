import { select } from 'd3-selection';

import { changedAttr, withFastDraw } from './fastDraw';

const SVG = 'http://www.w3.org/2000/svg';

function frame(): { g: SVGGElement; rect: SVGRectElement; writes: string[] } {
  const g = document.createElementNS(SVG, 'g');
  const rect = document.createElementNS(SVG, 'rect');
  g.appendChild(rect);
  const writes: string[] = [];
  for (const element of [g, rect]) {
    const original = element.setAttribute.bind(element);
    element.setAttribute = (name: string, value: string) => {
      writes.push(`${element.tagName}.${name}=${value}`);
      original(name, value);
    };
  }
  return { g, rect, writes };
}

describe('changedAttr', () => {
  it('writes a new value, skips the same value, and removes on null', () => {
    const { rect, writes } = frame();
    changedAttr(rect, 'width', 12.5);
    changedAttr(rect, 'width', 12.5);
    changedAttr(rect, 'width', 13);
    expect(writes).toEqual(['rect.width=12.5', 'rect.width=13']);
    changedAttr(rect, 'width', null);
    expect(rect.hasAttribute('width')).toBe(false);
  });

  it("skips width and height on a frame's <g>, which SVG ignores", () => {
    const { g, writes } = frame();
    changedAttr(g, 'width', 10);
    changedAttr(g, 'height', 20);
    changedAttr(g, 'transform', 'translate(1,2)');
    expect(writes).toEqual(['g.transform=translate(1,2)']);
  });
});

describe('withFastDraw', () => {
  it('keeps d3 attr semantics inside the draw and restores d3 afterwards', () => {
    const { g, rect, writes } = frame();
    const selection = select(g);
    // d3-transition adds transition() to selections (d3-flame-graph imports it); withFastDraw swaps it.
    type Transitioning = {
      transition(): { duration(ms: number): { attr(name: string, value: () => string): unknown } };
    };
    withFastDraw(() => {
      selection.attr('class', () => 'frame').attr('width', () => 5);
      select(rect).attr('fill', () => '#fff');
      select(rect).attr('fill', () => '#fff');
      // Transitions end at once: the value is there when the draw returns.
      (selection as unknown as Transitioning)
        .transition()
        .duration(750)
        .attr('transform', () => 'translate(3,0)');
    });
    expect(writes).toEqual(['g.class=frame', 'rect.fill=#fff', 'g.transform=translate(3,0)']);
    expect(rect.getAttribute('fill')).toBe('#fff');
    writes.length = 0;
    selection.attr('class', () => 'frame');
    expect(writes).toEqual(['g.class=frame']);
  });
});
