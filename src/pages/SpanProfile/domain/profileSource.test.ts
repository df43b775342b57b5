import { chooseProfileSource } from './profileSource';

const base = { view: 'span' as const, canFallBack: true, service: 'checkout', windowMs: 801 };

describe('chooseProfileSource', () => {
  it("uses the span's labelled samples when there are any, and says so", () => {
    const choice = chooseProfileSource({ ...base, labelledTotal: 42 });
    expect(choice.kind).toBe('labelled');
    expect(choice.sentence).toContain('span_id');
  });

  it("falls back to the service's window, with the overlap count", () => {
    const choice = chooseProfileSource({ ...base, labelledTotal: 0, overlapping: 3 });
    expect(choice.kind).toBe('window');
    expect(choice.sentence).toContain("all of checkout's CPU in the profiles that cover the span's window (801 ms)");
    expect(choice.sentence).toContain('3 other requests of checkout overlapped it');
    expect(choice.overlapping).toBe(3);
  });

  it('says how far before the span the profiles reach when Parca was asked for more than the span', () => {
    const choice = chooseProfileSource({ ...base, windowMs: 10_801, spanMs: 801, labelledTotal: 0, overlapping: 0 });
    expect(choice.sentence).toContain('(10.8 s, from 10.0 s before the span: Parca stamps a profile');
  });

  it('says when nothing overlapped, and while it is still counting', () => {
    expect(chooseProfileSource({ ...base, labelledTotal: 0, overlapping: 0 }).sentence).toContain(
      'No other request of checkout overlapped it'
    );
    expect(chooseProfileSource({ ...base, labelledTotal: 0, overlapping: 1 }).sentence).toContain('1 other request of');
    expect(chooseProfileSource({ ...base, labelledTotal: 0 }).sentence).toContain('Counting');
  });

  it('has nothing when neither the labels nor the window hold samples', () => {
    expect(chooseProfileSource({ ...base, labelledTotal: 0, windowTotal: 0 }).kind).toBe('none');
    expect(chooseProfileSource({ ...base, view: 'trace', canFallBack: false, labelledTotal: 0 }).kind).toBe('none');
  });

  it('names the merged requests of a route', () => {
    expect(chooseProfileSource({ ...base, view: 'route', labelledTotal: 9, routeRequests: 12 }).sentence).toContain(
      '12 requests of checkout'
    );
  });
});
