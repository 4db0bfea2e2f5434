import * as crypto from 'crypto';

/**
 * The first 32 bits of the SHA-256 of a string's UTF-8 bytes, as 8 hexadecimal digits. The
 * one-shot `crypto.hash` (Node 20.12 and later) is several times cheaper per call than a Hash
 * object, which an older Node still gets, and cheaper again when it gives hexadecimal text: its
 * `buffer` output takes three times as long as the hash itself.
 */
export function sha256Head(text: string): string {
  const hex = typeof crypto.hash === 'function' ? crypto.hash('sha256', text, 'hex') : crypto.createHash('sha256').update(text).digest('hex');
  return hex.slice(0, 8);
}
