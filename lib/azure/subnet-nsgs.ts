import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import type { AzureEnforcement } from './enforcement';
import { azureName, createNsg } from './nsg';
import { readOnce } from '../render/read-once';

/** Creates the policy NSG of each of the enforcement's subnets and associates it with the subnet. */
export function placeSubnetNsgs(enforcement: AzureEnforcement): void {
  enforcement.subnetIds.forEach((subnetId, index) => {
    const key = `${enforcement.node.path}#subnet${index}`;
    const nsg = createNsg(enforcement, `SubnetNsg${index}`, enforcement, key, azureName('nsg', key));
    new SubnetNetworkSecurityGroupAssociation(enforcement, `SubnetNsg${index}-Association`, {
      subnetId,
      networkSecurityGroupId: readOnce(nsg.resource, 'id'),
    });
  });
}
