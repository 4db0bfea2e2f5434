import { TerraformResource } from '../../model/terraform-model';
import { PlatformChangeRules, UniqueKey, ValueText } from '../evaluator-platform';

/**
 * The deliveries of host firewall rule sets (hashicorp/aws `ssm` sources, hashicorp/azurerm and
 * Terraform's built-in `terraform_data`, per their schemas): a changed rule set is an in-place
 * update of the document, run command or data resource; only their names (and what they target)
 * force replacement.
 */
export const HOST_CHANGE_RULES: PlatformChangeRules = {
  forceNew: {
    aws_ssm_document: ['name'],
    aws_ssm_association: ['name', 'instance_id'],
    azurerm_virtual_machine_run_command: ['name', 'location', 'virtual_machine_id'],
    terraform_data: ['triggers_replace'],
  },
  ruleTypes: [],
  /** An SSM document name per account and region. */
  uniqueKeys: (resource: TerraformResource, text: ValueText): UniqueKey[] => (resource.type === 'aws_ssm_document'
    ? [{ kind: 'ssm-document-name', key: text(resource.body.name) }]
    : []),
};
