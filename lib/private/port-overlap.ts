import { PortSpec } from './port-range';

/**
 * The traffic two port specs have in common, or undefined when they are disjoint. `all` overlaps
 * everything; TCP and UDP ranges intersect; ICMP specs overlap when their types (and codes) are
 * equal or one of them is `-1` (any).
 */
export function intersectPortSpecs(a: PortSpec, b: PortSpec): PortSpec | undefined {
  if (a.protocol === 'all') return b;
  if (b.protocol === 'all') return a;
  if (a.protocol !== b.protocol) return undefined;
  if (a.protocol === 'tcp' || a.protocol === 'udp') {
    const from = Math.max(a.from, b.from);
    const to = Math.min(a.to, b.to);
    return from <= to ? { protocol: a.protocol, from, to } : undefined;
  }
  // ICMP: `from` is the type, `to` the code; -1 means any
  const type = a.from === -1 ? b.from : b.from === -1 ? a.from : a.from === b.from ? a.from : undefined;
  if (type === undefined) return undefined;
  const code = a.to === -1 ? b.to : b.to === -1 ? a.to : a.to === b.to ? a.to : undefined;
  if (code === undefined) return undefined;
  return { protocol: a.protocol, from: type, to: code };
}

/** Whether `outer` matches every packet `inner` matches. */
export function portSpecCovers(outer: PortSpec, inner: PortSpec): boolean {
  const common = intersectPortSpecs(outer, inner);
  return common !== undefined && common.protocol === inner.protocol && common.from === inner.from && common.to === inner.to;
}

/** Every pairwise intersection of two lists of specs. */
export function intersectPortLists(a: readonly PortSpec[], b: readonly PortSpec[]): PortSpec[] {
  const out: PortSpec[] = [];
  for (const x of a) {
    for (const y of b) {
      const common = intersectPortSpecs(x, y);
      if (common) out.push(common);
    }
  }
  return out;
}
