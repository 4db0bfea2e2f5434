import type { Instance } from '@cdktf/provider-aws/lib/instance';
import type { NetworkInterface } from '@cdktf/provider-aws/lib/network-interface';
import type { Workload } from '../workload';

/** Terraform type of an EC2 instance binding. */
export const AWS_INSTANCE = 'aws_instance';
/** Terraform type of an elastic network interface binding. */
export const AWS_NETWORK_INTERFACE = 'aws_network_interface';

/** The EC2 instance a workload is bound to, if its binding says it is one. */
export function boundInstance(workload: Workload): Instance | undefined {
  const resource = workload.resource;
  return resource?.terraformResourceType === AWS_INSTANCE ? resource as Instance : undefined;
}

/** The elastic network interface a workload is bound to, if its binding says it is one. */
export function boundNetworkInterface(workload: Workload): NetworkInterface | undefined {
  const resource = workload.resource;
  return resource?.terraformResourceType === AWS_NETWORK_INTERFACE ? resource as NetworkInterface : undefined;
}
