import { fitText } from './labels';

describe('fitText', () => {
  it('keeps a name that fits', () => {
    expect(fitText('runtime.mallocgc', 16)).toBe('runtime.mallocgc');
    expect(fitText('runtime.mallocgc', 40.9)).toBe('runtime.mallocgc');
  });

  it('cuts a long name to the width, ellipsis included', () => {
    const cut = fitText('net/http.(*conn).serve', 10.7);
    expect(cut).toBe('net/http.…');
    expect(cut).toHaveLength(10);
  });

  it('draws nothing where not even one character and the ellipsis fit', () => {
    expect(fitText('runtime.mallocgc', 1.9)).toBe('');
    expect(fitText('runtime.mallocgc', 0)).toBe('');
    expect(fitText('runtime.mallocgc', -3)).toBe('');
    expect(fitText('ab', 2)).toBe('ab');
  });
});
