import { describeBand, inBand, parseBand, routeOf, slowestInBand } from './slowSpans';
import { searchSpan } from './testSpans';

describe('parseBand', () => {
  it('reads bounds from URL strings', () => {
    expect(parseBand('250', '1000')).toEqual({ band: { minMs: 250, maxMs: 1000 } });
    expect(parseBand('0.5', undefined)).toEqual({ band: { minMs: 0.5 } });
    expect(parseBand(undefined, '')).toEqual({ band: {} });
  });

  it('drops a bound that is not a non-negative number, and says so', () => {
    const parsed = parseBand('fast', '-3');
    expect(parsed.band).toEqual({});
    expect(parsed.problem).toContain('minimum duration "fast" is not a number of milliseconds');
    expect(parsed.problem).toContain('maximum duration "-3"');
  });

  it('keeps the minimum of a band whose minimum is above its maximum', () => {
    const parsed = parseBand('500', '100');
    expect(parsed.band).toEqual({ minMs: 500 });
    expect(parsed.problem).toContain('is above the maximum (100 ms); showing spans of 500 ms or more');
  });
});

describe('the band filter', () => {
  it('includes both bounds and excludes what lies outside', () => {
    const band = { minMs: 100, maxMs: 200 };
    expect([99.9, 100, 150, 200, 200.1].map((d) => inBand(d, band))).toEqual([false, true, true, true, false]);
    expect(inBand(Number.NaN, {})).toBe(false);
  });

  it('lists only spans in the band, slowest first, and counts them before the cut', () => {
    const spans = [10, 500, 300, 250, 249, 1200].map((d, i) => searchSpan(i, d));
    const { rows, inBand: count } = slowestInBand(spans, { minMs: 250 }, 2);
    expect(rows.map((s) => s.durationMs)).toEqual([1200, 500]);
    expect(count).toBe(4);
  });

  it('describes itself in words', () => {
    expect(describeBand({})).toBe('any duration');
    expect(describeBand({ minMs: 250 })).toBe('250 ms or more');
    expect(describeBand({ maxMs: 5 })).toBe('up to 5 ms');
    expect(describeBand({ minMs: 1, maxMs: 2 })).toBe('between 1 ms and 2 ms');
  });
});

describe('routeOf', () => {
  it('is http.route, else the span name', () => {
    expect(routeOf(searchSpan(1, 1))).toBe('/search');
    expect(routeOf(searchSpan(1, 1, { name: '/shop.Payments/Charge', attributes: {} }))).toBe('/shop.Payments/Charge');
    expect(routeOf(searchSpan(1, 1, { name: 'GET', attributes: { 'http.route': ' ' } }))).toBe('GET');
  });
});
