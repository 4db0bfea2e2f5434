import { mergePortSpecs, portKey, PortSpec } from '../model/ports';

/**
 * NSX accepts at most this many port values in one `l4_port_set_entry` (NSX API type
 * L4PortSetNSService), where a single port counts one and a range (`8000-8100`) counts two.
 */
export const NSX_PORTS_PER_ENTRY = 15;

/** How many of the {@link NSX_PORTS_PER_ENTRY} values a destination port entry uses: a range counts two. */
export function nsxPortWeight(port: string): number {
  return port.includes('-') ? 2 : 1;
}

/** The IP protocol number of SCTP. */
const SCTP_PROTOCOL_NUMBER = 132;

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
  /** Layer-4 entries, TCP first, each worth at most {@link NSX_PORTS_PER_ENTRY} values (a range counts two). */
  readonly l4: NsxL4Entry[];
  /** ICMP entries. */
  readonly icmp: NsxIcmpEntry[];
  /**
   * IP protocol numbers matched whole (`ip_protocol_entry`): 132 for SCTP, which L4 port set
   * entries (TCP and UDP only) cannot carry; the model lets only every SCTP port reach here.
   */
  readonly ipProtocols: number[];
}

/**
 * The NSX service for a set of port specs: merged (duplicates, overlaps and adjacent ranges join),
 * keyed by the merged port keys, so two rules asking for the same ports share one service whatever
 * the order they list them in.
 */
export function nsxServiceShape(specs: readonly PortSpec[]): NsxServiceShape {
  const merged = mergePortSpecs(specs);
  const key = merged.map(portKey).join(',');
  if (merged.some((s) => s.protocol === 'all')) return { key: 'all', any: true, l4: [], icmp: [], ipProtocols: [] };
  const l4: NsxL4Entry[] = [];
  for (const protocol of ['tcp', 'udp'] as const) {
    const ports = merged.filter((s) => s.protocol === protocol).map((s) => (s.from === s.to ? `${s.from}` : `${s.from}-${s.to}`));
    let entry: string[] = [];
    let used = 0;
    for (const port of ports) {
      const weight = nsxPortWeight(port);
      if (used + weight > NSX_PORTS_PER_ENTRY) {
        l4.push({ protocol: protocol === 'tcp' ? 'TCP' : 'UDP', destinationPorts: entry });
        entry = [];
        used = 0;
      }
      entry.push(port);
      used += weight;
    }
    if (entry.length > 0) l4.push({ protocol: protocol === 'tcp' ? 'TCP' : 'UDP', destinationPorts: entry });
  }
  const icmp: NsxIcmpEntry[] = merged
    .filter((s) => s.protocol === 'icmp' || s.protocol === 'icmpv6')
    .map((s) => ({
      protocol: s.protocol === 'icmp' ? 'ICMPv4' as const : 'ICMPv6' as const,
      ...(s.from === -1 ? {} : { icmpType: `${s.from}` }),
      ...(s.from === -1 || s.to === -1 ? {} : { icmpCode: `${s.to}` }),
    }));
  const ipProtocols = merged.some((s) => s.protocol === 'sctp') ? [SCTP_PROTOCOL_NUMBER] : [];
  return { key, any: false, l4, icmp, ipProtocols };
}
