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

/**
 * Resource types of workloads that are servers running an operating system, whose host firewall
 * applies its rule set; a managed service (a database, a function, a load balancer) runs none.
 */
const SERVER_TYPES: ReadonlySet<string> = new Set([
  'aws_instance', 'aws_launch_template', 'aws_network_interface',
  'azurerm_network_interface', 'azurerm_linux_virtual_machine_scale_set', 'azurerm_windows_virtual_machine_scale_set', 'azurerm_kubernetes_cluster_node_pool',
  'vsphere_virtual_machine', 'google_compute_instance', 'google_compute_instance_template', 'existing-instance',
]);

/**
 * Whether a host firewall enforces a workload's rules on the server itself: it guards the workload
 * ({@link hostFirewallGuards}) and the workload is a server (a `HostBinding`, an instance, a VM, a
 * NIC, a scale set), so the rule set it renders is applied there.
 */
export function hostFirewallRuns(workload: Workload): boolean {
  if (!hostFirewallGuards(workload)) return false;
  return HostBinding.isHostBinding(workload.binding) || SERVER_TYPES.has(workload.binding?.resourceType ?? '');
}
