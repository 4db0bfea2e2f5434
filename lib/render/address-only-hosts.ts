import { Token } from 'cdktf';
import { Platform } from '../platform';
import type { PolicyRegistry } from '../registry';
import type { Side } from './resolve-policy';
import type { Workload } from '../workload';

/**
 * The hosts known only by their addresses (an appliance, another team's server, a host with its
 * own firewall): no platform manages them, so where they sit inside a subnet the library enforces
 * (an AWS network ACL, an Azure subnet NSG), their traffic meets that subnet's rules. These are
 * their literal addresses; another platform's workloads live in that platform's networks, whose
 * private ranges may repeat another's, so their addresses never place them anywhere.
 */

/** The literal addresses of one workload known only by its addresses (none for a managed workload). */
function literalAddresses(workload: Workload): string[] {
  return workload.platform === Platform.EXTERNAL ? workload.addressCidrs.filter((cidr) => !Token.isUnresolved(cidr)) : [];
}

/** The literal addresses of a flow side's members known only by their addresses, sorted and unique. */
export function addressOnlyHostsOf(side: Side): string[] {
  return [...new Set(side.members.flatMap(({ workload }) => literalAddresses(workload)))].sort();
}

/** The app's hosts known only by their addresses, as of a number of workloads declared. */
const appHosts = new WeakMap<PolicyRegistry, { readonly workloads: number; readonly hosts: readonly string[] }>();

/**
 * The literal addresses of every workload of the app known only by its addresses, sorted and unique.
 * Worked out again only after a new workload: workloads are only ever added, and such a workload's
 * addresses are all given when it is declared. Renderers ask for every flow with an address peer.
 */
export function addressOnlyHostsOfApp(registry: PolicyRegistry): readonly string[] {
  const known = appHosts.get(registry);
  if (known?.workloads === registry.workloads.length) return known.hosts;
  const hosts = [...new Set(registry.workloads.flatMap(literalAddresses))].sort();
  appHosts.set(registry, { workloads: registry.workloads.length, hosts });
  return hosts;
}
