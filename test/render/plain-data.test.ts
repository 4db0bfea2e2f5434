import { Lazy, Token } from 'cdktf';
import * as fc from 'fast-check';
import { isPlainData, plainCopy } from '../../lib/private/late-writes';

/** cdktf's own reading of a string: a token's marker, or a match of its number pattern that parses to a token number. */
function plainByCdktfPattern(text: string): boolean {
  if (text.includes('TfToken[')) return false;
  return ![...text.matchAll(/[-|\d|.+]+(e[-|\d|.|e|E|+]+)/g)].some((match) => Token.isUnresolved(parseFloat(match[0])));
}

describe('plain data', () => {
  test('a string is plain exactly when cdktf\'s pattern finds no token in it, number-like text and token numbers included', () => {
    // GIVEN text made of the characters cdktf's number pattern reads, letters, and now and then a token number's or a string token's text
    const tokenNumber = `${Token.asNumber(Lazy.numberValue({ produce: () => 7 }))}`;
    const tokenString = Token.asString(Lazy.stringValue({ produce: () => 'x' }));
    const piece = fc.oneof(
      fc.constantFrom('e', 'E', '-', '|', '.', '+', '1', '0', '9', 'a', 'estate/', '1e5', '-1.5e+3', '2E-7', 'e2e', ' '),
      fc.constant(tokenNumber), fc.constant(tokenString),
    );
    fc.assert(fc.property(fc.array(piece, { maxLength: 8 }).map((pieces) => pieces.join('')), (text) => {
      // WHEN its plainness is asked THEN the answer is that of cdktf's pattern
      expect(isPlainData(text)).toBe(plainByCdktfPattern(text));
    }), { numRuns: 5000, seed: 15 });
    // AND the expected answers hold
    expect(isPlainData('shop/e2e-1e5-3ce980de')).toBe(true);
    expect(isPlainData(`port ${tokenNumber}`)).toBe(false);
    expect(isPlainData(tokenString)).toBe(false);
  });

  test('numbers are plain unless they are token numbers; undefined is plain inside objects and lists, and the copy leaves it out as resolution does', () => {
    expect(isPlainData(443)).toBe(true);
    expect(isPlainData(Token.asNumber(Lazy.numberValue({ produce: () => 7 })))).toBe(false);
    expect(isPlainData(undefined)).toBe(false);
    expect(isPlainData(null)).toBe(false);
    expect(isPlainData({ a: undefined, b: [1, undefined, 'x'] })).toBe(true);
    expect(plainCopy({ a: undefined, b: [1, undefined, 'x'], c: {} })).toEqual({ b: [1, 'x'], c: {} });
    expect(Object.keys(plainCopy({ a: undefined, b: 1 }))).toEqual(['b']);
  });
});
