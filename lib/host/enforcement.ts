import { Construct } from 'constructs';
import { HostFirewallFlavor } from './flavor';
import { PolicyRegistry } from '../registry';
import { StackEnforcement } from '../render/stack-enforcement';

/** Properties of {@link HostFirewallEnforcement}. */
export interface HostFirewallEnforcementProps {
  /**
   * The host firewall of the stack's workloads (a `HostFirewall` or `HostBinding` of a workload
   * says otherwise for it).
   * @default HostFirewallFlavor.NFTABLES
   */
  readonly flavor?: HostFirewallFlavor;
}

/**
 * Enforces the policy of every server of this stack (workloads bound to an instance, a VM, a NIC, a
 * scale set or an instance template, and those bound with `HostBinding`; a database, a function or
 * a load balancer runs no host firewall and gets no rule set) with its own host firewall too, under
 * any cloud or hypervisor layer: default
 * deny in both directions, established and related traffic and loopback accepted, guardrail
 * denies before allows, and rules only for the workload's own flows, naming peers by address.
 * Workloads of other stacks opt in one by one with {@link HostFirewall}.
 */
export class HostFirewallEnforcement extends Construct {
  /** The host firewall enforcement of the stack that `scope` belongs to, if any. */
  public static of(scope: Construct): HostFirewallEnforcement | undefined {
    return HOST_ENFORCEMENT.of(scope);
  }

  /** The flavor of the stack's workloads. */
  public readonly flavor: HostFirewallFlavor;

  /** Declares the host firewall enforcement of a stack (at most one per stack). */
  public constructor(scope: Construct, id: string, props: HostFirewallEnforcementProps = {}) {
    super(scope, id);
    const stack = HOST_ENFORCEMENT.claim(this);
    this.flavor = props.flavor ?? HostFirewallFlavor.NFTABLES;
    PolicyRegistry.of(this).addEnforcement(stack);
  }
}

const HOST_ENFORCEMENT = new StackEnforcement<HostFirewallEnforcement>('HostFirewallEnforcement', 'Declare one per stack.');
