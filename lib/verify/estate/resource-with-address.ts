import type { Estate } from './estate';
import { addressFacts } from './host';
import { TerraformResource } from '../model/terraform-model';
import { Value } from '../model/value';
import { appendTo, valueFor } from '../multimap';
import { Cidr, parseCidr } from '../net/cidr';

/** Per estate and platform, the candidate resources by each host address they have. */
const indexes = new WeakMap<Estate, Map<string, Map<string, TerraformResource[]>>>();

/**
 * The one resource of `candidates` that has the host address `cidr` among its literal addresses
 * (`addressesOf` it, and those the inventory's workloads bound to it give): an address that names
 * exactly one interface or VM stands for it. Undefined for a range, or when none or several have it.
 * The candidates of a platform (`platform` names them; `candidates` and `addressesOf` must be the
 * same for every call with that name) are indexed by address on the first call for an estate, so
 * that resolving each of a matrix's external addresses does not read every interface again.
 */
export function resourceWithAddress(
  estate: Estate, platform: string, candidates: () => readonly TerraformResource[],
  addressesOf: (resource: TerraformResource) => readonly Value[], cidr: Cidr,
): TerraformResource | undefined {
  if (!isHostCidr(cidr)) return undefined;
  const ofEstate = valueFor(indexes, estate, () => new Map<string, Map<string, TerraformResource[]>>());
  const byAddress = valueFor(ofEstate, platform, () => indexByAddress(estate, candidates(), addressesOf));
  const found = byAddress.get(hostKey(cidr));
  return found?.length === 1 ? found[0] : undefined;
}

function indexByAddress(
  estate: Estate, candidates: readonly TerraformResource[], addressesOf: (resource: TerraformResource) => readonly Value[],
): Map<string, TerraformResource[]> {
  const boundAddresses = new Map<string, Value[]>();
  for (const workload of estate.inventory.workloads.values()) {
    if (workload.bindingKey !== undefined) appendTo(boundAddresses, workload.bindingKey, ...workload.addresses);
  }
  const byAddress = new Map<string, TerraformResource[]>();
  for (const resource of candidates) {
    const keys = new Set<string>();
    for (const range of addressFacts([...addressesOf(resource), ...(boundAddresses.get(resource.key) ?? [])]).ranges) {
      const cidr = parseCidr(range);
      if (cidr && isHostCidr(cidr)) keys.add(hostKey(cidr));
    }
    for (const key of keys) appendTo(byAddress, key, resource);
  }
  return byAddress;
}

/** Whether a CIDR is one address (a /32 or a /128). */
function isHostCidr(cidr: Cidr): boolean {
  return cidr.prefix === (cidr.family === 'ipv4' ? 32 : 128);
}

/** One address as a key: its family and normalized text. */
function hostKey(cidr: Cidr): string {
  return `${cidr.family} ${cidr.address.toNormalizedString()}`;
}
