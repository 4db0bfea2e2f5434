/** Transport protocol of a normalized rule. `all` means every protocol and every port. */
export type RuleProtocol = 'tcp' | 'udp' | 'sctp' | 'icmp' | 'icmpv6' | 'all';

/** A protocol with an inclusive port range (or ICMP type/code, -1 meaning any). */
export interface PortSpec {
  /** The protocol. */
  readonly protocol: RuleProtocol;
  /** First port, or the ICMP type (-1 = any). */
  readonly from: number;
  /** Last port, or the ICMP code (-1 = any). */
  readonly to: number;
}

/** The protocols whose rules match destination port ranges, in the order merged lists keep. */
export const PORT_PROTOCOLS = ['tcp', 'udp', 'sctp'] as const;

/** Whether `protocol` matches destination port ranges (TCP, UDP, SCTP). */
export function hasPorts(protocol: RuleProtocol): protocol is 'tcp' | 'udp' | 'sctp' {
  return (PORT_PROTOCOLS as readonly string[]).includes(protocol);
}

/** A stable textual key of a port spec: `tcp/443`, `tcp/8000-8100`, `sctp/38412`, `icmp/8/0`, `all`. */
export function portKey(spec: PortSpec): string {
  if (spec.protocol === 'all') return 'all';
  if (spec.protocol === 'icmp' || spec.protocol === 'icmpv6') return `${spec.protocol}/${spec.from}/${spec.to}`;
  return spec.from === spec.to ? `${spec.protocol}/${spec.from}` : `${spec.protocol}/${spec.from}-${spec.to}`;
}

/** The port spec a {@link portKey} names, or `undefined` when `key` is not one. */
export function parsePortKey(key: string): PortSpec | undefined {
  if (key === 'all') return { protocol: 'all', from: -1, to: -1 };
  const icmp = /^(icmp|icmpv6)\/(-?\d+)\/(-?\d+)$/.exec(key);
  if (icmp) return { protocol: icmp[1] as RuleProtocol, from: Number(icmp[2]), to: Number(icmp[3]) };
  const range = /^(tcp|udp|sctp)\/(\d+)(?:-(\d+))?$/.exec(key);
  if (range) return { protocol: range[1] as RuleProtocol, from: Number(range[2]), to: Number(range[3] ?? range[2]) };
  return undefined;
}

/**
 * Merges duplicate, overlapping and adjacent TCP/UDP/SCTP ranges of the same protocol; ICMP entries are
 * de-duplicated (an any-type entry absorbs the typed ones), and `all` absorbs everything.
 * The result is sorted, so it does not depend on input order.
 */
export function mergePortSpecs(specs: readonly PortSpec[]): PortSpec[] {
  // most rules and flows have one port entry: it is its own merge
  if (specs.length === 1) {
    const [only] = specs;
    return [only.protocol === 'all' ? { protocol: 'all', from: -1, to: -1 } : { protocol: only.protocol, from: only.from, to: only.to }];
  }
  if (specs.some((s) => s.protocol === 'all')) return [{ protocol: 'all', from: -1, to: -1 }];
  const result: PortSpec[] = [];
  for (const protocol of PORT_PROTOCOLS) {
    const ranges = specs.filter((s) => s.protocol === protocol).map((s) => [s.from, s.to]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let current: number[] | undefined;
    for (const range of ranges) {
      if (current && range[0] <= current[1] + 1) {
        current[1] = Math.max(current[1], range[1]);
      } else {
        if (current) result.push({ protocol, from: current[0], to: current[1] });
        current = [...range];
      }
    }
    if (current) result.push({ protocol, from: current[0], to: current[1] });
  }
  for (const protocol of ['icmp', 'icmpv6'] as const) {
    const entries = specs.filter((s) => s.protocol === protocol);
    const anyType = entries.some((s) => s.from === -1);
    const kept = new Map<string, PortSpec>();
    for (const entry of entries) {
      if (anyType && entry.from !== -1) continue;
      const anyCodeForType = entries.some((s) => s.from === entry.from && s.to === -1);
      if (anyCodeForType && entry.to !== -1) continue;
      kept.set(portKey(entry), { protocol, from: entry.from, to: entry.to });
    }
    result.push(...[...kept.values()].sort((a, b) => a.from - b.from || a.to - b.to));
  }
  return result;
}

/** Whether `spec` allows traffic of `protocol` to `port` (ICMP: type `port`). */
export function coversPort(spec: PortSpec, protocol: RuleProtocol, port: number): boolean {
  if (spec.protocol === 'all') return true;
  if (spec.protocol !== protocol) return false;
  if (protocol === 'icmp' || protocol === 'icmpv6') return spec.from === -1 || spec.from === port;
  return spec.from <= port && port <= spec.to;
}


/**
 * The traffic two port specs have in common, or undefined when they are disjoint. `all` overlaps
 * everything; TCP, UDP and SCTP ranges intersect; ICMP specs overlap when their types (and codes) are
 * equal or one of them is `-1` (any).
 */
export function intersectPortSpecs(a: PortSpec, b: PortSpec): PortSpec | undefined {
  if (a.protocol === 'all') return b;
  if (b.protocol === 'all') return a;
  if (a.protocol !== b.protocol) return undefined;
  if (hasPorts(a.protocol)) {
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

/** Whether traffic of `spec` can travel over IP `family`: ICMPv4 only over IPv4, ICMPv6 only over IPv6, anything else over both. */
export function travelsOver(spec: PortSpec, family: 'ipv4' | 'ipv6'): boolean {
  return spec.protocol !== (family === 'ipv4' ? 'icmpv6' : 'icmp');
}

/** Whether `outer` matches every packet `inner` matches. */
export function coversSpec(outer: PortSpec, inner: PortSpec): boolean {
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
