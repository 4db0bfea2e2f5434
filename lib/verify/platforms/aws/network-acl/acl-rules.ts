import type { Estate } from '../../../estate/estate';
import { DecidingRule } from '../../../layers/layer-verdict';
import { numberField, ruleOrigin, stringField } from '../../../layers/rule-origin';
import { JsonObject, TerraformResource, blocksAt } from '../../../model/terraform-model';
import { identityOf, textOf } from '../../../model/value';
import { appendTo } from '../../../multimap';
import { RuleTraffic } from '../../../net/rule-traffic';
import { AwsPortFields, awsProtocol, awsRuleTraffic, describeAwsPorts } from '../aws-protocol';

/** One network ACL entry, normalized from `aws_network_acl_rule` or an inline block. */
export interface NetworkAclRule {
  /** Identity of the ACL. */
  readonly acl: string;
  /** Egress (leaving the subnet) or ingress. */
  readonly egress: boolean;
  /** Evaluation order, ascending. */
  readonly ruleNumber: number;
  /** Allow or deny. */
  readonly action: 'allow' | 'deny';
  /** Protocol and destination ports. */
  readonly traffic: RuleTraffic;
  /** The CIDR of the other side (or an unresolved expression). */
  readonly cidr: string;
  /** How to report it. */
  readonly origin: DecidingRule;
}

/** Every network ACL entry, grouped by `<acl identity>|<egress|ingress>` and sorted by rule number. */
export function readNetworkAclRules(estate: Estate): Map<string, NetworkAclRule[]> {
  const rules = [
    ...estate.model.resourcesOfType('aws_network_acl_rule').map((resource) => ruleResource(estate, resource)),
    ...[...estate.model.resourcesOfType('aws_network_acl'), ...estate.model.resourcesOfType('aws_default_network_acl')].flatMap((resource) => inlineRules(estate, resource)),
  ].filter((rule): rule is NetworkAclRule => rule !== undefined);
  const grouped = new Map<string, NetworkAclRule[]>();
  for (const rule of rules) {
    const key = aclRulesKey(rule.acl, rule.egress);
    appendTo(grouped, key, rule);
  }
  for (const list of grouped.values()) list.sort((a, b) => a.ruleNumber - b.ruleNumber);
  return grouped;
}

/** The grouping key of an ACL's rules in one direction. */
export function aclRulesKey(acl: string, egress: boolean): string {
  return `${acl}|${egress ? 'egress' : 'ingress'}`;
}

function ruleResource(estate: Estate, resource: TerraformResource): NetworkAclRule | undefined {
  const acl = estate.resolver.value(resource.stack, resource.body.network_acl_id);
  if (!acl) return undefined;
  const egress = resource.body.egress === true || resource.body.egress === 'true';
  return build(estate, resource, resource.body, {
    acl: identityOf(acl),
    egress,
    ruleNumber: numberField(estate, resource, resource.body.rule_number) ?? 32767,
    action: stringField(estate, resource, resource.body.rule_action),
    origin: ruleOrigin(estate, resource, ''),
  });
}

function inlineRules(estate: Estate, resource: TerraformResource): NetworkAclRule[] {
  return (['ingress', 'egress'] as const).flatMap((direction) =>
    blocksAt(resource.body, direction).map((block, index) => build(estate, resource, block, {
      acl: resource.key,
      egress: direction === 'egress',
      ruleNumber: numberField(estate, resource, block.rule_no) ?? 32767,
      action: stringField(estate, resource, block.action),
      origin: ruleOrigin(estate, resource, '', `.${direction}[${index}]`),
    })));
}

interface RuleHead {
  readonly acl: string;
  readonly egress: boolean;
  readonly ruleNumber: number;
  readonly action: string | undefined;
  readonly origin: DecidingRule;
}

function build(estate: Estate, resource: TerraformResource, block: JsonObject, head: RuleHead): NetworkAclRule {
  const protocol = stringField(estate, resource, block.protocol) ?? '-1';
  const family = awsProtocol(protocol);
  // the provider sends an unset port or ICMP field as 0 (`d.Get`), unlike a security group's -1:
  // a TCP entry without ports matches port 0 only, an ICMP entry without a type echo replies only
  const ports: AwsPortFields = family === 'icmp' || family === 'icmpv6'
    ? { protocol, icmpType: numberField(estate, resource, block.icmp_type) ?? 0, icmpCode: numberField(estate, resource, block.icmp_code) ?? 0 }
    : { protocol, fromPort: numberField(estate, resource, block.from_port) ?? 0, toPort: numberField(estate, resource, block.to_port) ?? 0 };
  const cidrValue = estate.resolver.value(resource.stack, block.cidr_block) ?? estate.resolver.value(resource.stack, block.ipv6_cidr_block);
  const cidr = cidrValue ? textOf(cidrValue) : '0.0.0.0/0';
  const action = head.action?.toLowerCase() === 'allow' ? 'allow' : 'deny';
  const summary = `#${head.ruleNumber} ${action} ${describeAwsPorts(ports)} ${head.egress ? 'to' : 'from'} ${cidr}`;
  return { ...head, action, traffic: awsRuleTraffic(ports), cidr, origin: { ...head.origin, summary } };
}
