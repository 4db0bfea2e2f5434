import type { Estate } from '../../../estate/estate';
import { DecidingRule } from '../../../layers/layer-verdict';
import { numberField, ruleOrigin, stringField } from '../../../layers/rule-origin';
import { JsonObject, ResourceByField, TerraformResource, blocksAt } from '../../../model/terraform-model';
import { Value, identityOf, textOf } from '../../../model/value';
import { RuleTraffic } from '../../../net/rule-traffic';
import { AwsPortFields, awsRuleTraffic, describeAwsPorts } from '../aws-protocol';

/** The rule types of one group each, and the field that names the group, by which the rules are looked up. */
export const RULES_BY_GROUP_FIELD: Readonly<Record<string, string>> = {
  aws_vpc_security_group_ingress_rule: 'security_group_id',
  aws_vpc_security_group_egress_rule: 'security_group_id',
};

/** Whom a security group rule names on the other side. */
export type SecurityGroupPeer =
  | { readonly kind: 'address'; readonly text: string }
  | { readonly kind: 'group'; readonly identity: string }
  | { readonly kind: 'prefix-list'; readonly identity: string };

/** One security group rule, normalized from any of the three Terraform styles. */
export interface SecurityGroupRule {
  /** Identity of the security group the rule belongs to. */
  readonly group: string;
  /** Ingress or egress. */
  readonly direction: 'ingress' | 'egress';
  /** The protocol and ports it allows. */
  readonly traffic: RuleTraffic;
  /** The other side. */
  readonly peer: SecurityGroupPeer;
  /** How to report it. */
  readonly origin: DecidingRule;
}

/**
 * Every security group rule of the model, grouped by `<group identity>|<direction>`. Only the group
 * and direction of each rule are read up front; a group's rules are built when first asked for (a
 * query needs the rules of a few groups of a large estate), in the order they are read.
 */
export function readSecurityGroupRules(estate: Estate): SecurityGroupRules {
  const rules = new SecurityGroupRules();
  for (const direction of ['ingress', 'egress'] as const) {
    const type = `aws_vpc_security_group_${direction}_rule`;
    for (const [group, resources] of byGroup(estate, estate.model.resourcesOfTypeByField(type, RULES_BY_GROUP_FIELD[type]))) {
      rules.add(`${group}|${direction}`, () => resources.flatMap((rule) => optional(perRuleResource(estate, rule.resource(), direction))));
    }
  }
  for (const resource of estate.model.resourcesOfType('aws_security_group')) {
    for (const direction of ['ingress', 'egress'] as const) {
      rules.add(`${resource.key}|${direction}`, () => inlineRules(estate, resource).filter((rule) => rule.direction === direction));
    }
  }
  for (const resource of estate.model.resourcesOfType('aws_security_group_rule')) {
    const group = estate.resolver.value(resource.stack, resource.body.security_group_id);
    const direction = stringField(estate, resource, resource.body.type) === 'egress' ? 'egress' : 'ingress';
    if (group) rules.add(`${identityOf(group)}|${direction}`, () => legacyRules(estate, resource));
  }
  return rules;
}

/**
 * Rule resources by the identity of the group their `security_group_id` resolves to, each group's in
 * the order they are read; a text written by many rules (`${aws_security_group.web.id}`) is resolved
 * once, and a rule is read only when its group's rules are asked for.
 */
function byGroup(estate: Estate, resources: readonly ResourceByField[]): Map<string, ResourceByField[]> {
  const byStackText = new Map<string, Map<string, ResourceByField[] | undefined>>();
  const groups = new Map<string, ResourceByField[]>();
  const listOf = (group: Value | undefined) => {
    if (!group) return undefined;
    const identity = identityOf(group);
    let list = groups.get(identity);
    if (!list) {
      list = [];
      groups.set(identity, list);
    }
    return list;
  };
  for (const rule of resources) {
    const { stack, field: raw } = rule;
    if (typeof raw !== 'string') {
      listOf(estate.resolver.value(stack, raw))?.push(rule);
      continue;
    }
    let byText = byStackText.get(stack);
    if (!byText) {
      byText = new Map();
      byStackText.set(stack, byText);
    }
    if (!byText.has(raw)) byText.set(raw, listOf(estate.resolver.value(stack, raw)));
    byText.get(raw)?.push(rule);
  }
  return groups;
}

/** Security group rules by `<group identity>|<direction>`, each group's built on first use. */
export class SecurityGroupRules {
  private readonly pending = new Map<string, Array<() => SecurityGroupRule[]>>();
  private readonly built = new Map<string, SecurityGroupRule[]>();

  /** Records rules of a key, to build when the key is first asked for. */
  public add(key: string, read: () => SecurityGroupRule[]): void {
    const reads = this.pending.get(key);
    if (reads) reads.push(read);
    else this.pending.set(key, [read]);
  }

