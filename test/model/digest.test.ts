import * as crypto from 'crypto';
import { digest, idFromKey } from '../../lib/private/identity';

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
});
