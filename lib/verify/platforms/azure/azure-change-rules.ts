import { TerraformResource } from '../../model/terraform-model';
import { PlatformChangeRules, UniqueKey, ValueText } from '../evaluator-platform';

/** Azure (hashicorp/azurerm, per its documentation): a rule's name, NSG and resource group force replacement; priority, ports and peers update in place. */
export const AZURE_CHANGE_RULES: PlatformChangeRules = {
  forceNew: {
    azurerm_network_security_rule: ['name', 'network_security_group_name', 'resource_group_name'],
    azurerm_network_security_group: ['name', 'resource_group_name', 'location'],
    azurerm_application_security_group: ['name', 'resource_group_name', 'location'],
    azurerm_network_interface_application_security_group_association: ['network_interface_id', 'application_security_group_id'],
    azurerm_network_interface_security_group_association: ['network_interface_id', 'network_security_group_id'],
    azurerm_private_endpoint_application_security_group_association: ['private_endpoint_id', 'application_security_group_id'],
    azurerm_subnet_network_security_group_association: ['subnet_id', 'network_security_group_id'],
  },
  ruleTypes: ['azurerm_network_security_rule'],
  /** A priority per direction and a rule name per NSG (`SecurityRuleConflict`, also when two rules swap). */
  uniqueKeys: (resource: TerraformResource, text: ValueText): UniqueKey[] => {
    if (resource.type !== 'azurerm_network_security_rule') return [];
    const at = (argument: string) => text(resource.body[argument]);
    const nsg = `${at('resource_group_name')}/${at('network_security_group_name')}`;
    return [
      { kind: 'nsg-priority', key: [nsg, at('direction').toLowerCase(), at('priority')].join('|') },
      { kind: 'nsg-rule-name', key: [nsg, at('name').toLowerCase()].join('|') },
    ];
  },
};
