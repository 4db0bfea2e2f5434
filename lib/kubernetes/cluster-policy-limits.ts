/**
 * The limits the ClusterNetworkPolicy CRD enforces (policy.networking.k8s.io v1alpha2, kubebuilder
 * validation of network-policy-api): checked at synth so that the apply never fails on them.
 */
export const CLUSTER_POLICY_LIMITS = {
  /** Rules per direction (`ingress`, `egress`). */
  rulesPerDirection: 25,
  /** Peers per rule (`from`, `to`). */
  peersPerRule: 25,
  /** CIDRs per `networks` peer. */
  networksPerPeer: 25,
  /** Protocol entries per rule. */
  protocolsPerRule: 25,
  /** Characters of a rule name. */
  ruleNameLength: 100,
} as const;

/** A planned rule as the limits see it: its owner (a guardrail's path) and its JSON. */
export interface ClusterRuleShape {
  readonly owner: string;
  readonly json: Record<string, unknown>;
}

/** The limit problems of one ClusterNetworkPolicy's rules (sentences that follow the policy's name). */
export function clusterPolicyLimitProblems(ingress: readonly ClusterRuleShape[], egress: readonly ClusterRuleShape[]): string[] {
  const problems: string[] = [];
  for (const [direction, rules, peersKey] of [['ingress', ingress, 'from'], ['egress', egress, 'to']] as const) {
    if (rules.length > CLUSTER_POLICY_LIMITS.rulesPerDirection) {
      problems.push(`would hold ${rules.length} ${direction} rules (for ${[...new Set(rules.map((r) => `'${r.owner}'`))].join(', ')}); ClusterNetworkPolicy allows ${CLUSTER_POLICY_LIMITS.rulesPerDirection} per direction. Merge guardrails, or split the workload's pods into several workloads.`);
    }
    for (const rule of rules) {
      const peers = (rule.json[peersKey] as unknown[] | undefined) ?? [];
      if (peers.length > CLUSTER_POLICY_LIMITS.peersPerRule) {
        problems.push(`would give the ${direction} rule of '${rule.owner}' ${peers.length} peers; ClusterNetworkPolicy allows ${CLUSTER_POLICY_LIMITS.peersPerRule} per rule. Name fewer workloads or CIDRs on its other side (a segment with a selector names its members one by one).`);
      }
      const protocols = (rule.json.protocols as unknown[] | undefined) ?? [];
      if (protocols.length > CLUSTER_POLICY_LIMITS.protocolsPerRule) {
        problems.push(`would give the ${direction} rule of '${rule.owner}' ${protocols.length} protocol entries; ClusterNetworkPolicy allows ${CLUSTER_POLICY_LIMITS.protocolsPerRule}. Merge its ports into ranges.`);
      }
    }
  }
  return problems;
}
