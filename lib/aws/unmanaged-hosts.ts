import { Token } from 'cdktf';
import { cidrContains, familyOf } from '../model/cidr';
import { peerOf } from '../model/policy-side';
import { Platform } from '../platform';
import { PolicyRegistry, compare } from '../registry';
import { ResolvedPolicy, Side } from '../render/resolve-policy';

/**
 * The literal IPv4 CIDRs by which a flow side names hosts that no AWS enforcement manages: its
 * literal peer (`Peer.ipv4('10.0.2.200/32')`), and the addresses of its members known only by
 * their addresses (an appliance, another team's server, a host with its own firewall). Such a host
 * inside a mapped subnet is behind that subnet's network ACL like the subnet's own workloads.
 * Another platform's workloads live in that platform's networks, whose private ranges may repeat
 * the VPC's, so their addresses never place them in a subnet of the VPC.
 */
export function unmanagedAddresses(side: Side): string[] {
  const peer = peerOf(side);
  const out: string[] = [];
  if (peer) {
    if (peer.kind === 'address' && !Token.isUnresolved(peer.value)) out.push(peer.value);
  } else {
    for (const { workload } of side.members) {
      if (workload.platform === Platform.EXTERNAL) out.push(...workload.addressCidrs.filter((cidr) => !Token.isUnresolved(cidr)));
    }
  }
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
  const out = new Set<string>();
  const policy = ResolvedPolicy.of(registry);
  for (const flow of registry.flows) {
    if (flow.problems().length > 0) continue;
    const { from, to } = policy.flow(flow);
    for (const side of [from, to]) {
      const peer = peerOf(side);
      if (peer?.kind === 'address' && !Token.isUnresolved(peer.value) && familyOf(peer.value) === 'ipv4') out.add(peer.value);
    }
  }
  for (const workload of registry.workloads) {
    if (workload.platform !== Platform.EXTERNAL) continue;
    for (const cidr of workload.addressCidrs) if (!Token.isUnresolved(cidr) && familyOf(cidr) === 'ipv4') out.add(cidr);
  }
  return [...out].sort(compare);
}
