// Part of the main API (`NsxEnforcement` takes it) and of the `nsxt` bindings (the policies' `category`).
// Values are spelled exactly as the vmware/nsxt provider validates them (case-sensitive).

/**
 * Distributed firewall category of a security policy (`category`), evaluated left to right.
 */
export enum NsxPolicyCategory {
  /** Layer-2 rules, evaluated first. */
  ETHERNET = 'Ethernet',
  /** Quarantine and emergency rules. */
  EMERGENCY = 'Emergency',
  /** Shared infrastructure services (DNS, AD, NTP...). */
  INFRASTRUCTURE = 'Infrastructure',
  /** Zone-to-zone rules, the only category where `JUMP_TO_APPLICATION` is allowed. */
  ENVIRONMENT = 'Environment',
  /** Per-application rules, evaluated last before the default Layer-3 rule. */
  APPLICATION = 'Application',
}
