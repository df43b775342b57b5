import { normalizeSpanId, normalizeTraceId, spanWindow, windowAsTimeRangeState, badTraceIdMessage } from './spanWindow';

describe('spanWindow', () => {
  it('widens fractional span times outwards to whole milliseconds, never more', () => {
    expect(spanWindow(1000.25, 1800.75)).toEqual({ fromMs: 1000, toMs: 1801 });
    expect(spanWindow(1000, 1800)).toEqual({ fromMs: 1000, toMs: 1800 });
  });

  it('gives a zero-length or sub-millisecond span a one millisecond window', () => {
    expect(spanWindow(1000, 1000)).toEqual({ fromMs: 1000, toMs: 1001 });
    expect(spanWindow(1000.1, 1000.4)).toEqual({ fromMs: 1000, toMs: 1001 });
  });

  it('writes the window as ISO times with milliseconds, which SceneTimeRange evaluates exactly', () => {
    expect(windowAsTimeRangeState({ fromMs: 1763719200250, toMs: 1763719200371 })).toEqual({
      from: '2025-11-21T10:00:00.250Z',
      to: '2025-11-21T10:00:00.371Z',
    });
  });
});

describe('ids', () => {
  it('accepts 32 hex trace ids in any case and pads 64-bit ones', () => {
    expect(normalizeTraceId(' 0AF7651916CD43DD8448EB211C80319C ')).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(normalizeTraceId('8448eb211c80319c')).toBe('00000000000000008448eb211c80319c');
    expect(normalizeTraceId('xyz')).toBeUndefined();
    expect(normalizeTraceId(undefined)).toBeUndefined();
  });

  it('accepts only 16 hex span ids', () => {
    expect(normalizeSpanId('B7AD6B7169203331')).toBe('b7ad6b7169203331');
    expect(normalizeSpanId('b7ad')).toBeUndefined();
  });

  it('tells what a trace id looks like', () => {
    expect(badTraceIdMessage('nope')).toContain('32 hexadecimal characters');
    expect(badTraceIdMessage(undefined)).toContain('traceId=');
  });
});
