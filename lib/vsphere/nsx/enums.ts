/**
 * String enums for the closed value sets of the vmware/nsxt provider arguments used by the NSX bindings.
 *
 * Every value is spelled exactly as the provider validates it (`validation.StringInSlice(..., false)`
 * is case-sensitive), so `ICMPv4` and `VirtualMachine` keep their mixed case. The policy category is
 * `NsxPolicyCategory` of the main API (`lib/vsphere/policy-category.ts`): `NsxEnforcement` takes it too.
 */

/**
 * Action of a distributed firewall rule (`action`, provider default `ALLOW`).
 */
export enum NsxRuleAction {
  /** Allow the flow. */
  ALLOW = 'ALLOW',
  /** Silently drop the flow. */
  DROP = 'DROP',
  /** Drop the flow and answer with a TCP RST or ICMP unreachable. */
  REJECT = 'REJECT',
  /** Stop evaluating the Environment category and continue in the Application category (Environment category only). */
  JUMP_TO_APPLICATION = 'JUMP_TO_APPLICATION',
}

/**
 * Direction of a distributed firewall rule seen from the vNIC where it applies (`direction`, provider default `IN_OUT`).
 */
export enum NsxRuleDirection {
  /** Traffic entering the VM. */
  IN = 'IN',
  /** Traffic leaving the VM. */
  OUT = 'OUT',
  /** Both directions. */
  IN_OUT = 'IN_OUT',
}

/**
 * IP version matched by a distributed firewall rule (`ip_version`, provider default `IPV4_IPV6`).
 */
export enum NsxIpVersion {
  /** IPv4 only. */
  IPV4 = 'IPV4',
  /** IPv6 only. */
  IPV6 = 'IPV6',
  /** IPv4 and IPv6. */
  IPV4_IPV6 = 'IPV4_IPV6',
  /** No IP version, for rules in the Ethernet category. */
  NONE = 'NONE',
}

/**
 * Layer-4 protocol of an `l4_port_set_entry` of a policy service.
 */
export enum NsxL4Protocol {
  /** TCP. */
  TCP = 'TCP',
  /** UDP. */
  UDP = 'UDP',
}

/**
 * ICMP version of an `icmp_entry` of a policy service.
 */
export enum NsxIcmpProtocol {
  /** ICMP for IPv4. */
  ICMPV4 = 'ICMPv4',
  /** ICMP for IPv6. */
  ICMPV6 = 'ICMPv6',
}

/**
 * Attribute queried by a group `condition` (`key`).
 */
export enum NsxGroupConditionKey {
  /** NSX tag, value written `scope|tag` (or `tag` alone). */
  TAG = 'Tag',
  /** Object display name (VirtualMachine member type only). */
  NAME = 'Name',
  /** Guest OS name (VirtualMachine member type only). */
  OS_NAME = 'OSName',
  /** Guest computer name (VirtualMachine member type only). */
  COMPUTER_NAME = 'ComputerName',
}

/**
 * Inventory object type a group `condition` selects (`member_type`).
 */
export enum NsxGroupConditionMemberType {
  /** Virtual machines. */
  VIRTUAL_MACHINE = 'VirtualMachine',
  /** Policy segments. */
  SEGMENT = 'Segment',
  /** Policy segment ports. */
  SEGMENT_PORT = 'SegmentPort',
  /** Legacy IP sets. */
  IP_SET = 'IPSet',
  /** Manager-mode logical ports. */
  LOGICAL_PORT = 'LogicalPort',
  /** Manager-mode logical switches. */
  LOGICAL_SWITCH = 'LogicalSwitch',
}

/**
 * Comparison operator of a group `condition` (`operator`).
 */
export enum NsxGroupConditionOperator {
  /** Exact match (case-insensitive for tags). */
  EQUALS = 'EQUALS',
  /** Negated exact match. */
  NOT_EQUALS = 'NOTEQUALS',
  /** Substring match. */
  CONTAINS = 'CONTAINS',
  /** Prefix match. */
  STARTS_WITH = 'STARTSWITH',
  /** Suffix match. */
  ENDS_WITH = 'ENDSWITH',
}

/**
 * Operator of a group `conjunction` placed between two `criteria` blocks.
 */
export enum NsxConjunctionOperator {
  /** Both neighbouring criteria must match (they must use the same expression type and member type). */
  AND = 'AND',
  /** Either neighbouring criteria may match. */
  OR = 'OR',
}
