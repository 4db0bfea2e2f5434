/**
 * Limits of Cloud NGFW network firewall policies and secure tags, checked at synth. Sources are in
 * docs/gcp.md: the hashicorp/google provider schema of `google_compute_network_firewall_policy_rule`
 * (tags and ranges per rule, priority range) and Google's "Tags for firewalls" page (tags per NIC,
 * keys per project, values per key).
 */
export const GCP_LIMITS = {
  /** Source secure tag values per rule (`match.src_secure_tags`); the renderer writes at most one. */
  srcSecureTagsPerRule: 256,
  /** Target secure tag values per rule (`target_secure_tags`); the renderer writes one. */
  targetSecureTagsPerRule: 256,
  /** Source or destination IP ranges per rule. */
  ipRangesPerRule: 5000,
  /** Secure tags attached to one network interface of a VM. */
  tagsPerNic: 10,
  /** Tag keys per project (or organization). */
  tagKeysPerProject: 1000,
  /** Tag values per tag key. */
  tagValuesPerKey: 1000,
  /** Highest rule priority (0 is evaluated first). */
  maxPriority: 2147483647,
} as const;

/** The priority bands of the rules the enforcement writes into its network firewall policy (lower first). */
export const GCP_BANDS = {
  /** GuardrailAllow rules: ahead of every deny. */
  guardrailAllow: { first: 1000, last: 1999 },
  /** DenyFlow rules. */
  guardrailDeny: { first: 2000, last: 2999 },
  /** Application allow rules. */
  application: { first: 10000, last: 64999 },
  /** The default deny rules: ingress and egress, IPv4 and IPv6, after every application rule. */
  defaultDeny: { ingressIpv4: 65000, egressIpv4: 65001, ingressIpv6: 65002, egressIpv6: 65003 },
} as const;
