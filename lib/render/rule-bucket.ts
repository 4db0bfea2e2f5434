import { coversPort, mergePortSpecs, portKey, PortSpec } from '../model/ports';

/** One flow's wish for a port spec in a bucket. */
export interface PortContribution {
  /** The requested ports. */
  readonly spec: PortSpec;
  /** The construct path of the flow that asked for it. */
  readonly flow: string;
}

/** A merged rule of a bucket with the flows it serves. */
export interface MergedRule {
  /** Merged ports. */
  readonly spec: PortSpec;
  /** Stable key of the ports (`tcp/8000-8100`), part of the rule's identity. */
  readonly portKey: string;
  /** Construct paths of the flows this rule serves, sorted. */
  readonly flows: string[];
}

/**
 * Merges the contributions of one bucket (one group, direction and peer) into the fewest rules:
 * duplicates collapse and overlapping or adjacent ranges join. Each merged rule lists the flows it
 * serves, so reports can name them. The result depends only on the set of contributions.
 */
export function mergeBucket(contributions: readonly PortContribution[]): MergedRule[] {
  const merged = mergePortSpecs(contributions.map((c) => c.spec));
  return merged.map((spec) => {
    const flows = new Set<string>();
    for (const contribution of contributions) {
      if (specWithin(contribution.spec, spec)) flows.add(contribution.flow);
    }
    return { spec, portKey: portKey(spec), flows: [...flows].sort() };
  });
}

/** Whether every port of `inner` is in `outer` (ICMP: the same type and code, or any). */
export function specWithin(inner: PortSpec, outer: PortSpec): boolean {
  if (outer.protocol === 'all') return true;
  if (inner.protocol !== outer.protocol) return false;
  if (inner.protocol === 'icmp' || inner.protocol === 'icmpv6') {
    return outer.from === -1 || (outer.from === inner.from && (outer.to === -1 || outer.to === inner.to));
  }
  return coversPort(outer, inner.protocol, inner.from) && coversPort(outer, inner.protocol, inner.to);
}
