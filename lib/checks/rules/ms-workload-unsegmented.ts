import { CheckResult, CheckResults, FindingLevel, ICheckRule } from '../check-rule';
import { EndpointKind, PolicyView } from '../policy-view';

/**
 * MS-WORKLOAD-UNSEGMENTED (warning): every workload belongs to at least one segment (or is named
 * directly by a flow, a `GuardrailAllow` or a `DenyFlow`). A workload in none gets no allow rule at
 * all, usually because of a label typo.
 */
export class MsWorkloadUnsegmented implements ICheckRule {
  /** Rule id. */
  public readonly id = 'MS-WORKLOAD-UNSEGMENTED';
  /** Findings are warnings. */
  public readonly level = FindingLevel.WARNING;
  /** What the rule requires. */
  public readonly description = 'Every workload belongs to at least one segment or is named by a flow or a DenyFlow.';

  /** Checks every workload. */
  public check(view: PolicyView): CheckResult[] {
    // the flows include those of GuardrailAllows; a DenyFlow naming a workload is a use too
    const named = new Set<string>();
    for (const end of [...view.flows, ...view.denyFlows].flatMap((f) => [f.from, f.to])) {
      if (end?.kind === EndpointKind.WORKLOAD) named.add(end.name);
    }
    const results: CheckResult[] = [];
    for (const workload of view.workloads) {
      if (workload.segments.length > 0 || named.has(workload.path)) continue;
      const labels = Object.entries(workload.labels).map(([k, v]) => `${k}=${v}`).join(',');
      results.push(CheckResults.nonCompliant(this, workload.workload,
        `Workload '${workload.path}' (labels {${labels}}) is in no segment and no flow names it, so no flow allows any of its traffic. Give it labels that a Segment selector matches, list a segment in its 'segments' prop, or remove it.`));
    }
    return results;
  }
}
