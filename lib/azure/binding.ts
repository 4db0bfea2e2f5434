import { TerraformResource } from 'cdktf';
import { AZURE_BOUND_TYPES, AZURE_LINUX_SCALE_SET, AZURE_NETWORK_INTERFACE, AZURE_NODE_POOL, AZURE_PRIVATE_ENDPOINT, AZURE_WINDOWS_SCALE_SET } from './bound-resource';
import { Platform } from '../platform';
import { WorkloadBinding } from '../workload-binding';

/** How each binding's workload gets addresses, for synth errors. */
const ADDRESS_EXAMPLES: Record<string, string> = {
  [AZURE_NETWORK_INTERFACE]: 'nic.privateIpAddress',
  [AZURE_LINUX_SCALE_SET]: "'10.1.2.0/24' (the CIDRs of the scale set's subnets: its instances have no fixed address)",
  [AZURE_PRIVATE_ENDPOINT]: 'endpoint.privateServiceConnection.privateIpAddress',
  [AZURE_NODE_POOL]: "'10.1.2.0/24' (the CIDR of the node pool's subnet: its nodes have no fixed address)",
};

/**
 * Binds a workload to an Azure resource that joins the application security groups of the
 * {@link AzureEnforcement} of its stack. The factories take the provider's resource construct (typed
 * as a Terraform resource, so that the library's types name no provider module) and the synth
 * checks its Terraform type.
 */
export class AzureBinding extends WorkloadBinding {
  /**
   * A network interface (`azurerm_network_interface`, `NetworkInterface` of
   * `@cdktf/provider-azurerm/lib/network-interface`). It joins the segments' application security
   * groups.
   * @param networkInterface the network interface
   */
  public static networkInterface(networkInterface: TerraformResource): AzureBinding {
    return new AzureBinding(networkInterface, [AZURE_NETWORK_INTERFACE], 'AzureBinding.networkInterface');
  }

  /**
   * A virtual machine scale set (`azurerm_linux_virtual_machine_scale_set` or
   * `azurerm_windows_virtual_machine_scale_set`). The segments' application security groups are
   * written into `application_security_group_ids` of every `network_interface[].ip_configuration[]`,
   * after the ones you set yourself. Its instances have no fixed address: give the workload the
   * CIDRs of its subnets as `addresses` when flows cross VNets or platforms.
   * @param scaleSet the scale set
   */
  public static virtualMachineScaleSet(scaleSet: TerraformResource): AzureBinding {
    return new AzureBinding(scaleSet, [AZURE_LINUX_SCALE_SET, AZURE_WINDOWS_SCALE_SET], 'AzureBinding.virtualMachineScaleSet');
  }

  /**
   * A private endpoint (`azurerm_private_endpoint`). It joins the segments' application security
   * groups through `azurerm_private_endpoint_application_security_group_association`. NSGs filter a
   * private endpoint only when its subnet has `private_endpoint_network_policies` set to `Enabled`
   * or `NetworkSecurityGroupEnabled`.
   * @param privateEndpoint the private endpoint
   */
  public static privateEndpoint(privateEndpoint: TerraformResource): AzureBinding {
    return new AzureBinding(privateEndpoint, [AZURE_PRIVATE_ENDPOINT], 'AzureBinding.privateEndpoint');
  }

  /**
   * An AKS node pool (`azurerm_kubernetes_cluster_node_pool`). The segments' application security
   * groups are written into `node_network_profile.application_security_group_ids`, after the ones you
   * set yourself. Its nodes have no fixed address: give the workload the CIDRs of its subnet as
   * `addresses` when flows cross VNets or platforms.
   * @param nodePool the node pool
   */
  public static kubernetesNodePool(nodePool: TerraformResource): AzureBinding {
    return new AzureBinding(nodePool, [AZURE_NODE_POOL], 'AzureBinding.kubernetesNodePool');
  }

  /**
   * How a workload of this binding is given addresses for rules on other platforms or VNets, as
   * synth errors suggest it (`nic.privateIpAddress`; for a scale set or node pool, the CIDRs of its
   * subnets).
   */
  public readonly addressExample: string;
  private readonly acceptedTypes: string[];

  private constructor(resource: TerraformResource, acceptedTypes: string[], factory: string) {
    const actual = (resource as TerraformResource | undefined)?.terraformResourceType;
    super(Platform.AZURE, resource, acceptedTypes.find((type) => type === actual) ?? acceptedTypes[0], factory);
    this.acceptedTypes = acceptedTypes;
    this.addressExample = ADDRESS_EXAMPLES[acceptedTypes[0]];
  }

  /** A scale set and a node pool stand for their VMs (nodes). */
  public get severalHosts(): boolean {
    return this.factory === 'AzureBinding.virtualMachineScaleSet' || this.factory === 'AzureBinding.kubernetesNodePool';
  }

  /**
   * The problems of the binding: a resource that is not one of the factory's types names the
   * factories and types Azure bindings accept.
   */
  public validate(): string[] {
    const resource = this.resource as TerraformResource | undefined;
    if (resource === undefined || resource === null || typeof resource.terraformResourceType !== 'string') return super.validate();
    if (this.acceptedTypes.includes(resource.terraformResourceType)) return [];
    const factories = [...new Set(AZURE_BOUND_TYPES.map((entry) => entry.factory))];
    const supported = factories.map((factory) => `${factory} (${AZURE_BOUND_TYPES.filter((e) => e.factory === factory).map((e) => e.type).join(', ')})`).join(', ');
    return [`is bound with ${this.factory}(...) to '${resource.node.path}' of type ${resource.terraformResourceType}, but ${this.factory} binds ${this.acceptedTypes.join(' or ')}. Azure bindings: ${supported}. For a VM, bind its network interface.`];
  }
}
