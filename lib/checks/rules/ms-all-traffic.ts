import { CheckResult, CheckResults, FindingLevel, ICheckRule } from '../check-rule';
import { EndpointKind, PolicyView } from '../policy-view';
import { coversAllTraffic } from '../private/port-coverage';

/**
 * MS-ALL-TRAFFIC (warning): no flow between segments or workloads allows every protocol and port
 * (`Port.allTraffic()`, or every TCP and every UDP port).
 */
export class MsAllTraffic implements ICheckRule {
  /** Rule id. */
  public readonly id = 'MS-ALL-TRAFFIC';
  /** Findings are warnings. */
  public readonly level = FindingLevel.WARNING;
  /** What the rule requires. */
  public readonly description = 'No flow between segments or workloads allows all traffic (Port.allTraffic(), or all TCP and all UDP).';

  /** Checks every flow whose two ends are segments or workloads. */
  public check(view: PolicyView): CheckResult[] {
    const results: CheckResult[] = [];
    for (const flow of view.flows) {
      if (flow.from.kind === EndpointKind.PEER || flow.to.kind === EndpointKind.PEER) continue;
      if (flow.problems.length > 0 || !coversAllTraffic(flow.ports)) continue;
      const written = flow.ports.map((p) => p.expression).join(', ');
      const between = flow.from.name === flow.to.name ? `between the members of '${flow.from.name}'` : `from '${flow.from.name}' to '${flow.to.name}'`;
      results.push(CheckResults.nonCompliant(this, flow.flow,
        `AllowFlow '${flow.path}' allows all traffic ${between} (${written}), which defeats microsegmentation. List only the ports the application uses, for example Port.HTTPS or Port.tcp(8080).`));
    }
    return results;
  }
}
