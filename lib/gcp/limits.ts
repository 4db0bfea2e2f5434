/**
 * Limits of Cloud NGFW network firewall policies and secure tags, checked at synth. Sources are in
 * docs/gcp.md: the hashicorp/google provider schema of `google_compute_network_firewall_policy_rule`
 * (tags and ranges per rule, priority range), Google's "Tags for firewalls" page (tags per NIC,
 * keys per project, values per key) and the Cloud NGFW quotas (rule attributes per policy).
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
  /**
   * Rule attributes per firewall policy: the default of the adjustable per-project quotas "Rule
   * attributes per global network firewall policy" and "... per hierarchical firewall policy".
   */
  ruleAttributesPerPolicy: 2000,
} as const;

/** The parts of a firewall policy rule that count towards its policy's rule attribute quota. */
export interface RuleAttributeParts {
  /** `match.src_ip_ranges`. */
  readonly srcIpRanges?: readonly unknown[];
  /** `match.dest_ip_ranges`. */
  readonly destIpRanges?: readonly unknown[];
  /** `match.src_secure_tags`. */
  readonly srcSecureTags?: readonly unknown[];
  /** `target_secure_tags` (network policies) or `target_resources` (hierarchical policies). */
  readonly targets?: readonly unknown[];
  /** `match.layer4_configs`: each entry is a protocol and its ports. */
  readonly layer4Configs?: ReadonlyArray<{ readonly ports?: readonly unknown[] }>;
}

/**
 * The rule attributes of one rule as Cloud NGFW counts them towards the per-policy quota: one per
 * source range, protocol and port or port range (Google's worked example), and, as an upper bound
 * where the quota page gives no example, one per destination range, source secure tag and target.
 */
export function ruleAttributeCount(parts: RuleAttributeParts): number {
  const l4 = (parts.layer4Configs ?? []).reduce((sum, config) => sum + 1 + (config.ports?.length ?? 0), 0);
  return (parts.srcIpRanges?.length ?? 0) + (parts.destIpRanges?.length ?? 0)
    + (parts.srcSecureTags?.length ?? 0) + (parts.targets?.length ?? 0) + l4;
}

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
