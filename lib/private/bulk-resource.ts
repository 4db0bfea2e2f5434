import { TerraformResource } from 'cdktf';
import { prepareLightly } from './light-preparation';
import { handSetAttributesOnly } from './set-attributes';

/**
 * A resource the library builds in bulk (a rule, a rule's service, a VM's tags, a segment's security group): prepared lightly
 * (see `prepareLightly`), handing cdktf only the attributes it sets (see `handSetAttributesOnly`), and
 * writing its plain arguments after cdktf resolves its stack (see `withPlainArgumentsLate`).
 * Its written Terraform is that of the plain resource.
 */
export function bulkResource<T extends TerraformResource>(resource: T): T {
  return handSetAttributesOnly(prepareLightly(resource));
}
