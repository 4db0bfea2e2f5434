import { CheckResult, CheckResults, FindingLevel, ICheckRule } from '../check-rule';
import { EndpointView, PolicyView } from '../policy-view';
import { endpointCovers } from '../private/endpoint-coverage';
import { portsCover } from '../private/port-coverage';

/**
 * MS-FLOW-DENIED (warning): no application flow is entirely forbidden by a guardrail deny
 * (`DenyFlow`): where denies are rendered ahead of allows (NSX, Azure) such a flow never carries
 * traffic, which usually means the flow or the guardrail is wrong. Flows of guardrail allows, which
 * take precedence over denies, are not checked. Without DenyFlows the rule finds nothing.
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
    const results: CheckResult[] = [];
    for (const flow of view.flows) {
      if (flow.guardrail || flow.problems.length > 0 || flow.ports.length === 0) continue;
      const deny = view.denyFlows.find((d) => d.ports.length > 0
        && sideCovers(d.from, flow.from) && sideCovers(d.to, flow.to) && portsCover(d.ports, flow.ports));
      if (!deny) continue;
      results.push(CheckResults.nonCompliant(this, flow.flow,
        `AllowFlow '${flow.path}' ('${flow.from.name}' to '${flow.to.name}' on ${flow.ports.map((p) => p.expression).join(', ')}) is entirely forbidden by DenyFlow '${deny.path}' (${deny.ports.map((p) => p.expression).join(', ')}), so it never carries traffic. Remove the flow, or ask the platform team for a GuardrailAllow if the traffic is needed.`));
    }
    return results;
  }
}

function sideCovers(guard: EndpointView | undefined, side: EndpointView): boolean {
  return guard === undefined || endpointCovers(guard, side);
}
