import { asTableEntry } from './one-byte-strings';
import { sha256Head } from './sha256';

/**
 * Turns a meaning key into a construct id: readable where possible, always unique. Characters that
 * construct ids or Terraform names handle badly are replaced, and a short digest of the full key
 * keeps two keys that sanitize alike apart.
 */
export function idFromKey(key: string, maxReadable = 80): string {
  // ids are mostly construct ids: as V8's table entry, cdktf's logical ids stay one-byte
  return asTableEntry(readableIdFromKey(key, maxReadable));
}

/** {@link idFromKey} for an id that names no construct (one only compared or written): the same text. */
export function readableIdFromKey(key: string, maxReadable = 80): string {
  return `${readablePart(key, maxReadable)}-${digest(key)}`;
}

/** The readable part of an id: every run of other characters (hyphens among them) becomes one hyphen, none at either end, cut to `maxReadable`. */
function readablePart(key: string, maxReadable: number): string {
  // a long key is read from its start only when that start already gives two characters more than
  // are kept: the cut then lies before anything the rest of the key could change
  const start = maxReadable + 16;
  if (key.length > start) {
    const head = withoutLeadingHyphen(key.slice(0, start).replace(/[^A-Za-z0-9_]+/g, '-'));
    if (head.length >= maxReadable + 2) return head.slice(0, maxReadable);
  }
  let readable = withoutLeadingHyphen(key.replace(/[^A-Za-z0-9_]+/g, '-'));
  if (readable.endsWith('-')) readable = readable.slice(0, -1);
  return readable.slice(0, maxReadable);
}

function withoutLeadingHyphen(text: string): string {
  return text.startsWith('-') ? text.slice(1) : text;
}

/** An 8-hex-digit digest of a string. */
export function digest(text: string): string {
  return sha256Head(text);
}

/** A construct path made usable inside an id (`app/Web` to `app-Web`). */
export function pathKey(path: string): string {
  return path.replace(/\//g, '-');
}