  /** The rules of `<group identity>|<direction>`, in the order they were read; undefined when it has none. */
  public get(key: string): SecurityGroupRule[] | undefined {
    let rules = this.built.get(key);
    if (!rules) {
      rules = (this.pending.get(key) ?? []).flatMap((read) => read());
      this.built.set(key, rules);
    }
    return rules.length > 0 ? rules : undefined;
  }
}

function optional<T>(value: T | undefined): T[] {
  return value === undefined ? [] : [value];
}

function perRuleResource(estate: Estate, resource: TerraformResource, direction: 'ingress' | 'egress'): SecurityGroupRule | undefined {
  const body = resource.body;
  const group = estate.resolver.value(resource.stack, body.security_group_id);
  const peer = singlePeer(estate, resource, body);
  if (!group || !peer) return undefined;
  const ports = portFields(estate, resource, body, body.ip_protocol);
  return build(estate, identityOf(group), direction, ports, peer, () => ruleOrigin(estate, resource, ''));
}

function singlePeer(estate: Estate, resource: TerraformResource, body: JsonObject): SecurityGroupPeer | undefined {
  const value = (field: string) => estate.resolver.value(resource.stack, body[field]);
  const cidr = value('cidr_ipv4') ?? value('cidr_ipv6');
  if (cidr) return { kind: 'address', text: textOf(cidr) };
  const group = value('referenced_security_group_id');
  if (group) return { kind: 'group', identity: identityOf(group) };
  const prefixList = value('prefix_list_id');
  return prefixList ? { kind: 'prefix-list', identity: identityOf(prefixList) } : undefined;
}

function inlineRules(estate: Estate, resource: TerraformResource): SecurityGroupRule[] {
  return (['ingress', 'egress'] as const).flatMap((direction) =>
    blocksAt(resource.body, direction).flatMap((block, index) =>
      blockPeers(estate, resource, block, resource.key).map((peer) =>
        build(estate, resource.key, direction, portFields(estate, resource, block, block.protocol), peer, () => ruleOrigin(estate, resource, '', `.${direction}[${index}]`)))));
}

function legacyRules(estate: Estate, resource: TerraformResource): SecurityGroupRule[] {
  const body = resource.body;
  const group = estate.resolver.value(resource.stack, body.security_group_id);
  const direction = stringField(estate, resource, body.type) === 'egress' ? 'egress' : 'ingress';
  if (!group) return [];
  const legacyBody = { ...body, security_groups: body.source_security_group_id };
  return blockPeers(estate, resource, legacyBody, identityOf(group)).map((peer) =>
    build(estate, identityOf(group), direction, portFields(estate, resource, body, body.protocol), peer, () => ruleOrigin(estate, resource, '')));
}

function blockPeers(estate: Estate, resource: TerraformResource, block: JsonObject, self: string): SecurityGroupPeer[] {
  const values = (field: string) => estate.resolver.values(resource.stack, block[field]);
  return [
    ...[...values('cidr_blocks'), ...values('ipv6_cidr_blocks')].map((cidr): SecurityGroupPeer => ({ kind: 'address', text: textOf(cidr) })),
    ...values('security_groups').map((group): SecurityGroupPeer => ({ kind: 'group', identity: identityOf(group) })),
    ...values('prefix_list_ids').map((list): SecurityGroupPeer => ({ kind: 'prefix-list', identity: identityOf(list) })),
    ...(block.self === true || block.self === 'true' ? [{ kind: 'group', identity: self } as SecurityGroupPeer] : []),
  ];
}

function portFields(estate: Estate, resource: TerraformResource, block: JsonObject, protocol: unknown): AwsPortFields {
  return {
    protocol: stringField(estate, resource, protocol) ?? String(numberField(estate, resource, protocol) ?? '-1'),
    fromPort: numberField(estate, resource, block.from_port),
    toPort: numberField(estate, resource, block.to_port),
  };
}

/** A rule; how it is reported (`origin`) is worded when first asked for: the matrix's verdict-only path never asks. */
function build(
  estate: Estate, group: string, direction: 'ingress' | 'egress', ports: AwsPortFields, peer: SecurityGroupPeer, origin: () => DecidingRule,
): SecurityGroupRule {
  let reported: DecidingRule | undefined;
  const report = (): DecidingRule => {
    const external = peer.kind === 'group' && !estate.model.resource(peer.identity) && /^sg-[0-9a-z]+$/i.test(peer.identity);
    const peerText = peer.kind === 'address' ? peer.text : external ? `security group ${peer.identity} (owned elsewhere)` : estate.naming.describe(peer.identity);
    const summary = `allow ${describeAwsPorts(ports)} ${direction === 'ingress' ? 'from' : 'to'} ${peerText}`;
    return { ...origin(), summary };
  };
  return {
    group,
    direction,
    traffic: awsRuleTraffic(ports),
    peer,
    get origin() {
      reported ??= report();
      return reported;
    },
  };
}
