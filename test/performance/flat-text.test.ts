import * as fc from 'fast-check';
import { flatText } from '../../lib/private/flat-text';

describe('flatText', () => {
  test('keeps every text exactly, composed or not', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (head, tail) => {
      const joined = `${head}|${tail}`;
      expect(flatText(joined)).toBe(joined);
      expect(flatText(joined).length).toBe(joined.length);
    }), { numRuns: 2000 });
  });

  test('does not compose a letter and its combining mark, nor decompose a composed letter', () => {
    // GIVEN two keys that normalization would make one
    const decomposed = 'caf' + 'e\u0301';
    const composed = 'caf\u00e9';
    // THEN each stays itself, and a map keeps them apart
    expect(flatText(decomposed)).toBe(decomposed);
    expect(flatText(composed)).toBe(composed);
    const map = new Map([[flatText(decomposed), 'decomposed'], [flatText(composed), 'composed']]);
    expect(map.get(decomposed)).toBe('decomposed');
    expect(map.get(composed)).toBe('composed');
  });

  test('a key built again by concatenation finds the flat one in a map', () => {
    const path = ['estate', 'Microseg', 'Web'].reduce((p, id) => `${p}/${id}`);
    const map = new Map([[flatText(`${path}|ingress|cidr:10.0.0.0/8`), 1]]);
    expect(map.get(`estate/Microseg/Web|ingress|${'cidr:'}10.0.0.0/8`)).toBe(1);
  });
});
