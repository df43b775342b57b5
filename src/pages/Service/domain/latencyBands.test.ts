import { createDataFrame, FieldType } from '@grafana/data';

import { bandLinkTitle, bucketBands, parseUpperBound, withBandLinks } from './latencyBands';
import type { DurationBand } from './slowSpans';

describe('parseUpperBound', () => {
  it('reads seconds and +Inf, and refuses what is no bound', () => {
    expect(parseUpperBound('0.25')).toBe(0.25);
    expect(parseUpperBound(' 1 ')).toBe(1);
    expect(parseUpperBound('+Inf')).toBe(Infinity);
    for (const bad of ['', 'abc', '-1', 'NaN']) {
      expect(parseUpperBound(bad)).toBeUndefined();
    }
  });
});

describe('bucketBands', () => {
  it('gives each bucket the band from the next lower bound up to its own, in milliseconds', () => {
    const bands = bucketBands(['0.005', '0.025', '0.1', '+Inf']);
    expect(bands.get('0.005')).toEqual({ maxMs: 5 });
    expect(bands.get('0.025')).toEqual({ minMs: 5, maxMs: 25 });
    expect(bands.get('0.1')).toEqual({ minMs: 25, maxMs: 100 });
    expect(bands.get('+Inf')).toEqual({ minMs: 100 });
  });

  it('orders buckets by their bounds, not by the order given', () => {
    const bands = bucketBands(['+Inf', '2.5', '0.5', '1']);
    expect(bands.get('0.5')).toEqual({ maxMs: 500 });
    expect(bands.get('1')).toEqual({ minMs: 500, maxMs: 1000 });
    expect(bands.get('2.5')).toEqual({ minMs: 1000, maxMs: 2500 });
    expect(bands.get('+Inf')).toEqual({ minMs: 2500 });
  });

  it('keeps sub-millisecond bounds without float noise', () => {
    const bands = bucketBands(['0.0025', '0.0075']);
    expect(bands.get('0.0075')).toEqual({ minMs: 2.5, maxMs: 7.5 });
  });

  it('gives no band to a bucket that names no bound, and skips it when ordering the others', () => {
    const bands = bucketBands(['0.1', 'oops', '0.2']);
    expect(bands.has('oops')).toBe(false);
    expect(bands.get('0.2')).toEqual({ minMs: 100, maxMs: 200 });
  });

  it('gives two spellings of one bound the same band', () => {
    const bands = bucketBands(['0.5', '1', '1.0']);
    expect(bands.get('1.0')).toEqual(bands.get('1'));
    expect(bands.get('1')).toEqual({ minMs: 500, maxMs: 1000 });
  });

  it('is any duration for a lone +Inf bucket', () => {
    expect(bucketBands(['+Inf']).get('+Inf')).toEqual({});
  });
});

describe('bandLinkTitle', () => {
  it('says the band in words', () => {
    expect(bandLinkTitle({ minMs: 100, maxMs: 250 })).toBe('Slow spans between 100 ms and 250 ms');
    expect(bandLinkTitle({ minMs: 2500 })).toBe('Slow spans 2500 ms or more');
    expect(bandLinkTitle({ maxMs: 5 })).toBe('Slow spans up to 5 ms');
  });
});

describe('withBandLinks', () => {
  const bucket = (le: string) => ({ name: le, type: FieldType.number, labels: { le }, values: [1, 2] });
  const link = (band: DurationBand) => ({
    title: bandLinkTitle(band),
    url: `/band?min=${band.minMs}&max=${band.maxMs}`,
  });

  it('puts the link to its band on every bucket field, keeping links it had, and none on the time field', () => {
    const frame = createDataFrame({
      fields: [
        { name: 'Time', type: FieldType.time, values: [1000, 2000] },
        { ...bucket('0.1'), config: { links: [{ title: 'kept', url: '/kept' }] } },
        bucket('0.25'),
        bucket('+Inf'),
      ],
    });
    const [linked] = withBandLinks([frame], link);
    expect(linked.fields[0].config.links).toBeUndefined();
    expect(linked.fields[1].config.links?.map((l) => l.title)).toEqual(['kept', 'Slow spans up to 100 ms']);
    expect(linked.fields[2].config.links).toEqual([
      { title: 'Slow spans between 100 ms and 250 ms', url: '/band?min=100&max=250' },
    ]);
    expect(linked.fields[3].config.links?.[0].title).toBe('Slow spans 250 ms or more');
    // The input is left as it was: the transformation may run again on the same frames.
    expect(frame.fields[2].config.links).toBeUndefined();
  });

  it('reads the bound from the field name when the field has no le label', () => {
    const frame = createDataFrame({
      fields: [
        { name: '0.5', type: FieldType.number, values: [1] },
        { name: '1', type: FieldType.number, values: [1] },
      ],
    });
    expect(withBandLinks([frame], link)[0].fields[1].config.links?.[0].title).toBe(
      'Slow spans between 500 ms and 1000 ms'
    );
  });

  it('leaves an empty answer empty', () => {
    expect(withBandLinks([], link)).toEqual([]);
  });
});
