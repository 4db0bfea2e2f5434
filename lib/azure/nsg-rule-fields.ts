import { PortSpec } from '../model/ports';

/**
 * The protocol of an NSG rule as Azure writes it. A rule carries one protocol, so a flow's ports of
 * one protocol share a rule whose port list updates in place as ports are added or edited.
 */
export type AzureProtocol = 'Tcp' | 'Udp' | 'Icmp' | '*';

/** The Azure protocol of a port spec. ICMP rules match every type and code (both ICMP families). */
export function azureProtocol(spec: PortSpec): AzureProtocol {
  switch (spec.protocol) {
    case 'tcp': return 'Tcp';
    case 'udp': return 'Udp';
    case 'icmp':
    case 'icmpv6': return 'Icmp';
    default: return '*';
  }
}

/** The protocol as it appears in readable rule names (`tcp`, `udp`, `icmp`, `all`). */
export function protocolName(protocol: AzureProtocol): string {
  return protocol === '*' ? 'all' : protocol.toLowerCase();
}

/** The destination port fields of a rule: one range in `destination_port_range`, several in `destination_port_ranges`. */
export interface PortFields {
  /** The single range (`443`, `8000-8100`, `*`). */
  readonly destinationPortRange?: string;
  /** Several ranges. */
  readonly destinationPortRanges?: string[];
}

/**
 * The destination ports of a rule of `protocol` from its merged port specs. Both fields update in
 * place in azurerm, so a rule that gains a second range keeps its name and address.
 */
export function portFields(protocol: AzureProtocol, merged: readonly PortSpec[]): PortFields {
  if (protocol !== 'Tcp' && protocol !== 'Udp') return { destinationPortRange: '*' };
  const ranges = merged.map(azurePortRange);
  if (ranges.length === 0 || ranges.includes('*')) return { destinationPortRange: '*' };
  return ranges.length === 1 ? { destinationPortRange: ranges[0] } : { destinationPortRanges: ranges };
}

/** The destination port range of a TCP or UDP port spec as Azure writes it (`443`, `8000-8100`, `*`). */
function azurePortRange(spec: PortSpec): string {
  if (spec.from <= 0 && spec.to >= 65535) return '*';
  return spec.from === spec.to ? `${spec.from}` : `${spec.from}-${spec.to}`;
}

/** One side of a rule: ASG ids, one address prefix, or several. */
export interface SideFields {
  /** Application security group ids. */
  readonly asgs?: string[];
  /** One address prefix (a CIDR, an address, `*` or a service tag). */
  readonly prefix?: string;
  /** Several address prefixes (no service tags). */
  readonly prefixes?: string[];
}

/** The `source_*` fields of a rule side. */
export function sourceFields(side: SideFields): Record<string, unknown> {
  if (side.asgs) return { sourceApplicationSecurityGroupIds: side.asgs };
  return side.prefixes ? { sourceAddressPrefixes: side.prefixes } : { sourceAddressPrefix: side.prefix };
}

/** The `destination_*` fields of a rule side. */
export function destinationFields(side: SideFields): Record<string, unknown> {
  if (side.asgs) return { destinationApplicationSecurityGroupIds: side.asgs };
  return side.prefixes ? { destinationAddressPrefixes: side.prefixes } : { destinationAddressPrefix: side.prefix };
}

/** Addresses as one prefix when there is one, as a list otherwise (both update in place). */
export function addressSide(addresses: readonly string[]): SideFields {
  return addresses.length === 1 ? { prefix: addresses[0] } : { prefixes: [...addresses] };
}
