import { TerraformResource } from 'cdktf';
import { Platform } from '../platform';
import { WorkloadBinding } from '../workload-binding';

/**
 * Binds a workload to an Azure resource that joins the application security groups of the
 * {@link AzureEnforcement} of its stack. The factory takes the provider's resource construct (typed
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
    return new AzureBinding(networkInterface, 'azurerm_network_interface', 'AzureBinding.networkInterface');
  }

  private constructor(resource: TerraformResource, resourceType: string, factory: string) {
    super(Platform.AZURE, resource, resourceType, factory);
  }
}
