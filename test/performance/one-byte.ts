import * as v8 from 'v8';

/**
 * Whether V8 stores `text` one byte per character: its serializer tags a one-byte string `"` and a
 * two-byte one `c` (after a padding byte when it needs alignment). For a forwarding ("thin") string
 * it tells the encoding of the string forwarded to, not whether joins over `text` stay one-byte.
 */
export function isOneByte(text: string): boolean {
  const bytes = v8.serialize(text);
  let at = 2; // after the version header
  while (bytes[at] === 0) at++;
  if (bytes[at] !== 0x22 && bytes[at] !== 0x63) throw new Error(`unexpected serialization tag ${bytes[at]} for ${JSON.stringify(text)}`);
  return bytes[at] === 0x22;
}

/**
 * A new one-byte string with `text`'s characters (Latin-1 only), not V8's table entry: as a
 * program's own code makes an id (`Seg${i}`). Built by decoding, so it is one-byte even when the
 * process's table holds a two-byte copy of the same text.
 */
export function newOneByteString(text: string): string {
  return Buffer.from(text, 'latin1').toString('latin1');
}

/**
 * A string V8 stores two bytes per character with `text`'s characters, as its join over a
 * forwarding id makes one: a slice of a longer two-byte string.
 */
export function newTwoByteString(text: string): string {
  return `${text}\u20ac`.slice(0, text.length);
}
