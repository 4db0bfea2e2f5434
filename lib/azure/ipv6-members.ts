import { NetworkInterface } from '@cdktf/provider-azurerm/lib/network-interface';
import { Token } from 'cdktf';
import { familyOf, hostCidr } from '../model/cidr';
import { compare } from '../registry';
import { Workload } from '../workload';

/**
 * Azure application security groups hold the IPv4 ip-configurations of their NICs only: a rule
 * whose side is an ASG never matches IPv6 traffic. A rule for IPv6 traffic therefore names its
 * Azure members by their IPv6 addresses instead.
 */

/** Whether an address prefix is a literal IPv6 CIDR or address (an expression's family is unknown). */
export function isIpv6Literal(prefix: string): boolean {
  return !Token.isUnresolved(prefix) && familyOf(prefix) === 'ipv6';
}

/**
 * The addresses of a workload known at synth, as written: its literal `addresses`, and the literal
 * `private_ip_address` of its NIC's ip configurations (both families).
 */
export function literalNicAddresses(workload: Workload): string[] {
  const found = workload.addressCidrs.filter((address) => !Token.isUnresolved(address) && familyOf(address) !== undefined);
  const configurations = (workload.resource as NetworkInterface | undefined)?.ipConfigurationInput;
  if (Array.isArray(configurations)) {
    for (const configuration of configurations) {
      const address = configuration.privateIpAddress;
      if (typeof address === 'string' && !Token.isUnresolved(address) && familyOf(address) !== undefined) found.push(address);
    }
  }
  return found;
}

/**
 * The IPv6 addresses of a workload known at synth, as host CIDRs, sorted: its literal IPv6
 * `addresses`, and the literal IPv6 `private_ip_address` of its NIC's ip configurations.
 */
export function ipv6AddressesOf(workload: Workload): string[] {
  return [...new Set(literalNicAddresses(workload).filter(isIpv6Literal).map(hostCidr))].sort(compare);
}
