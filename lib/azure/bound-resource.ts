import type { KubernetesClusterNodePool } from '@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool';
import type { LinuxVirtualMachineScaleSet, LinuxVirtualMachineScaleSetNetworkInterface } from '@cdktf/provider-azurerm/lib/linux-virtual-machine-scale-set';
import type { NetworkInterface } from '@cdktf/provider-azurerm/lib/network-interface';
import type { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import { Fn, TerraformResource, Token } from 'cdktf';
import type { Workload } from '../workload';

/** Terraform type of a network interface binding. */
export const AZURE_NETWORK_INTERFACE = 'azurerm_network_interface';
/** Terraform type of a Linux virtual machine scale set binding. */
export const AZURE_LINUX_SCALE_SET = 'azurerm_linux_virtual_machine_scale_set';
/** Terraform type of a Windows virtual machine scale set binding. */
export const AZURE_WINDOWS_SCALE_SET = 'azurerm_windows_virtual_machine_scale_set';
/** Terraform type of a private endpoint binding. */
export const AZURE_PRIVATE_ENDPOINT = 'azurerm_private_endpoint';
/** Terraform type of an AKS node pool binding. */
export const AZURE_NODE_POOL = 'azurerm_kubernetes_cluster_node_pool';

/** What kind of Azure resource a workload stands for. */
export type AzureBoundKind = 'nic' | 'scale-set' | 'private-endpoint' | 'node-pool';

/** The kind of each Terraform type an Azure binding accepts, with the factory that binds it. */
export const AZURE_BOUND_TYPES: ReadonlyArray<{ readonly type: string; readonly kind: AzureBoundKind; readonly factory: string }> = [
  { type: AZURE_NETWORK_INTERFACE, kind: 'nic', factory: 'AzureBinding.networkInterface' },
  { type: AZURE_LINUX_SCALE_SET, kind: 'scale-set', factory: 'AzureBinding.virtualMachineScaleSet' },
  { type: AZURE_WINDOWS_SCALE_SET, kind: 'scale-set', factory: 'AzureBinding.virtualMachineScaleSet' },
  { type: AZURE_PRIVATE_ENDPOINT, kind: 'private-endpoint', factory: 'AzureBinding.privateEndpoint' },
  { type: AZURE_NODE_POOL, kind: 'node-pool', factory: 'AzureBinding.kubernetesNodePool' },
];

/** The kind of resource an Azure workload is bound to. */
export function boundKind(workload: Workload): AzureBoundKind {
  const type = workload.resource?.terraformResourceType;
  return AZURE_BOUND_TYPES.find((entry) => entry.type === type)?.kind ?? 'nic';
}

/** How a message names the bound resource (`NIC 'app/web-nic'`, `scale set 'app/web'`). */
export function describeBound(workload: Workload): string {
  const noun: Record<AzureBoundKind, string> = { 'nic': 'NIC', 'scale-set': 'scale set', 'private-endpoint': 'private endpoint', 'node-pool': 'AKS node pool' };
  return `${noun[boundKind(workload)]} '${workload.resource!.node.path}'`;
}

/** One subnet a bound resource is configured in, with where the configuration says so. */
export interface BoundSubnet {
  /** The configured subnet id (a literal or a reference token). */
  readonly subnetId: string;
  /** Where it is configured, for messages (`ip_configuration "primary"`). */
  readonly where: string;
}

/**
 * The subnets the bound resource's configuration names: a NIC's and a scale set's ip
 * configurations, a private endpoint's `subnet_id`, a node pool's `vnet_subnet_id`. Undefined when
 * the configuration cannot be read at synth (a token in place of the blocks).
 */
export function boundSubnets(workload: Workload): BoundSubnet[] | undefined {
  const resource = workload.resource;
  switch (boundKind(workload)) {
    case 'nic': {
      const configurations = (resource as NetworkInterface).ipConfigurationInput;
      if (!Array.isArray(configurations)) return undefined;
      return configurations.filter((c) => c.subnetId !== undefined).map((c) => ({ subnetId: c.subnetId!, where: `ip_configuration "${c.name}"` }));
    }
    case 'scale-set': {
      const interfaces = scaleSetInterfaces(resource!);
      if (!interfaces) return undefined;
      return interfaces.flatMap((nic) => (Array.isArray(nic.ipConfiguration) ? nic.ipConfiguration : [])
        .filter((c) => c.subnetId !== undefined)
        .map((c) => ({ subnetId: c.subnetId!, where: `network_interface "${nic.name}" ip_configuration "${c.name}"` })));
    }
    case 'private-endpoint': {
      const subnetId = (resource as PrivateEndpoint).subnetIdInput;
      return subnetId === undefined ? undefined : [{ subnetId, where: 'subnet_id' }];
    }
    case 'node-pool': {
      const subnetId = (resource as KubernetesClusterNodePool).vnetSubnetIdInput;
      return subnetId === undefined ? [] : [{ subnetId, where: 'vnet_subnet_id' }];
    }
  }
}

/** The network interface blocks of a scale set as configured, or undefined when they are a token. */
export function scaleSetInterfaces(resource: TerraformResource): LinuxVirtualMachineScaleSetNetworkInterface[] | undefined {
  const interfaces = (resource as LinuxVirtualMachineScaleSet).networkInterfaceInput;
  return Array.isArray(interfaces) ? interfaces as LinuxVirtualMachineScaleSetNetworkInterface[] : undefined;
}

/** A list of ids the user configured, followed by ours (a token list is concatenated by Terraform). */
export function mergedIds(base: string[] | undefined, ours: readonly string[]): string[] {
  if (base === undefined) return [...ours];
  if (Token.isUnresolved(base)) return Fn.concat([base, [...ours]]);
  return [...base, ...ours.filter((id) => !base.includes(id))];
}
