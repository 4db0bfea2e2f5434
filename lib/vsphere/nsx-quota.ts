/** The shape of a rendered NSX group that the quotas count. */
export interface NsxGroupShape {
  /** A name of the group for reports (the segment path or the peer). */
  readonly name: string;
  /** Number of conditions in each criteria block (1 for an IP address expression). */
  readonly conditionsPerCriteria: readonly number[];
  /**
   * Number of addresses in each IP address expression of the group.
   * @default - none: the group matches by tag
   */
  readonly addressesPerExpression?: readonly number[];
}

/** The shape of a rendered NSX rule that the quotas count. */
export interface NsxRuleShape {
  /** A name of the rule for reports (the flow path, or the drop rule). */
  readonly name: string;
  /** Group paths on the source side. */
  readonly sourceGroups: number;
  /** Group paths on the destination side. */
  readonly destinationGroups: number;
}

/** NSX limits checked at synth. */
export interface NsxLimits {
  /** Rules per security policy; NSX: 1000. */
  readonly rulesPerPolicy: number;
  /** Groups on one side of a rule; NSX: 128. */
  readonly groupsPerRuleSide: number;
  /** Criteria blocks per group; NSX: 5. */
  readonly criteriaPerGroup: number;
  /** Conditions per criteria block; NSX: 5. */
  readonly conditionsPerCriteria: number;
  /** Addresses in one IP address expression (`ip_addresses`); NSX: 4000. */
  readonly addressesPerExpression: number;
}

/** The documented NSX limits. */
export const NSX_LIMITS: NsxLimits = {
  rulesPerPolicy: 1000,
  groupsPerRuleSide: 128,
  criteriaPerGroup: 5,
  conditionsPerCriteria: 5,
  addressesPerExpression: 4000,
};

/** One exceeded NSX limit. */
export type NsxQuotaFinding =
  | { readonly quota: 'rules-per-policy'; readonly count: number; readonly limit: number }
  | { readonly quota: 'groups-per-rule-side'; readonly rule: string; readonly side: 'source' | 'destination'; readonly count: number; readonly limit: number }
  | { readonly quota: 'criteria-per-group'; readonly group: string; readonly count: number; readonly limit: number }
  | { readonly quota: 'conditions-per-criteria'; readonly group: string; readonly criteria: number; readonly count: number; readonly limit: number }
  | { readonly quota: 'addresses-per-expression'; readonly group: string; readonly criteria: number; readonly count: number; readonly limit: number };

/**
 * The limits that one policy (its rules and the groups they use) exceeds, in a deterministic order.
 * Only condition criteria count toward `conditionsPerCriteria`: pass 1 for an IP address
 * expression.
 */
export function nsxQuotaFindings(rules: readonly NsxRuleShape[], groups: readonly NsxGroupShape[], limits: NsxLimits): NsxQuotaFinding[] {
  const findings: NsxQuotaFinding[] = [];
  if (rules.length > limits.rulesPerPolicy) findings.push({ quota: 'rules-per-policy', count: rules.length, limit: limits.rulesPerPolicy });
  for (const rule of [...rules].sort((a, b) => compare(a.name, b.name))) {
    for (const side of ['source', 'destination'] as const) {
      const count = side === 'source' ? rule.sourceGroups : rule.destinationGroups;
      if (count > limits.groupsPerRuleSide) findings.push({ quota: 'groups-per-rule-side', rule: rule.name, side, count, limit: limits.groupsPerRuleSide });
    }
  }
  for (const group of [...groups].sort((a, b) => compare(a.name, b.name))) {
    if (group.conditionsPerCriteria.length > limits.criteriaPerGroup) {
      findings.push({ quota: 'criteria-per-group', group: group.name, count: group.conditionsPerCriteria.length, limit: limits.criteriaPerGroup });
    }
    group.conditionsPerCriteria.forEach((count, index) => {
      if (count > limits.conditionsPerCriteria) findings.push({ quota: 'conditions-per-criteria', group: group.name, criteria: index + 1, count, limit: limits.conditionsPerCriteria });
    });
    (group.addressesPerExpression ?? []).forEach((count, index) => {
      if (count > limits.addressesPerExpression) findings.push({ quota: 'addresses-per-expression', group: group.name, criteria: index + 1, count, limit: limits.addressesPerExpression });
    });
  }
  return findings;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
