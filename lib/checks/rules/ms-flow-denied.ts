import { CheckResult, CheckResults, FindingLevel, ICheckRule } from '../check-rule';
import { PolicyView } from '../policy-view';
import { DenyFlowCoverage } from '../private/deny-flow-coverage';

/**
 * MS-FLOW-DENIED (warning): no application flow is entirely forbidden by a guardrail deny
 * (`DenyFlow`): where denies are rendered ahead of allows (NSX, Azure) such a flow never carries
 * traffic, which usually means the flow or the guardrail is wrong. Flows of guardrail allows, which
 * take precedence over denies, are not checked. Without DenyFlows the rule finds nothing. A deny
 * side that is a CIDR forbids a segment or workload whose addresses all lie inside it (see
 * {@link DenyFlowCoverage}).
 */
export class MsFlowDenied implements ICheckRule {
  /** Rule id. */
  public readonly id = 'MS-FLOW-DENIED';
  /** Findings are warnings. */
  public readonly level = FindingLevel.WARNING;
  /** What the rule requires. */
  public readonly description = 'No application flow is entirely forbidden by a guardrail deny (DenyFlow).';

  /** Compares every valid application flow with every guardrail deny. */
  public check(view: PolicyView): CheckResult[] {
    const denies = new DenyFlowCoverage(view);
    const results: CheckResult[] = [];
    for (const flow of view.flows) {
      if (flow.guardrail || flow.problems.length > 0 || flow.ports.length === 0) continue;
      const deny = denies.forbiddingAll(flow);
      if (!deny) continue;
      results.push(CheckResults.nonCompliant(this, flow.flow,
        `AllowFlow '${flow.path}' ('${flow.from.name}' to '${flow.to.name}' on ${flow.ports.map((p) => p.expression).join(', ')}) is entirely forbidden by DenyFlow '${deny.path}' (${deny.ports.map((p) => p.expression).join(', ')}), so it never carries traffic. Remove the flow, or ask the platform team for a GuardrailAllow if the traffic is needed.`));
    }
    return results;
  }
}
