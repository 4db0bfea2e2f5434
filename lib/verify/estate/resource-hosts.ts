import type { Estate } from './estate';
import { Host } from './host';
import { TerraformResource } from '../model/terraform-model';
import { Value } from '../model/value';
import { PLATFORMS } from '../platforms/registry';

/** Whether a resource stands for a group of hosts rather than one host (a security group, an ASG, an NSX group). */
export function isGroupResource(resource: TerraformResource): boolean {
  return PLATFORMS.groupTypes.has(resource.type);
}

/** Resource types that can be an endpoint on their own. */
export function isEndpointResource(resource: TerraformResource): boolean {
  return PLATFORMS.groupTypes.has(resource.type) || PLATFORMS.ofEndpointType(resource.type) !== undefined;
}

/** The host a bound resource (instance, NIC, VM) stands for, with extra known addresses; undefined for other types. */
export function hostOfResource(estate: Estate, resource: TerraformResource, name: string, extraAddresses: readonly Value[] = []): Host | undefined {
  return PLATFORMS.ofEndpointType(resource.type)?.hostOf(estate, resource, name, extraAddresses);
}
