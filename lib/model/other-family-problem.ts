import { PortSpec, portKey } from './ports';

/**
 * The problem of an allow whose every port is ICMP of the other IP family than every address its
 * rules would name (`rules`: how the platform's rules are called, "its firewall policy rules"): no
 * packet could match them, so the flow would be silently missing.
 */
export function otherFamilyProblem(family: 'ipv4' | 'ipv6', specs: readonly PortSpec[], rules: string): string {
  const ipv4 = family === 'ipv4';
  return `allows only ${specs.map(portKey).join(', ')}, but ${rules} would name ${ipv4 ? 'IPv4' : 'IPv6'} addresses only, `
    + `which no ${ipv4 ? 'ICMPv6' : 'ICMPv4'} packet comes from or goes to. Use ${ipv4 ? 'Port.icmp()' : 'Port.icmpv6()'}, `
    + `or name the ${ipv4 ? 'IPv6' : 'IPv4'} addresses (${ipv4 ? 'Peer.ipv6()' : 'Peer.ipv4()'}).`;
}
