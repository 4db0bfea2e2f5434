import { JsonObject } from '../model/terraform-model';

/**
 * Which top-level arguments of a resource type force Terraform to replace the resource when they
 * change (provider `ForceNew` / `RequiresReplace`), for the types the library renders. `'all'`: every
 * argument does. Types not listed update in place.
 *
 * Checked against the provider sources: hashicorp/aws `vpc_security_group_ingress_rule.go` (only
 * `security_group_id` has RequiresReplace; ModifyPlan replaces when the peer argument changes kind)
 * and `vpc_network_acl_association.go` (both arguments ForceNew). The others follow the provider
 * documentation as summarised in the project's platform reference (`aws_network_acl_rule`: every
 * argument; `azurerm_network_security_rule`: name, NSG and resource group; NSX rules: `policy_path`).
 */
const FORCE_NEW: Readonly<Record<string, readonly string[] | 'all'>> = {
  aws_security_group: ['name', 'name_prefix', 'description', 'vpc_id'],
  aws_vpc_security_group_ingress_rule: ['security_group_id'],
  aws_vpc_security_group_egress_rule: ['security_group_id'],
  aws_security_group_rule: ['type', 'security_group_id', 'protocol', 'from_port', 'to_port', 'cidr_blocks', 'ipv6_cidr_blocks', 'prefix_list_ids', 'source_security_group_id', 'self'],
  aws_network_acl: ['vpc_id'],
  aws_network_acl_rule: 'all',
  aws_network_acl_association: ['network_acl_id', 'subnet_id'],
  aws_network_interface_sg_attachment: ['security_group_id', 'network_interface_id'],
  aws_ec2_managed_prefix_list: ['address_family'],
  azurerm_network_security_rule: ['name', 'network_security_group_name', 'resource_group_name'],
  azurerm_network_security_group: ['name', 'resource_group_name', 'location'],
  azurerm_application_security_group: ['name', 'resource_group_name', 'location'],
  azurerm_network_interface_application_security_group_association: ['network_interface_id', 'application_security_group_id'],
  azurerm_network_interface_security_group_association: ['network_interface_id', 'network_security_group_id'],
  azurerm_subnet_network_security_group_association: ['subnet_id', 'network_security_group_id'],
  nsxt_policy_security_policy_rule: ['policy_path', 'nsx_id'],
  nsxt_policy_parent_security_policy: ['nsx_id', 'domain', 'category'],
  nsxt_policy_security_policy: ['nsx_id', 'domain', 'category'],
  nsxt_policy_group: ['nsx_id', 'domain'],
  nsxt_policy_service: ['nsx_id'],
  nsxt_policy_vm_tags: ['instance_id'],
  vsphere_tag: ['category_id'],
  vsphere_tag_category: ['cardinality'],
};

/** Arguments that are Terraform meta-arguments or comments, not provider arguments. */
export const META_ARGUMENTS = new Set(['//', 'lifecycle', 'depends_on', 'provider', 'count', 'for_each', 'timeouts', 'provisioner', 'connection']);

/** The peer arguments of the per-rule security group resources: exactly one is set, and changing which one replaces the rule. */
const SG_RULE_PEERS = ['cidr_ipv4', 'cidr_ipv6', 'prefix_list_id', 'referenced_security_group_id'];

/**
 * The arguments among `changed` that force replacement of a resource of `type`, plus `peer kind`
 * when a security group rule's peer argument changes kind.
 */
export function replacingArguments(type: string, changed: readonly string[], oldBody: JsonObject, newBody: JsonObject): string[] {
  const rule = FORCE_NEW[type];
  const forcing = rule === undefined ? [] : rule === 'all' ? [...changed] : changed.filter((argument) => rule.includes(argument));
  if (type === 'aws_vpc_security_group_ingress_rule' || type === 'aws_vpc_security_group_egress_rule') {
    const kind = (body: JsonObject) => SG_RULE_PEERS.find((argument) => body[argument] !== undefined && body[argument] !== null);
    if (kind(oldBody) !== kind(newBody)) forcing.push(`peer kind (${kind(oldBody) ?? 'none'} -> ${kind(newBody) ?? 'none'})`);
  }
  return forcing;
}

/** Whether replacements of `type` are listed (false: the analysis treats every change as an in-place update). */
export function knowsReplacementRules(type: string): boolean {
  return FORCE_NEW[type] !== undefined;
}
