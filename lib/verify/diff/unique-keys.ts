import { META_ARGUMENTS } from './replacement-rules';
import { JsonObject, TerraformResource } from '../model/terraform-model';

/** Turns a configuration value of the resource's stack into comparable text (references resolved to resource keys). */
export type ValueText = (raw: unknown) => string;

/** A value the platform accepts only once, with what breaks when it is taken twice. */
export interface UniqueKey {
  /** What kind of uniqueness (`aws-permission`, `nacl-rule-number`, `nsg-priority`, `nsg-rule-name`, `nsx-sequence`, `nsx-id`, `sg-name`). */
  readonly kind: string;
  /** The key itself: resources with equal kind and key collide. */
  readonly key: string;
}

/** Normalises an AWS protocol (`6`, `TCP`, `all`) to the provider's names. */
function awsProtocol(raw: string): string {
  const text = raw.toLowerCase();
  return ({ 6: 'tcp', 17: 'udp', 1: 'icmp', 58: 'icmpv6', all: '-1' } as Record<string, string>)[text] ?? text;
}

/**
 * The values of `resource` that its platform accepts only once: an AWS security group permission
 * (`InvalidPermission.Duplicate`), a network ACL entry number per direction, an NSG priority per
 * direction and a rule name per NSG (`SecurityRuleConflict`), an NSX rule sequence number per policy
 * (equal numbers leave the order undefined), an NSX id per domain, a security group name per VPC.
 */
export function uniqueKeys(resource: TerraformResource, text: ValueText): UniqueKey[] {
  const body = resource.body;
  const at = (argument: string) => text(body[argument]);
  switch (resource.type) {
    case 'aws_vpc_security_group_ingress_rule':
    case 'aws_vpc_security_group_egress_rule': {
      const protocol = awsProtocol(at('ip_protocol'));
      const ports = protocol === '-1' ? '' : `${at('from_port')}:${at('to_port')}`;
      const peer = ['cidr_ipv4', 'cidr_ipv6', 'prefix_list_id', 'referenced_security_group_id']
        .filter((argument) => body[argument] !== undefined && body[argument] !== null)
        .map((argument) => `${argument}=${at(argument).toLowerCase()}`).join(',');
      const direction = resource.type.endsWith('ingress_rule') ? 'ingress' : 'egress';
      return [{ kind: 'aws-permission', key: [at('security_group_id'), direction, protocol, ports, peer].join('|') }];
    }
    case 'aws_network_acl_rule':
      return [{ kind: 'nacl-rule-number', key: [at('network_acl_id'), at('egress') === 'true' ? 'egress' : 'ingress', at('rule_number')].join('|') }];
    case 'azurerm_network_security_rule': {
      const nsg = `${at('resource_group_name')}/${at('network_security_group_name')}`;
      return [
        { kind: 'nsg-priority', key: [nsg, at('direction').toLowerCase(), at('priority')].join('|') },
        { kind: 'nsg-rule-name', key: [nsg, at('name').toLowerCase()].join('|') },
      ];
    }
    case 'nsxt_policy_security_policy_rule':
      return [{ kind: 'nsx-sequence', key: [at('policy_path'), at('sequence_number')].join('|') }];
    case 'nsxt_policy_group':
    case 'nsxt_policy_service':
    case 'nsxt_policy_parent_security_policy':
    case 'nsxt_policy_security_policy':
      return body.nsx_id === undefined ? [] : [{ kind: 'nsx-id', key: [resource.type, at('domain') || 'default', at('nsx_id')].join('|') }];
    case 'aws_security_group':
      return body.name === undefined ? [] : [{ kind: 'sg-name', key: [at('vpc_id'), at('name')].join('|') }];
    default:
      return [];
  }
}

/** Arguments that name, number or describe a rule without changing which traffic it matches. */
const NOT_MEANING = new Set(['description', 'name', 'display_name', 'priority', 'rule_number', 'sequence_number', 'tags', 'tags_all', 'nsx_id']);

/** Rule types whose meaning is compared when a rule leaves one stack's state and enters another's. */
const RULE_TYPES = new Set([
  'aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule', 'aws_security_group_rule', 'aws_network_acl_rule',
  'azurerm_network_security_rule', 'nsxt_policy_security_policy_rule',
]);

/** What a rule matches and does (its type and every argument but names, numbers and descriptions), or undefined for a non-rule. */
export function ruleMeaning(resource: TerraformResource, text: ValueText): string | undefined {
  if (!RULE_TYPES.has(resource.type)) return undefined;
  const entries = Object.entries(resource.body as JsonObject)
    .filter(([argument]) => !META_ARGUMENTS.has(argument) && !NOT_MEANING.has(argument))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([argument, raw]) => `${argument}=${text(raw)}`);
  return [resource.type, ...entries].join('|');
}
