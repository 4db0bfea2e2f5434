import * as crypto from 'crypto';

/**
 * The SHA-256 of a string's UTF-8 bytes. The one-shot `crypto.hash` (Node 20.12 and later) is
 * several times cheaper per call than a Hash object, which an older Node still gets.
 */
export function sha256(text: string): Buffer {
  return typeof crypto.hash === 'function' ? crypto.hash('sha256', text, 'buffer') : crypto.createHash('sha256').update(text).digest();
}
