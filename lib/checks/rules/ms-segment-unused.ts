import { CheckResult, CheckResults, FindingLevel, ICheckRule } from '../check-rule';
import { PolicyView } from '../policy-view';

/**
 * MS-SEGMENT-UNUSED (warning): every segment has members and is an endpoint of at least one flow.
 * A DenyFlow counts as a use. An unused segment is dead policy, or a sign that a selector or a flow is wrong.
 */
export class MsSegmentUnused implements ICheckRule {
  /** Rule id. */
  public readonly id = 'MS-SEGMENT-UNUSED';
  /** Findings are warnings. */
  public readonly level = FindingLevel.WARNING;
  /** What the rule requires. */
  public readonly description = 'Every segment has members and is the source or destination of at least one flow (AllowFlow or DenyFlow).';

  /** Checks every segment the application declared (not the implicit ones, nor those guardrails create for selectors). */
  public check(view: PolicyView): CheckResult[] {
    const used = new Set<string>();
    for (const flow of view.flows) {
      if (flow.from.segment) used.add(flow.from.segment.node.path);
      if (flow.to.segment) used.add(flow.to.segment.node.path);
    }
    for (const deny of view.denyFlows) {
      if (deny.from?.segment) used.add(deny.from.segment.node.path);
      if (deny.to?.segment) used.add(deny.to.segment.node.path);
    }
    const results: CheckResult[] = [];
    for (const segment of view.segments) {
      if (segment.implicit || segment.guardrail) continue;
      const reasons: string[] = [];
      if (segment.members.length === 0) {
        const selector = Object.entries(segment.selector).map(([k, v]) => `${k}=${v}`).join(',');
        reasons.push(selector ? `has no members (selector {${selector}} matches no workload)` : 'has no members');
      }
      if (!used.has(segment.path)) reasons.push('is in no flow');
      if (reasons.length === 0) continue;
      results.push(CheckResults.nonCompliant(this, segment.segment,
        `Segment '${segment.path}' ${reasons.join(' and ')}, so it renders no useful rule. ${segment.members.length === 0 ? 'Fix the selector or add members' : 'Declare the flows it needs (segment.allowFrom(...))'}, or remove the segment.`));
    }
    return results;
  }
}
