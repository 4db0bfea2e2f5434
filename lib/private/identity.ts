import * as crypto from 'crypto';
import { asTableEntry } from './one-byte-strings';

/**
 * Turns a meaning key into a construct id: readable where possible, always unique. Characters that
 * construct ids or Terraform names handle badly are replaced, and a short digest of the full key
 * keeps two keys that sanitize alike apart.
 */
export function idFromKey(key: string, maxReadable = 80): string {
  const readable = key.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '').slice(0, maxReadable);
  // ids are mostly construct ids: as V8's table entry, cdktf's logical ids stay one-byte
  return asTableEntry(`${readable}-${digest(key)}`);
}

/** An 8-hex-digit digest of a string. */
export function digest(text: string): string {
  // the one-shot form (Node 20.12 and later) is several times cheaper per call than a Hash object
  const hex = typeof crypto.hash === 'function' ? crypto.hash('sha256', text, 'hex') : crypto.createHash('sha256').update(text).digest('hex');
  return hex.slice(0, 8);
}

/** A construct path made usable inside an id (`app/Web` to `app-Web`). */
export function pathKey(path: string): string {
  return path.replace(/\//g, '-');
}
