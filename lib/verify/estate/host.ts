import { Value, textOf } from '../model/value';
import { parseCidr } from '../net/cidr';

/** An endpoint outside every address plan, known only by name on one platform. */
export interface NamedPeer {
  /** What kind of name it is. */
  readonly kind: 'aws-prefix-list' | 'azure-service-tag';
  /** The prefix list id (or its resource key) or the service tag. */
  readonly value: string;
}

/** The AWS side of a host: an interface and the security groups on it. */
export interface AwsInterface {
  /** Key of the instance or network interface; absent for a hypothetical group member. */
  readonly interfaceKey?: string;
  /** Identities of the security groups on the interface. */
  readonly securityGroups: readonly string[];
  /** False when the JSON does not say which security groups the interface has. */
  readonly securityGroupsKnown: boolean;
}

/** The Azure side of a host: a NIC, its ASGs and the NSGs at NIC and subnet level. */
export interface AzureInterface {
  /** Key of the NIC; absent for a hypothetical group member. */
  readonly nicKey?: string;
  /** Identities of the application security groups of the NIC. */
  readonly asgs: readonly string[];
  /** Identities of the NSGs associated with the NIC. */
  readonly nicNsgs: readonly string[];
  /** Identity of the NIC's subnet. */
  readonly subnet?: string;
  /** Identities of the NSGs associated with the subnet. */
  readonly subnetNsgs: readonly string[];
}

/** An NSX tag on a VM. */
export interface NsxTag {
  /** Tag scope (may be empty). */
  readonly scope: string;
  /** Tag value. */
  readonly tag: string;
}

/** The NSX side of a host: a VM with its tags, or a hypothetical member of groups. */
export interface NsxVm {
  /** Key of the VM resource; absent for a hypothetical group member. */
  readonly vmKey?: string;
  /** The VM's name, for Name conditions. */
  readonly vmName?: string;
  /** The VM's NSX tags. */
  readonly tags: readonly NsxTag[];
  /** Keys of groups the host is a member of by construction (a hypothetical member). */
  readonly groups: readonly string[];
}

/**
 * One concrete or hypothetical machine a flow starts or ends at: its addresses and, per platform,
 * the enforcement objects attached to it. Every layer reads only this.
 */
export interface Host {
  /** How the host is named in verdicts. */
  readonly name: string;
  /** Literal CIDRs the host lies within (its IPs as host prefixes, its subnet, a CIDR endpoint). */
  readonly ranges: readonly string[];
  /** Unresolved address expressions (`${app/aws_instance.web.private_ip}`). */
  readonly symbolicAddresses: readonly string[];
  /**
   * Addresses a hypothetical host is known not to have (those of other interfaces in its subnet): a
   * rule naming nothing but such addresses does not match it.
   */
  readonly excludedRanges?: readonly string[];
  /** Set when the host is a named peer (prefix list, service tag). */
  readonly namedPeer?: NamedPeer;
  /** Identity of the AWS subnet the host is in, for network ACLs. */
  readonly awsSubnet?: string;
  /** AWS interface facts, when the host is an AWS interface. */
  readonly aws?: AwsInterface;
  /** Azure NIC facts, when the host is an Azure NIC. */
  readonly azure?: AzureInterface;
  /** NSX facts, when the host is a VM behind the distributed firewall. */
  readonly nsx?: NsxVm;
}

/** Splits resolved address values into literal ranges and symbolic expressions. */
export function addressFacts(values: readonly Value[]): { ranges: string[]; symbolicAddresses: string[] } {
  const ranges: string[] = [];
  const symbolicAddresses: string[] = [];
  for (const value of values) {
    const text = textOf(value);
    if (value.kind === 'literal') {
      if (parseCidr(text)) ranges.push(text);
    } else {
      symbolicAddresses.push(text);
    }
  }
  return { ranges: unique(ranges), symbolicAddresses: unique(symbolicAddresses) };
}

/** The items without duplicates, in first-seen order. */
export function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
