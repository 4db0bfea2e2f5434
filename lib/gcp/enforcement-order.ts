/**
 * When the network firewall policies of a VPC network run relative to its classic VPC firewall
 * rules (`network_firewall_policy_enforcement_order` of `google_compute_network`).
 */
export enum GcpEnforcementOrder {
  /** Network firewall policies first: classic rules cannot open what the policy denies. */
  BEFORE_CLASSIC_FIREWALL = 'BEFORE_CLASSIC_FIREWALL',
  /** Classic VPC firewall rules first (Google's default): a classic allow wins over the policy. */
  AFTER_CLASSIC_FIREWALL = 'AFTER_CLASSIC_FIREWALL',
}
