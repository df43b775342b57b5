import { coverageUrl, flameGraphUrl, serviceUrl, spanUrl, traceUrl } from './appUrls';

describe('app URLs', () => {
  it('puts a span page link together with exact, fractional span times', () => {
    expect(
      spanUrl({
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        spanStart: 1764331200123.456,
        spanEnd: 1764331200923.5,
        service: 'checkout',
      })
    ).toBe(
      '/a/spanflame-app/span?traceId=0af7651916cd43dd8448eb211c80319c&spanId=b7ad6b7169203331&spanStart=1764331200123.456&spanEnd=1764331200923.5&service=checkout'
    );
  });

  it("carries a correlation's start and duration, and drops the duration when the end is known", () => {
    expect(spanUrl({ traceId: 't', spanStart: 1000.5, spanDuration: 20.25, view: 'route' })).toBe(
      '/a/spanflame-app/span?traceId=t&spanStart=1000.5&spanDuration=20.25&view=route'
    );
    expect(spanUrl({ traceId: 't', spanStart: 1000, spanEnd: 1020, spanDuration: 20 })).toBe(
      '/a/spanflame-app/span?traceId=t&spanStart=1000&spanEnd=1020'
    );
  });

  it('leaves out what is unknown and escapes what a user typed', () => {
    expect(spanUrl({ traceId: 'abc', spanStart: Number.NaN })).toBe('/a/spanflame-app/span?traceId=abc');
    expect(serviceUrl({ service: 'a "b"&c', tab: 'red' })).toBe(
      '/a/spanflame-app/service?service=a+%22b%22%26c&tab=red'
    );
    expect(coverageUrl()).toBe('/a/spanflame-app/coverage');
    expect(traceUrl({ traceId: 't', from: 'now-1h', to: 'now' })).toBe(
      '/a/spanflame-app/trace?traceId=t&from=now-1h&to=now'
    );
    expect(flameGraphUrl({ service: 'checkout' })).toBe('/a/spanflame-app/flame-graph?service=checkout');
  });
});
