const READS = Symbol.for('cdktf-microseg.AttributeReads');

/**
 * A resource attribute (`id`, `path`) read once and kept: every read of a cdktf attribute creates a
 * new token, and cdktf captures a stack trace for each one, so renderers that name one resource in
 * many rules read its attribute here. The kept token resolves like a fresh one, in every stack.
 */
export function readOnce<T extends object, K extends keyof T & string>(resource: T, attribute: K): T[K] {
  const host = resource as any;
  if (!host[READS]) Object.defineProperty(host, READS, { value: new Map<string, unknown>(), enumerable: false });
  const reads: Map<string, unknown> = host[READS];
  if (!reads.has(attribute)) reads.set(attribute, resource[attribute]);
  return reads.get(attribute) as T[K];
}
