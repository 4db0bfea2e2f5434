import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { TerraformStack } from 'cdktf';
import type { AzureEnforcement } from './enforcement';
import { azureName, createNsg } from './nsg';
import { bulkResource } from '../private/bulk-resource';
import { asTableEntry } from '../private/one-byte-strings';
import { terraformText } from '../private/terraform-text';
import { Allocations } from '../render/allocations';
import { readOnce } from '../render/read-once';

/** The numbers subnet NSGs are named by (`SubnetNsg<n>`): far more than a VNet's subnets. */
const SUBNET_NSG_NUMBERS = { first: 0, last: 9999 };

/**
 * Creates the policy NSG of each of the enforcement's subnets and associates it with the subnet.
 *
 * Each NSG is named by a number that stays with its subnet (kept in the allocation file, keyed by
 * the subnet id as Terraform reads it): removing or inserting a subnet in `subnetIds` leaves every
 * other subnet's NSG and association where they are. Both arguments of an association force its
 * replacement, and Azure refuses a second association of a subnet, so a subnet whose NSG moved to
 * another address would be left without one while the apply runs, or the apply would fail. A
 * subnet's first number is its position in the list, so programs written before the allocation
 * keep their addresses.
 */
export function placeSubnetNsgs(enforcement: AzureEnforcement): void {
  const keys = subnetKeys(enforcement);
  const numbers = Allocations.of(enforcement).slots(`${enforcement.node.path}:subnet-nsgs`, keys, SUBNET_NSG_NUMBERS, [], (key) => keys.indexOf(key));
  enforcement.subnetIds.forEach((subnetId, index) => {
    const number = numbers.assigned.get(keys[index])!;
    const key = `${enforcement.node.path}#subnet${number}`;
    const id = asTableEntry(`SubnetNsg${number}`);
    const nsg = createNsg(enforcement, id, enforcement, key, azureName('nsg', key));
    nsg.association = bulkResource(new SubnetNetworkSecurityGroupAssociation(enforcement, asTableEntry(`${id}-Association`), {
      subnetId,
      networkSecurityGroupId: readOnce(nsg.resource, 'id'),
    }));
  });
}

/**
 * What names each subnet across syntheses: its id as Terraform reads it (`${azurerm_subnet.web.id}`
 * or the literal id); its position when synthesis cannot read it, or when it repeats (which
 * validation reports).
 */
function subnetKeys(enforcement: AzureEnforcement): string[] {
  const stack = TerraformStack.of(enforcement);
  const seen = new Set<string>();
  return enforcement.subnetIds.map((subnetId, index) => {
    const text = terraformText(stack, subnetId);
    const key = text === undefined || seen.has(text) ? `#${index}` : text;
    seen.add(key);
    return key;
  });
}
