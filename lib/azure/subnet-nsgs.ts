import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import type { AzureEnforcement } from './enforcement';
import { azureName, createNsg } from './nsg';
import { asTableEntry } from '../private/one-byte-strings';
import { readOnce } from '../render/read-once';

/** Creates the policy NSG of each of the enforcement's subnets and associates it with the subnet. */
export function placeSubnetNsgs(enforcement: AzureEnforcement): void {
  enforcement.subnetIds.forEach((subnetId, index) => {
    const key = `${enforcement.node.path}#subnet${index}`;
    const id = asTableEntry(`SubnetNsg${index}`);
    const nsg = createNsg(enforcement, id, enforcement, key, azureName('nsg', key));
    new SubnetNetworkSecurityGroupAssociation(enforcement, asTableEntry(`${id}-Association`), {
      subnetId,
      networkSecurityGroupId: readOnce(nsg.resource, 'id'),
    });
  });
}
