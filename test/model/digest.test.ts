import * as crypto from 'crypto';
import * as fc from 'fast-check';
import { digest, idFromKey, readableIdFromKey } from '../../lib/private/identity';

describe('the digest in construct ids', () => {
  const text = 'estate/Seg0-ingress-sg:estate/Seg1#0';
  const expected = crypto.createHash('sha256').update(text).digest('hex').slice(0, 8);

  test('is the first 8 hex digits of the SHA-256 of the key, so addresses do not change between releases', () => {
    expect(digest(text)).toBe(expected);
    expect(idFromKey(text)).toBe(`estate-Seg0-ingress-sg-estate-Seg1-0-${expected}`);
  });

  test('is the same on a Node without the one-shot crypto.hash (before 20.12)', () => {
    // the module object itself: the namespace import above is read-only
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nodeCrypto = require('crypto');
    const oneShot = nodeCrypto.hash;
    const createHash = jest.spyOn(nodeCrypto, 'createHash');
    nodeCrypto.hash = undefined;
    try {
      expect(digest(text)).toBe(expected);
      expect(createHash).toHaveBeenCalledWith('sha256');
    } finally {
      nodeCrypto.hash = oneShot;
      createHash.mockRestore();
    }
  });

  test('the readable part: every run of characters other than letters, digits and underscores is one hyphen, none at either end', () => {
    const readable = (key: string) => key.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '').slice(0, 80);
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('a', 'Z', '0', '_', '-', '/', '|', ':', '#', ' ', 'é', '.'), maxLength: 120 }), (key) => {
      expect(idFromKey(key)).toBe(`${readable(key)}-${digest(key)}`);
    }), { numRuns: 3000 });
  });

  test('the readable part of a long key, whatever its cut, is that of the whole key (long runs of separators included)', () => {
    const readable = (key: string, max: number) => key.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '').slice(0, max);
    const piece = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', 'Z', '0', '_'), minLength: 1, maxLength: 40 }),
      fc.string({ unit: fc.constantFrom('-', '/', '|', ':', '#', ' ', 'é', '.'), minLength: 1, maxLength: 200 }),
    );
    fc.assert(fc.property(fc.array(piece, { maxLength: 20 }).map((pieces) => pieces.join('')), fc.integer({ min: 1, max: 100 }), (key, max) => {
      expect(readableIdFromKey(key, max)).toBe(`${readable(key, max)}-${digest(key)}`);
    }), { numRuns: 3000 });
  });
});
