import {
  formatSelector,
  parseSelector,
  validateSelector,
  validateSpanId,
  validateTraceId,
  withMatcher,
} from '../selector';

describe('parseSelector', () => {
  it('reads matchers with every operator and escaped quotes', () => {
    expect(parseSelector('{service_name="checkout", job=~"shop.*", env!="dev", x!~\'a\\\'b\'}')).toEqual({
      ok: true,
      matchers: [
        { name: 'service_name', operator: '=', value: 'checkout' },
        { name: 'job', operator: '=~', value: 'shop.*' },
        { name: 'env', operator: '!=', value: 'dev' },
        { name: 'x', operator: '!~', value: "a'b" },
      ],
    });
  });

  it('treats empty text and {} as "everything"', () => {
    expect(parseSelector('')).toEqual({ ok: true, matchers: [] });
    expect(parseSelector(' {} ')).toEqual({ ok: true, matchers: [] });
  });

  it.each([
    ['{service_name=checkout}', 'must be quoted'],
    ['{service_name="checkout"', 'missing the closing "}"'],
    ['service_name="checkout"', 'must start with "{"'],
    ['process_cpu{job="a"}', 'choose the profile type above'],
    ['{service_name "checkout"}', 'needs an operator'],
    ['{service_name="checkout}', 'no closing "'],
    ['{a="1" b="2"}', 'expected "," or "}"'],
  ])('explains what is wrong with %s', (text, reason) => {
    expect(validateSelector(text)).toContain(reason);
  });

  it('leaves selectors with template variables to the server', () => {
    expect(validateSelector('{service_name=$service}')).toBeUndefined();
  });
});

describe('withMatcher', () => {
  it('adds a matcher and replaces one on the same label and operator', () => {
    const once = withMatcher('{job="a"}', { name: 'service_name', operator: '=', value: 'checkout' });
    expect(once).toBe('{job="a", service_name="checkout"}');
    expect(withMatcher(once!, { name: 'service_name', operator: '=', value: 'payments' })).toBe(
      '{job="a", service_name="payments"}'
    );
  });

  it('quotes values so they cannot end the string', () => {
    expect(formatSelector([{ name: 'a', operator: '=', value: 'x"}' }])).toBe('{a="x\\"}"}');
    expect(parseSelector(formatSelector([{ name: 'a', operator: '=', value: 'x"}' }]))).toEqual({
      ok: true,
      matchers: [{ name: 'a', operator: '=', value: 'x"}' }],
    });
  });

  it('refuses to rewrite a selector that does not parse', () => {
    expect(withMatcher('{job=', { name: 'a', operator: '=', value: 'b' })).toBeUndefined();
  });
});

describe('trace and span ids', () => {
  it('accepts 32/16 hex characters, empty fields and variables', () => {
    expect(validateTraceId('4bf92f3577b34da6a3ce929d0e0e4736')).toBeUndefined();
    expect(validateTraceId('')).toBeUndefined();
    expect(validateTraceId('$traceId')).toBeUndefined();
    expect(validateSpanId('00f067aa0ba902b7')).toBeUndefined();
  });

  it('says how long an id must be and what is wrong with it', () => {
    expect(validateTraceId('a3ce929d0e0e4736')).toContain('left-padded with 16 zeros');
    expect(validateTraceId('xyz')).toContain('32 hex characters');
    expect(validateTraceId('xyz')).toContain('non-hex');
    expect(validateSpanId('00f067aa0ba902b')).toContain('this one has 15 characters');
  });
});
