import { PortSpec, mergePortSpecs, portKey } from './port-range';

/** NSX accepts at most this many ports or ranges in one `l4_port_set_entry`. */
export const NSX_PORTS_PER_ENTRY = 15;

/** One `l4_port_set_entry` of an NSX service. */
export interface NsxL4Entry {
  /** `TCP` or `UDP`. */
  readonly protocol: 'TCP' | 'UDP';
  /** Destination ports and ranges (`"443"`, `"8000-8100"`). */
  readonly destinationPorts: string[];
}

/** One `icmp_entry` of an NSX service. */
export interface NsxIcmpEntry {
  /** `ICMPv4` or `ICMPv6`. */
  readonly protocol: 'ICMPv4' | 'ICMPv6';
  /** ICMP type as a string; absent = every type. */
  readonly icmpType?: string;
  /** ICMP code as a string; absent = every code. */
  readonly icmpCode?: string;
}

/** What an NSX rule needs to match a set of ports. */
export interface NsxServiceShape {
  /** Stable key of the merged port set (`tcp/22,tcp/443`); `all` for every protocol. */
  readonly key: string;
  /** True when the ports mean every protocol: the rule takes no service (empty = any). */
  readonly any: boolean;
  /** Layer-4 entries, TCP first, at most {@link NSX_PORTS_PER_ENTRY} ports each. */
  readonly l4: NsxL4Entry[];
  /** ICMP entries. */
  readonly icmp: NsxIcmpEntry[];
}

/**
 * The NSX service for a set of port specs: merged (duplicates, overlaps and adjacent ranges join),
 * keyed by the merged port keys, so two rules asking for the same ports share one service whatever
 * the order they list them in.
 */
export function nsxServiceShape(specs: readonly PortSpec[]): NsxServiceShape {
  const merged = mergePortSpecs(specs);
  const key = merged.map(portKey).join(',');
  if (merged.some((s) => s.protocol === 'all')) return { key: 'all', any: true, l4: [], icmp: [] };
  const l4: NsxL4Entry[] = [];
  for (const protocol of ['tcp', 'udp'] as const) {
    const ports = merged.filter((s) => s.protocol === protocol).map((s) => (s.from === s.to ? `${s.from}` : `${s.from}-${s.to}`));
    for (let i = 0; i < ports.length; i += NSX_PORTS_PER_ENTRY) {
      l4.push({ protocol: protocol === 'tcp' ? 'TCP' : 'UDP', destinationPorts: ports.slice(i, i + NSX_PORTS_PER_ENTRY) });
    }
  }
  const icmp: NsxIcmpEntry[] = merged
    .filter((s) => s.protocol === 'icmp' || s.protocol === 'icmpv6')
    .map((s) => ({
      protocol: s.protocol === 'icmp' ? 'ICMPv4' as const : 'ICMPv6' as const,
      ...(s.from === -1 ? {} : { icmpType: `${s.from}` }),
      ...(s.from === -1 || s.to === -1 ? {} : { icmpCode: `${s.to}` }),
    }));
  return { key, any: false, l4, icmp };
}
