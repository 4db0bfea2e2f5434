import { CheckResult, CheckResults, FindingLevel, ICheckRule } from '../check-rule';
import { EndpointKind, PolicyView } from '../policy-view';
import { openness } from '../private/open-address';
import { coversEveryPort } from '../private/port-coverage';

/**
 * MS-EGRESS-OPEN (warning): no egress from a segment or workload to any address (`0.0.0.0/0`,
 * `::/0`, the Azure `Internet` tag) on every TCP or every UDP port: an open path for exfiltration
 * and command-and-control traffic.
 */
export class MsEgressOpen implements ICheckRule {
  /** Rule id. */
  public readonly id = 'MS-EGRESS-OPEN';
  /** Findings are warnings. */
  public readonly level = FindingLevel.WARNING;
  /** What the rule requires. */
  public readonly description = 'No egress to any address (0.0.0.0/0, ::/0) on every TCP or every UDP port.';

  /** Checks every flow from a segment or workload. */
  public check(view: PolicyView): CheckResult[] {
    const results: CheckResult[] = [];
    for (const flow of view.flows) {
      if (flow.from.kind === EndpointKind.PEER || flow.problems.length > 0) continue;
      const every = (['tcp', 'udp'] as const).filter((p) => coversEveryPort(flow.ports, p));
      if (every.length === 0) continue;
      const destination = openness(flow.to);
      const written = flow.ports.map((p) => p.expression).join(', ');
      if (destination.unknown) {
        results.push(CheckResults.unknown(this, flow.flow, `AllowFlow '${flow.path}' allows every ${every.map((p) => p.toUpperCase()).join(' and ')} port (${written}) to ${destination.unknown}. Check that it does not include every address, then suppress ${this.id} on the flow with that reason.`));
        continue;
      }
      if (!destination.open) continue;
      results.push(CheckResults.nonCompliant(this, flow.flow,
        `AllowFlow '${flow.path}' allows '${flow.from.name}' to reach any address on every ${every.map((p) => p.toUpperCase()).join(' and ')} port: ${written} to ${destination.what}. Allow only the ports it needs (for example Port.HTTPS) or a narrower destination (a proxy, a prefix list or a CIDR).`));
    }
    return results;
  }
}
