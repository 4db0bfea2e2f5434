import { HostBinding } from './binding';
import { HostFirewallEnforcement } from './enforcement';
import { HostFirewall } from './host-firewall';
import type { PolicyRegistry } from '../registry';
import type { Workload } from '../workload';

/** Whether an app uses host firewalls: a `HostBinding`, a `HostFirewall` or a `HostFirewallEnforcement`. */
export function usesHostFirewalls(registry: PolicyRegistry): boolean {
  return registry.workloads.some((workload) => HostBinding.isHostBinding(workload.binding))
    || registry.enforcementStacks.some((stack) => HostFirewallEnforcement.of(stack) !== undefined || HostFirewall._allOf(stack).length > 0);
}

/**
 * Whether a host firewall guards a workload, rendering its rule set (DenyFlow drops included): a
 * server bound with `HostBinding`, a workload with its own `HostFirewall`, or a bound workload in a
 * stack with a `HostFirewallEnforcement`.
 */
export function hostFirewallGuards(workload: Workload): boolean {
  if (HostBinding.isHostBinding(workload.binding) || HostFirewall._of(workload) !== undefined) return true;
  return workload.binding !== undefined && HostFirewallEnforcement.of(workload.resource ?? workload) !== undefined;
}
