import { familyOf } from '../model/cidr';
import { PortSpec } from '../model/ports';

/** An inclusive port range used by return traffic. */
export interface EphemeralRange {
  /** First port. */
  readonly from: number;
  /** Last port. */
  readonly to: number;
}

/** ICMP request types and the type of their reply (RFC 792 / RFC 4443). */
const ICMP_REPLIES: Record<string, Record<number, number>> = {
  icmp: { 8: 0, 13: 14, 15: 16, 17: 18 },
  icmpv6: { 128: 129 },
};

/**
 * What a stateless filter must let back for a request on `spec`: TCP and UDP replies go to the
 * client's ephemeral ports, SCTP as the whole SCTP protocol, `all` comes back as `all`, an ICMP request comes back as its reply
 * type (echo 8 as echo reply 0), any ICMP as any ICMP. ICMP types that have no reply (destination
 * unreachable, time exceeded...) need no return rule.
 */
export function returnSpecs(spec: PortSpec, ephemeral: EphemeralRange): PortSpec[] {
  switch (spec.protocol) {
    case 'all': return [spec];
    case 'tcp':
    case 'udp': return [{ protocol: spec.protocol, from: ephemeral.from, to: ephemeral.to }];
    // an SCTP entry matches the whole protocol (ports apply to tcp and udp only), replies included
    case 'sctp': return [{ protocol: 'sctp', from: 0, to: 65535 }];
    default: {
      if (spec.from === -1) return [{ protocol: spec.protocol, from: -1, to: -1 }];
      const reply = ICMP_REPLIES[spec.protocol][spec.from];
      return reply === undefined ? [] : [{ protocol: spec.protocol, from: reply, to: 0 }];
    }
  }
}

/** Whether `peerKey` names a literal CIDR (as opposed to a Terraform expression). */
export function isLiteralPeer(rule: { readonly peerKey: string }): boolean {
  return rule.peerKey.startsWith('cidr:');
}

/** The start of the peer key of an IPv6 CIDR known only at apply (`Peer.ipv6(expression)`). */
export const EXPRESSION_IPV6_PREFIX = 'addr6:';

/** The address family a rule counts against; expressions count as IPv4 unless declared IPv6. */
export function ruleFamily(rule: { readonly peerKey: string; readonly cidr: string }): 'ipv4' | 'ipv6' {
  if (rule.peerKey.startsWith(EXPRESSION_IPV6_PREFIX)) return 'ipv6';
  return isLiteralPeer(rule) && familyOf(rule.cidr) === 'ipv6' ? 'ipv6' : 'ipv4';
}
