import { Token } from 'cdktf';
import { cidrContains, familyOf } from '../model/cidr';
import { peerOf } from '../model/policy-side';
import { Platform } from '../platform';
import type { Side } from '../render/resolve-policy';

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
 * Whether a mapped subnet holds hosts that `cidr` names: the CIDR lies inside the subnet (a host, or
 * a part of it, or the whole subnet). A wider CIDR (`0.0.0.0/0`, the VPC's) names no particular host
 * of the subnet: a mapped subnet is taken to hold its segments' workloads and the hosts the program
 * names inside it, nothing else.
 */
export function subnetHolds(subnetCidr: string, cidr: string): boolean {
  return familyOf(cidr) === 'ipv4' && cidrContains(subnetCidr, cidr);
}
