import { HostBinding } from './binding';
import { HostFirewallEnforcement } from './enforcement';
import { HostFirewall } from './host-firewall';
import type { PolicyRegistry } from '../registry';

/** Whether an app uses host firewalls: a `HostBinding`, a `HostFirewall` or a `HostFirewallEnforcement`. */
export function usesHostFirewalls(registry: PolicyRegistry): boolean {
  return registry.workloads.some((workload) => HostBinding.isHostBinding(workload.binding))
    || registry.enforcementStacks.some((stack) => HostFirewallEnforcement.of(stack) !== undefined || HostFirewall._allOf(stack).length > 0);
}
