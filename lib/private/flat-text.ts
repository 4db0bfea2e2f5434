/**
 * The same text as one flat string, for a key a long-lived map keeps.
 *
 * V8 keeps a string built by concatenation as a tree of its parts (a cons string: a node per `+`
 * or template part) until something reads it whole, and a key a map holds stays such a tree: on
 * `aws-sg`, 240,000 nodes in the renderers' maps, which each collection of the young generation
 * copied while they were young and each lookup that met them walked. `normalize` returns a
 * one-byte string flattened and otherwise unchanged (Latin-1 text is its own composed form); text
 * it would change (two-byte text that is not composed) is returned as it came.
 */
export function flatText(text: string): string {
  const flat = text.normalize();
  return flat === text ? flat : text;
}
