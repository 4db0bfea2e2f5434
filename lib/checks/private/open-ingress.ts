import { CheckResult, CheckResults, ICheckRule } from '../check-rule';
import { EndpointKind, PolicyView } from '../policy-view';
import { openness } from './open-address';
import { NamedPort, portHits } from './port-coverage';

/**
 * Results of "no ingress from any address on these ports": one per flow that reaches a segment or
 * workload from an open source on a port whose range includes one of `targets`.
 */
export function openIngressResults(rule: ICheckRule, view: PolicyView, targets: readonly NamedPort[], what: string, fix: string): CheckResult[] {
  const results: CheckResult[] = [];
  for (const flow of view.flows) {
    if (flow.to.kind === EndpointKind.PEER) continue;
    const hits = portHits(flow.ports, targets);
    if (hits.length === 0) continue;
    if (flow.problems.length > 0) {
      results.push(CheckResults.notApplicable(rule, flow.flow, `AllowFlow '${flow.path}' is invalid; its own validation reports why.`));
      continue;
    }
    const source = openness(flow.from);
    const hitText = hits.map((h) => h.port.expression === `Port.${h.target.protocol}(${h.target.port})` ? `${h.port.expression} (${h.target.name})` : `${h.port.expression} includes ${h.target.protocol}/${h.target.port} (${h.target.name})`).join(', ');
    if (source.unknown) {
      results.push(CheckResults.unknown(rule, flow.flow, `AllowFlow '${flow.path}' allows ${hitText} from ${source.unknown}. Check that it does not include every address, then suppress ${rule.id} on the flow with that reason.`));
      continue;
    }
    if (!source.open) continue;
    results.push(CheckResults.nonCompliant(rule, flow.flow,
      `AllowFlow '${flow.path}' opens ${what} to any address: ${hitText} from ${source.what} to '${flow.to.name}'. ${fix}`));
  }
  return results;
}
