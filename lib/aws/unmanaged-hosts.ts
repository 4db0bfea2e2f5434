import { Token } from 'cdktf';
import { cidrContains, familyOf } from '../model/cidr';
import { peerOf } from '../model/policy-side';
import { PolicyRegistry, compare } from '../registry';
import { addressOnlyHostsOfApp, addressOnlyHostsOf } from '../render/address-only-hosts';
import { ResolvedPolicy, Side } from '../render/resolve-policy';

/** A flow side's literal peer, if it is an address (not an expression, not a named peer). */
function literalPeer(side: Side): string | undefined {
  const peer = peerOf(side);
  return peer?.kind === 'address' && !Token.isUnresolved(peer.value) ? peer.value : undefined;
}

/**
 * The literal IPv4 CIDRs by which a flow side names hosts that no AWS enforcement manages: its
 * literal peer (`Peer.ipv4('10.0.2.200/32')`), and the addresses of its members known only by
 * their addresses (see `render/address-only-hosts.ts`). Such a host inside a mapped subnet is behind
 * that subnet's network ACL like the subnet's own workloads.
 */
export function unmanagedAddresses(side: Side): string[] {
  const peer = literalPeer(side);
  const out = peerOf(side) ? (peer ? [peer] : []) : addressOnlyHostsOf(side);
  return out.filter((cidr) => familyOf(cidr) === 'ipv4');
}

/**
 * Whether `cidr` lies inside a mapped subnet (a host, a part of it, or the whole subnet): it names
 * hosts there.
 */
export function subnetHolds(subnetCidr: string, cidr: string): boolean {
  return familyOf(cidr) === 'ipv4' && cidrContains(subnetCidr, cidr);
}

/**
 * The addresses by which the program names hosts that no AWS enforcement manages: every literal
 * IPv4 peer of its valid flows and the literal IPv4 addresses of its workloads known only by their
 * addresses. A mapped subnet holds its segments' workloads and, of these, those inside its CIDR;
 * nothing else.
 */
export function namedUnmanagedHosts(registry: PolicyRegistry): string[] {
  const policy = ResolvedPolicy.of(registry);
  const peers = registry.flows.filter((flow) => flow.problems().length === 0)
    .flatMap((flow) => {
      const { from, to } = policy.flow(flow);
      return [literalPeer(from), literalPeer(to)];
    })
    .filter((cidr): cidr is string => cidr !== undefined);
  return [...new Set([...peers, ...addressOnlyHostsOfApp(registry)])].filter((cidr) => familyOf(cidr) === 'ipv4').sort(compare);
}
