import { digest } from './identity';

/** The longest tag value both EC2 (256 characters) and Azure Resource Manager (256 bytes) accept. */
export const TAG_VALUE_MAX_BYTES = 256;

/**
 * A tag value the clouds accept: the text itself when it fits in {@link TAG_VALUE_MAX_BYTES} bytes
 * of UTF-8; otherwise its start, cut between characters, then `~` and a digest of the whole text,
 * so that two long values that start alike stay apart.
 */
export function tagValue(text: string): string {
  if (Buffer.byteLength(text, 'utf8') <= TAG_VALUE_MAX_BYTES) return text;
  const suffix = `~${digest(text)}`;
  let kept = '';
  let bytes = 0;
  for (const character of text) {
    const size = Buffer.byteLength(character, 'utf8');
    if (bytes + size > TAG_VALUE_MAX_BYTES - suffix.length) break;
    kept += character;
    bytes += size;
  }
  return kept + suffix;
}
