import { CheckResult, FindingLevel, ICheckRule } from '../check-rule';
import { PolicyView } from '../policy-view';
import { openIngressResults } from '../private/open-ingress';

/**
 * MS-ADMIN-OPEN (error): no ingress from any address (`0.0.0.0/0`, `::/0`, the Azure `Internet`
 * tag) on an administration port (SSH 22, RDP 3389). A port range that includes one counts.
 */
export class MsAdminOpen implements ICheckRule {
  /** Rule id. */
  public readonly id = 'MS-ADMIN-OPEN';
  /** Findings fail synthesis. */
  public readonly level = FindingLevel.ERROR;
  /** What the rule requires. */
  public readonly description = 'No ingress from any address (0.0.0.0/0, ::/0) on administration ports (SSH 22, RDP 3389).';

  /** Checks every flow towards a segment or workload. */
  public check(view: PolicyView): CheckResult[] {
    return openIngressResults(this, view, [
      { protocol: 'tcp', port: 22, name: 'SSH' },
      { protocol: 'tcp', port: 3389, name: 'RDP' },
      { protocol: 'udp', port: 3389, name: 'RDP' },
    ], 'an administration port', 'Allow it from a bastion segment or a VPN range such as Peer.ipv4("10.0.0.0/8") instead.');
  }
}
