import { buildSpanSearchTraceQL, traceqlDuration, traceqlString } from './traceql';

describe('TraceQL the app sends', () => {
  it('escapes quotes, backslashes, newlines and tabs in values, so a service name cannot break out', () => {
    expect(traceqlString('a"b\\c\nd\te')).toBe('"a\\"b\\\\c\\nd\\te"');
    expect(traceqlString('" } || { true')).toBe('"\\" } || { true"');
  });

  it('writes whole milliseconds as ms and finer durations in microseconds', () => {
    expect(traceqlDuration(100)).toBe('100ms');
    expect(traceqlDuration(0.25)).toBe('250us');
    expect(traceqlDuration(1.0004)).toBe('1000us');
  });

  it('builds one spanset filter from a search, selecting what span lists show', () => {
    expect(
      buildSpanSearchTraceQL({
        service: 'pay"ments',
        kind: 'server',
        name: 'GET /x',
        minDurationMs: 5,
        maxDurationMs: 7.5,
        startMs: 0,
        endMs: 1,
        limit: 1,
      })
    ).toBe(
      '{ resource.service.name = "pay\\"ments" && kind = server && name = "GET /x" && duration >= 5ms && duration <= 7500us } | select(status, kind, span.http.route, span.http.response.status_code)'
    );
    expect(buildSpanSearchTraceQL({ service: 'a', startMs: 0, endMs: 1, limit: 1 })).toBe(
      '{ resource.service.name = "a" } | select(status, kind, span.http.route, span.http.response.status_code)'
    );
  });
});
