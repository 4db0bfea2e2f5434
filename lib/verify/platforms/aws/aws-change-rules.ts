import { JsonObject, TerraformResource } from '../../model/terraform-model';
import { PlatformChangeRules, UniqueKey, ValueText } from '../evaluator-platform';

const SG_RULE_TYPES = ['aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule'];

/** The peer arguments of the per-rule security group resources: exactly one is set, and changing which one replaces the rule. */
const SG_RULE_PEERS = ['cidr_ipv4', 'cidr_ipv6', 'prefix_list_id', 'referenced_security_group_id'];

/** Normalises an AWS protocol (`6`, `TCP`, `all`) to the provider's names. */
function awsProtocol(raw: string): string {
  const text = raw.toLowerCase();
  return ({ 6: 'tcp', 17: 'udp', 1: 'icmp', 58: 'icmpv6', all: '-1' } as Record<string, string>)[text] ?? text;
}

/**
 * AWS (hashicorp/aws). Checked against the provider source: `vpc_security_group_ingress_rule.go`
 * (only `security_group_id` has RequiresReplace; ModifyPlan replaces the rule when its peer argument
 * changes kind) and `vpc_network_acl_association.go` (both arguments ForceNew); the rest follows the
 * provider documentation (every `aws_network_acl_rule` argument forces replacement).
 */
export const AWS_CHANGE_RULES: PlatformChangeRules = {
  forceNew: {
    aws_security_group: ['name', 'name_prefix', 'description', 'vpc_id'],
    aws_vpc_security_group_ingress_rule: ['security_group_id'],
    aws_vpc_security_group_egress_rule: ['security_group_id'],
    aws_security_group_rule: ['type', 'security_group_id', 'protocol', 'from_port', 'to_port', 'cidr_blocks', 'ipv6_cidr_blocks', 'prefix_list_ids', 'source_security_group_id', 'self'],
    aws_network_acl: ['vpc_id'],
    aws_network_acl_rule: 'all',
    aws_network_acl_association: ['network_acl_id', 'subnet_id'],
    aws_network_interface_sg_attachment: ['security_group_id', 'network_interface_id'],
    aws_ec2_managed_prefix_list: ['address_family'],
    // broker_node_group_info (security_groups included) is ForceNew in the provider's msk cluster schema
    aws_msk_cluster: ['cluster_name', 'broker_node_group_info'],
  },
  ruleTypes: [...SG_RULE_TYPES, 'aws_security_group_rule', 'aws_network_acl_rule'],
  extraReplacements: (type: string, oldBody: JsonObject, newBody: JsonObject) => {
    if (type === 'aws_lb') return networkLoadBalancerGroupReplacement(oldBody, newBody);
    if (!SG_RULE_TYPES.includes(type)) return [];
    const kind = (body: JsonObject) => SG_RULE_PEERS.find((argument) => body[argument] !== undefined && body[argument] !== null);
    return kind(oldBody) === kind(newBody) ? [] : [`peer kind (${kind(oldBody) ?? 'none'} -> ${kind(newBody) ?? 'none'})`];
  },
  /** A permission per group (`InvalidPermission.Duplicate`), an ACL entry number per direction, a group name per VPC. */
  uniqueKeys: (resource: TerraformResource, text: ValueText): UniqueKey[] => {
    const body = resource.body;
    const at = (argument: string) => text(body[argument]);
    if (SG_RULE_TYPES.includes(resource.type)) {
      const protocol = awsProtocol(at('ip_protocol'));
      const ports = protocol === '-1' ? '' : `${at('from_port')}:${at('to_port')}`;
      const peer = SG_RULE_PEERS.filter((argument) => body[argument] !== undefined && body[argument] !== null)
        .map((argument) => `${argument}=${at(argument).toLowerCase()}`).join(',');
      const direction = resource.type.endsWith('ingress_rule') ? 'ingress' : 'egress';
      return [{ kind: 'aws-permission', key: [at('security_group_id'), direction, protocol, ports, peer].join('|') }];
    }
    if (resource.type === 'aws_network_acl_rule') {
      return [{ kind: 'nacl-rule-number', key: [at('network_acl_id'), at('egress') === 'true' ? 'egress' : 'ingress', at('rule_number')].join('|') }];
    }
    if (resource.type === 'aws_security_group' && body.name !== undefined) return [{ kind: 'sg-name', key: [at('vpc_id'), at('name')].join('|') }];
    return [];
  },
};

/**
 * A network load balancer cannot get security groups when it has none, nor lose all of them: the
 * provider's CustomizeDiff (`customizeDiffLoadBalancerNLB`) then forces a replacement.
 */
function networkLoadBalancerGroupReplacement(oldBody: JsonObject, newBody: JsonObject): string[] {
  if (newBody.load_balancer_type !== 'network') return [];
  const count = (body: JsonObject) => {
    if (Array.isArray(body.security_groups)) return body.security_groups.length;
    return body.security_groups === undefined ? 0 : 1; // an expression: some groups
  };
  const before = count(oldBody);
  const after = count(newBody);
  if ((before === 0) === (after === 0)) return [];
  return [`security_groups of a network load balancer (${before === 0 ? 'none -> some' : 'some -> none'})`];
}
