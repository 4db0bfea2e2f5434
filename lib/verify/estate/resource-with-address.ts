import type { Estate } from './estate';
import { addressFacts } from './host';
import { TerraformResource } from '../model/terraform-model';
import { Value } from '../model/value';
import { Cidr, parseCidr } from '../net/cidr';

/**
 * The one resource of `candidates` that has the host address `cidr` among its literal addresses
 * (`addressesOf` it, and those the inventory's workloads bound to it give): an address that names
 * exactly one interface or VM stands for it. Undefined for a range, or when none or several have it.
 */
export function resourceWithAddress(
  estate: Estate, candidates: readonly TerraformResource[], addressesOf: (resource: TerraformResource) => readonly Value[], cidr: Cidr,
): TerraformResource | undefined {
  if (cidr.prefix !== (cidr.family === 'ipv4' ? 32 : 128)) return undefined;
  const sameAddress = (value: string) => {
    const other = parseCidr(value);
    return other !== undefined && other.family === cidr.family && other.prefix === cidr.prefix
      && other.address.toNormalizedString() === cidr.address.toNormalizedString();
  };
  const bound = [...estate.inventory.workloads.values()];
  const found = candidates.filter((resource) => {
    const given = bound.filter((workload) => workload.bindingKey === resource.key).flatMap((workload) => workload.addresses);
    return addressFacts([...addressesOf(resource), ...given]).ranges.some(sameAddress);
  });
  return found.length === 1 ? found[0] : undefined;
}
