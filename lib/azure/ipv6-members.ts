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
 * The IPv6 addresses of a workload known at synth, as host CIDRs, sorted: its literal IPv6
 * `addresses`, and the literal IPv6 `private_ip_address` of its NIC's ip configurations.
 */
export function ipv6AddressesOf(workload: Workload): string[] {
  const found = new Set(workload.addressCidrs.filter(isIpv6Literal));
  const configurations = (workload.resource as NetworkInterface | undefined)?.ipConfigurationInput;
  if (Array.isArray(configurations)) {
    for (const configuration of configurations) {
      const address = configuration.privateIpAddress;
      if (typeof address === 'string' && isIpv6Literal(address)) found.add(hostCidr(address));
    }
  }
  return [...found].sort(compare);
}
