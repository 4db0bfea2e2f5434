import { TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { AzureBinding } from './binding';
import { Segment } from '../segment';
import { Workload } from '../workload';

/** Properties of a workload made by an {@link AzureWorkload} helper: those of `WorkloadProps` but the binding. */
export interface AzureWorkloadProps {
  /**
   * Labels of the workload (key to one value); segments select workloads by labels.
   * @default - no labels
   */
  readonly labels?: { [key: string]: string };

  /**
   * Segments the workload belongs to explicitly, in addition to those whose selector matches it.
   * @default - only segments whose selector matches the labels
   */
  readonly segments?: Segment[];

  /**
   * Addresses other VNets and platforms name the workload by: a NIC's `privateIpAddress`, a private
   * endpoint's address, and for a scale set or a node pool (no fixed address) the CIDRs of its
   * subnets. Needed only when a flow crosses a VNet or a platform; synthesis says so when missing.
   * @default - none
   */
  readonly addresses?: string[];

  /**
   * A name that identifies the workload in the resources it renders, in place of its construct
   * path (see `WorkloadProps.stableId`).
   * @default - the construct path
   */
  readonly stableId?: string;
}

/**
 * Creates Azure workloads, one helper per kind of resource:
 * `AzureWorkload.fromScaleSet(this, 'Api', vmss, { labels: { tier: 'api' } })` is
 * `new Workload(this, 'Api', { binding: AzureBinding.virtualMachineScaleSet(vmss), labels: { tier: 'api' } })`.
 */
export class AzureWorkload {
  /**
   * A workload bound to a network interface (`azurerm_network_interface`).
   * @param scope the scope of the workload
   * @param id the workload's construct id
   * @param networkInterface the network interface
   * @param props labels, segments, addresses, stableId
   */
  public static fromNetworkInterface(scope: Construct, id: string, networkInterface: TerraformResource, props: AzureWorkloadProps = {}): Workload {
    return new Workload(scope, id, { ...props, binding: AzureBinding.networkInterface(networkInterface) });
  }

  /**
   * A workload bound to a virtual machine scale set (`azurerm_linux_virtual_machine_scale_set` or
   * `azurerm_windows_virtual_machine_scale_set`).
   * @param scope the scope of the workload
   * @param id the workload's construct id
   * @param scaleSet the scale set
   * @param props labels, segments, addresses (the CIDRs of its subnets), stableId
   */
  public static fromScaleSet(scope: Construct, id: string, scaleSet: TerraformResource, props: AzureWorkloadProps = {}): Workload {
    return new Workload(scope, id, { ...props, binding: AzureBinding.virtualMachineScaleSet(scaleSet) });
  }

  /**
   * A workload bound to a private endpoint (`azurerm_private_endpoint`).
   * @param scope the scope of the workload
   * @param id the workload's construct id
   * @param privateEndpoint the private endpoint
   * @param props labels, segments, addresses, stableId
   */
  public static fromPrivateEndpoint(scope: Construct, id: string, privateEndpoint: TerraformResource, props: AzureWorkloadProps = {}): Workload {
    return new Workload(scope, id, { ...props, binding: AzureBinding.privateEndpoint(privateEndpoint) });
  }

  /**
   * A workload bound to an AKS node pool (`azurerm_kubernetes_cluster_node_pool`).
   * @param scope the scope of the workload
   * @param id the workload's construct id
   * @param nodePool the node pool
   * @param props labels, segments, addresses (the CIDR of its subnet), stableId
   */
  public static fromNodePool(scope: Construct, id: string, nodePool: TerraformResource, props: AzureWorkloadProps = {}): Workload {
    return new Workload(scope, id, { ...props, binding: AzureBinding.kubernetesNodePool(nodePool) });
  }

  private constructor() {}
}
