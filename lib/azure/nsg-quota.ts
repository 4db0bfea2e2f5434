/** The part of an Azure NSG rule that the ASG quotas count. */
export interface NsgRuleShape {
  /** A name of the rule for reports. */
  readonly name: string;
  /** ASG identities on the source side. */
  readonly sourceAsgs: readonly string[];
  /** ASG identities on the destination side. */
  readonly destinationAsgs: readonly string[];
}

/** Azure's limits on one network security group. */
export interface NsgLimits {
  /** Rules per NSG (default rules excluded); Azure: 1000. */
  readonly rulesPerNsg: number;
  /** ASGs on one side of one rule; Azure: 10. */
  readonly asgsPerRuleSide: number;
  /** Distinct ASGs across all rules of one NSG; Azure: 100. */
  readonly asgsPerNsg: number;
  /** Address prefixes on one side of one rule; Azure: 4000. */
  readonly addressesPerRuleSide: number;
}

/** Azure's documented limits. */
export const AZURE_NSG_LIMITS: NsgLimits = { rulesPerNsg: 1000, asgsPerRuleSide: 10, asgsPerNsg: 100, addressesPerRuleSide: 4000 };

/** Azure's limit of ASGs per NIC IP configuration. */
export const AZURE_ASGS_PER_NIC = 20;

/** One exceeded quota. */
export type NsgQuotaFinding =
  | { readonly quota: 'rules-per-nsg'; readonly count: number; readonly limit: number }
  | { readonly quota: 'asgs-per-rule-side'; readonly rule: string; readonly side: 'source' | 'destination'; readonly count: number; readonly limit: number }
  | { readonly quota: 'asgs-per-nsg'; readonly count: number; readonly limit: number; readonly asgs: readonly string[] };

/** The quotas that the rules of one NSG exceed, in a deterministic order. */
export function nsgQuotaFindings(rules: readonly NsgRuleShape[], limits: NsgLimits): NsgQuotaFinding[] {
  const findings: NsgQuotaFinding[] = [];
  if (rules.length > limits.rulesPerNsg) {
    findings.push({ quota: 'rules-per-nsg', count: rules.length, limit: limits.rulesPerNsg });
  }
  const all = new Set<string>();
  const sorted = [...rules].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const rule of sorted) {
    for (const side of ['source', 'destination'] as const) {
      const asgs = new Set(side === 'source' ? rule.sourceAsgs : rule.destinationAsgs);
      asgs.forEach((a) => all.add(a));
      if (asgs.size > limits.asgsPerRuleSide) {
        findings.push({ quota: 'asgs-per-rule-side', rule: rule.name, side, count: asgs.size, limit: limits.asgsPerRuleSide });
      }
    }
  }
  if (all.size > limits.asgsPerNsg) {
    findings.push({ quota: 'asgs-per-nsg', count: all.size, limit: limits.asgsPerNsg, asgs: [...all].sort() });
  }
  return findings;
}
