import { TerraformResource } from 'cdktf';

/** The member a provider class builds a resource's attributes in (protected in cdktf's typings). */
interface AttributeSource {
  synthesizeAttributes(): Record<string, unknown>;
}

/**
 * Makes a resource hand cdktf only the attributes it sets. A provider class lists every argument of
 * its resource type, unset ones as `undefined` (an AWS security group rule sets 6 of its 11, a
 * network ACL entry 8 of 13, an Azure rule 12 of 20, an NSX rule 11 of 20), and cdktf carries each
 * key through the resource's synthesis: it copies it twice (dynamic blocks, then the merge with the
 * meta-arguments and overrides) and resolves it for the element's fragment, a context and a path for
 * each, only to write nothing for it. For the rules the library builds in bulk that is most of what
 * cdktf resolves. Top-level attributes whose value is `undefined` are left out; the written
 * Terraform, JSON or HCL, is unchanged (`null`, blocks and overrides are kept as they are).
 */
export function handSetAttributesOnly<T extends TerraformResource>(resource: T): T {
  Object.defineProperty(resource, 'synthesizeAttributes', { value: setAttributes, writable: true, configurable: true });
  return resource;
}

function setAttributes(this: TerraformResource): Record<string, unknown> {
  const all = (Object.getPrototypeOf(this) as AttributeSource).synthesizeAttributes.call(this);
  // a new object rather than deleting keys: a deleted key leaves the object slow to read
  const set: Record<string, unknown> = {};
  for (const key in all) {
    const value = all[key];
    if (value !== undefined) set[key] = value;
  }
  return set;
}
