import { TerraformResource } from 'cdktf';
import { Platform } from '../platform';
import { WorkloadBinding } from '../workload-binding';
import { AWS_INSTANCE, AWS_NETWORK_INTERFACE } from './bound-resource';

/**
 * Binds a workload to an AWS resource whose security groups the {@link AwsEnforcement} of its
 * stack sets. The factories take the provider's resource construct (typed as a Terraform resource,
 * so that the library's types name no provider module) and the synth checks its Terraform type.
 */
export class AwsBinding extends WorkloadBinding {
  /**
   * An EC2 instance (`aws_instance`, `Instance` of `@cdktf/provider-aws/lib/instance`). Its
   * `vpc_security_group_ids` receive the segments' groups (merged with the groups you set yourself).
   * @param instance the instance
   */
  public static instance(instance: TerraformResource): AwsBinding {
    return new AwsBinding(instance, AWS_INSTANCE, 'AwsBinding.instance');
  }

  /**
   * An elastic network interface (`aws_network_interface`, `NetworkInterface` of
   * `@cdktf/provider-aws/lib/network-interface`). Its `security_groups` receive the segments' groups
   * (merged with the groups you set yourself).
   * @param networkInterface the network interface
   */
  public static networkInterface(networkInterface: TerraformResource): AwsBinding {
    return new AwsBinding(networkInterface, AWS_NETWORK_INTERFACE, 'AwsBinding.networkInterface');
  }

  private constructor(resource: TerraformResource, resourceType: string, factory: string) {
    super(Platform.AWS, resource, resourceType, factory);
  }
}
