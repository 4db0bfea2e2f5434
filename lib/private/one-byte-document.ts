/** Text whose every character fits one byte (Latin-1). */
const LATIN1 = /^[\u0000-\u00ff]*$/;

/** A resource's or data source's body in the document, as far as its metadata goes. */
interface ElementBody {
  readonly '//'?: { readonly metadata?: { path?: unknown } };
}

/**
 * Gives each resource and data source of a synthesized document a `"//".metadata.path` that V8
 * stores one byte per character, where its text allows; returns the same document.
 *
 * cdktf writes `node.path` there, a join over the construct ids, and V8 makes such a join two-byte
 * when one of the ids is a forwarding string (see `constructPath`): that happens to some ids an
 * app's own code makes (`vm${i}`: 71 of the 10x bench estate's 20,000). cdktf writes the document
 * by concatenating it whole, so a single two-byte path makes the written text two-byte: twice its
 * size in memory (about 350 MB more at the peak of the 10x bench estate) and a slower write. The
 * text is unchanged.
 */
export function withOneBytePaths<T>(document: T): T {
  const blocks = document as { resource?: unknown; data?: unknown };
  for (const block of [blocks.resource, blocks.data]) {
    if (typeof block !== 'object' || block === null) continue;
    for (const bodies of Object.values(block as Record<string, unknown>)) {
      if (typeof bodies !== 'object' || bodies === null) continue;
      for (const body of Object.values(bodies as Record<string, ElementBody>)) {
        const metadata = body?.['//']?.metadata;
        if (metadata && typeof metadata.path === 'string' && LATIN1.test(metadata.path)) {
          // decoding Latin-1 bytes always gives a one-byte string
          metadata.path = Buffer.from(metadata.path, 'latin1').toString('latin1');
        }
      }
    }
  }
  return document;
}
