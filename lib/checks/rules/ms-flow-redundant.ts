import { CheckResult, CheckResults, FindingLevel, ICheckRule } from '../check-rule';
import { FlowView, PolicyView } from '../policy-view';
import { CoveringFlows } from '../private/covering-flows';
import { DenyFlowCoverage } from '../private/deny-flow-coverage';
import { endpointCovers } from '../private/endpoint-coverage';
import { portsCover } from '../private/port-coverage';

/**
 * MS-FLOW-REDUNDANT (warning): no flow is covered by another one, that is, another flow whose
 * source includes this flow's source, whose destination includes its destination and whose ports
 * include its ports. A segment includes another when it has every one of the other's (current)
 * members; a CIDR includes the CIDRs inside it. Of two flows that cover each other, the later one is
 * reported. An application flow never covers the flow of a `GuardrailAllow` whose traffic a DenyFlow
 * may forbid in part: the guardrail allow ranks above the denies and the application flow below
 * them, so removing the guardrail allow would cut that traffic.
 */
export class MsFlowRedundant implements ICheckRule {
  /** Rule id. */
  public readonly id = 'MS-FLOW-REDUNDANT';
  /** Findings are warnings. */
  public readonly level = FindingLevel.WARNING;
  /** What the rule requires. */
  public readonly description = 'No flow is shadowed by (made redundant by) another flow whose endpoints and ports cover it.';

  /** Compares each valid flow with the flows that may cover it, the first that does in declaration order named. */
  public check(view: PolicyView): CheckResult[] {
    const flows = view.flows.filter((f) => f.problems.length === 0 && f.ports.length > 0);
    const covering = new CoveringFlows(flows);
    const denies = new DenyFlowCoverage(view);
    const overridingDenies = new Set(flows.filter((f) => f.guardrail && denies.forbidsSome(f)));
    const covers = (outer: FlowView, inner: FlowView) =>
      (outer.guardrail || !overridingDenies.has(inner)) && coversTraffic(outer, inner);
    const results: CheckResult[] = [];
    flows.forEach((flow, index) => {
      const position = covering.candidates(index).find((otherIndex) => {
        const other = flows[otherIndex];
        return other !== flow && covers(other, flow) && (otherIndex < index || !covers(flow, other));
      });
      if (position === undefined) return;
      const cover = flows[position];
      const same = covers(flow, cover);
      results.push(CheckResults.nonCompliant(this, flow.flow,
        `AllowFlow '${flow.path}' (${describe(flow)}) is ${same ? 'a duplicate of' : 'shadowed by'} AllowFlow '${cover.path}' (${describe(cover)}), which already allows all of its traffic. Remove one of them, or narrow '${cover.path}' if it allows more than intended.`));
    });
    return results;
  }
}

/** Whether `outer`'s endpoints and ports include all of `inner`'s. */
function coversTraffic(outer: FlowView, inner: FlowView): boolean {
  return endpointCovers(outer.from, inner.from) && endpointCovers(outer.to, inner.to) && portsCover(outer.ports, inner.ports);
}

function describe(flow: FlowView): string {
  return `'${flow.from.name}' to '${flow.to.name}' on ${flow.ports.map((p) => p.expression).join(', ')}`;
}
