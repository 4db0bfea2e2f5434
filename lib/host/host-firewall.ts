import { Construct } from 'constructs';
import { HostDelivery } from './delivery';
import { HostFirewallFlavor } from './flavor';
import { appWide } from '../private/app-wide';
import { PolicyRegistry, stackOf } from '../registry';
import { Workload } from '../workload';

/** Properties of a {@link HostFirewall}. */
export interface HostFirewallProps {
  /** The workload whose own firewall enforces its flows. */
  readonly workload: Workload;

  /**
   * The host firewall the workload runs.
   * @default - the `HostBinding`'s flavor, else the stack's `HostFirewallEnforcement` flavor, else nftables
   */
  readonly flavor?: HostFirewallFlavor;

  /**
   * How the rule set reaches the workload.
   * @default - `HostDelivery.awsSsm()` for a workload bound with `AwsBinding.instance`, else `HostDelivery.files()`
   */
  readonly delivery?: HostDelivery;
}

/**
 * Enforces one workload's flows with its own host firewall too (see `HostFirewallEnforcement`
 * for every workload of a stack). At most one per workload.
 */
export class HostFirewall extends Construct {
  /** @internal Every HostFirewall of the app that `scope` belongs to, in declaration order. */
  public static _allOf(scope: Construct): HostFirewall[] {
    return appWide(scope, HOST_FIREWALLS, () => []);
  }

  /** @internal The first HostFirewall declared for `workload`, if any (a second one fails synthesis). */
  public static _of(workload: Workload): HostFirewall | undefined {
    return firstByWorkload(workload).get(workload);
  }

  /** The workload. */
  public readonly workload: Workload;
  /** The flavor, when given. */
  public readonly flavor?: HostFirewallFlavor;
  /** The delivery, when given. */
  public readonly delivery?: HostDelivery;

  /** Declares a workload's host firewall. */
  public constructor(scope: Construct, id: string, props: HostFirewallProps) {
    super(scope, id);
    this.workload = props.workload;
    this.flavor = props.flavor;
    this.delivery = props.delivery;
    const all = HostFirewall._allOf(this);
    const first = firstByWorkload(this);
    const earlier = first.get(props.workload);
    if (!earlier) first.set(props.workload, this);
    this.node.addValidation({
      validate: () => (earlier
        ? [`HostFirewall '${this.node.path}': workload '${props.workload.node.path}' already has HostFirewall '${earlier.node.path}'. Declare one per workload.`]
        : []),
    });
    all.push(this);
    // the registry loads the host renderer once some workload or stack uses host firewalls
    PolicyRegistry.of(this).addEnforcement(stackOf(this));
  }
}

const HOST_FIREWALLS = Symbol.for('cdktf-microseg.HostFirewalls');
const FIRST_BY_WORKLOAD = Symbol.for('cdktf-microseg.HostFirewallByWorkload');

/** The first HostFirewall of each workload in the app that `scope` belongs to: looked up, not scanned. */
function firstByWorkload(scope: Construct): Map<Workload, HostFirewall> {
  return appWide(scope, FIRST_BY_WORKLOAD, () => new Map<Workload, HostFirewall>());
}

