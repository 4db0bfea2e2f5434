import * as fc from 'fast-check';
import { cutOutsideTokens } from '../../lib/private/description';

/** The cut as a plain reading of its definition: character by character, expressions whole. */
function reference(text: string, max: number, size: (character: string) => number): string {
  let used = 0;
  let out = '';
  for (const part of text.split(/(\$\{TfToken\[[^\]]*\]\})/)) {
    if (/^\$\{TfToken\[[^\]]*\]\}$/.test(part)) {
      out += part;
      continue;
    }
    for (const character of part) {
      used += size(character);
      if (used > max) return out;
      out += character;
    }
  }
  return out;
}

const bytes = (character: string) => Buffer.byteLength(character, 'utf8');
const piece = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.constantFrom('${TfToken[TOKEN.12]}', '${TfToken[TOKEN.7]}', 'é', '😀', '${', ']}'),
);

describe('cutOutsideTokens', () => {
  test('cuts exactly where counting character by character does, keeping every expression before the cut whole', () => {
    fc.assert(fc.property(fc.array(piece, { maxLength: 8 }), fc.integer({ min: 0, max: 40 }), fc.boolean(), (pieces, max, byBytes) => {
      const text = pieces.join('');
      const size = byBytes ? bytes : undefined;
      expect(cutOutsideTokens(text, max, size)).toBe(reference(text, max, size ?? (() => 1)));
    }), { numRuns: 2000 });
  });

  test('a text that fits is returned as it is; a longer one is cut to max characters, not to max UTF-16 units', () => {
    expect(cutOutsideTokens('web tier', 8)).toBe('web tier');
    expect(cutOutsideTokens('😀😀😀', 2)).toBe('😀😀');
    expect(cutOutsideTokens('ab${TfToken[TOKEN.1]}cd', 3)).toBe('ab${TfToken[TOKEN.1]}c');
    expect(cutOutsideTokens('ééé', 4, bytes)).toBe('éé');
  });
});
