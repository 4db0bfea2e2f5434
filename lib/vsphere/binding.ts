import { TerraformResource } from 'cdktf';
import { Platform } from '../platform';
import { WorkloadBinding } from '../workload-binding';

/**
 * Binds a workload to a vSphere resource protected by the NSX distributed firewall of the
 * {@link NsxEnforcement} of its stack. The factory takes the provider's resource construct (typed as
 * a Terraform resource, so that the library's types name no provider module) and the synth checks
 * its Terraform type.
 */
export class VsphereBinding extends WorkloadBinding {
  /**
   * A virtual machine (`vsphere_virtual_machine`, `VirtualMachine` of
   * `@cdktf/provider-vsphere/lib/virtual-machine`). It gets the NSX tags of its segments.
   * @param virtualMachine the virtual machine
   */
  public static virtualMachine(virtualMachine: TerraformResource): VsphereBinding {
    return new VsphereBinding(virtualMachine, 'vsphere_virtual_machine', 'VsphereBinding.virtualMachine');
  }

  private constructor(resource: TerraformResource, resourceType: string, factory: string) {
    super(Platform.NSX, resource, resourceType, factory);
  }
}
