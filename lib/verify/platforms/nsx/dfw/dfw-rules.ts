import { NsxService, readNsxServices, serviceFor } from './services';
import type { Estate } from '../../../estate/estate';
import { DecidingRule } from '../../../layers/layer-verdict';
import { numberField, ruleOrigin, stringField } from '../../../layers/rule-origin';
import { JsonObject, TerraformResource, blocksAt } from '../../../model/terraform-model';
import { identityOf } from '../../../model/value';
import { NO_RULE_TRAFFIC, RuleTraffic, exactRuleTraffic, unionRuleTraffic } from '../../../net/rule-traffic';
import { ALL_TRAFFIC } from '../../../net/traffic';

/** DFW categories in evaluation order. */
export const DFW_CATEGORIES = ['Ethernet', 'Emergency', 'Infrastructure', 'Environment', 'Application'] as const;

/** What a DFW rule does with matching traffic. */
export type DfwAction = 'ALLOW' | 'DROP' | 'REJECT' | 'JUMP_TO_APPLICATION';

/** One distributed firewall rule in global evaluation order. */
export interface DfwRule {
  /** Category name (`Application`). */
  readonly category: string;
  /** The action. */
  readonly action: DfwAction;
  /** Direction seen from the VM where the rule applies. */
  readonly direction: 'IN' | 'OUT' | 'IN_OUT';
  /** Source group identities; empty = any. */
  readonly sources: readonly string[];
  /** Whether the source list is negated. */
  readonly sourcesExcluded: boolean;
  /** Destination group identities; empty = any. */
  readonly destinations: readonly string[];
  /** Whether the destination list is negated. */
  readonly destinationsExcluded: boolean;
  /** The traffic of its services; every packet when it names none. */
  readonly traffic: RuleTraffic;
  /** Applied-to groups (the rule's scope, else its policy's); empty = every vNIC. */
  readonly appliedTo: readonly string[];
  /** How to report it. */
  readonly origin: DecidingRule;
}

interface PolicyInfo {
  readonly key: string;
  readonly name: string;
  readonly category: string;
  readonly sequence: number;
  readonly scope: readonly string[];
}

interface OrderedRule {
  readonly rule: DfwRule;
  readonly order: readonly (number | string)[];
}

/** Every enabled DFW rule of the model, in evaluation order: category, policy sequence, rule order. */
export function readDfwRules(estate: Estate): DfwRule[] {
  const services = readNsxServices(estate);
  const ordered: OrderedRule[] = [];
  for (const resource of estate.model.resourcesOfType('nsxt_policy_security_policy')) {
    const policy = policyInfo(estate, resource);
    blocksAt(resource.body, 'rule').forEach((block, index) => {
      const rule = readRule(estate, resource, block, policy, services, `.rule[${index}]`);
      const sequence = numberField(estate, resource, block.sequence_number) ?? index;
      if (rule) ordered.push({ rule, order: [...policyOrder(policy), sequence, index] });
    });
  }
  const parents = new Map(estate.model.resourcesOfType('nsxt_policy_parent_security_policy').map((resource) => [resource.key, policyInfo(estate, resource)]));
  for (const resource of estate.model.resourcesOfType('nsxt_policy_security_policy_rule')) {
    const parentValue = estate.resolver.value(resource.stack, resource.body.policy_path);
    const policy = parentValue ? parents.get(identityOf(parentValue)) : undefined;
    if (!policy) continue;
    const rule = readRule(estate, resource, resource.body, policy, services, '');
    const sequence = numberField(estate, resource, resource.body.sequence_number) ?? 0;
    if (rule) ordered.push({ rule, order: [...policyOrder(policy), sequence, resource.key] });
  }
  return ordered.sort((a, b) => compareOrder(a.order, b.order)).map((entry) => entry.rule);
}

function policyInfo(estate: Estate, resource: TerraformResource): PolicyInfo {
  return {
    key: resource.key,
    name: stringField(estate, resource, resource.body.display_name) ?? estate.naming.addressOf(resource.key),
    category: stringField(estate, resource, resource.body.category) ?? 'Application',
    sequence: numberField(estate, resource, resource.body.sequence_number) ?? 0,
    scope: estate.resolver.values(resource.stack, resource.body.scope).map(identityOf),
  };
}

function policyOrder(policy: PolicyInfo): (number | string)[] {
  const category = DFW_CATEGORIES.findIndex((name) => name.toLowerCase() === policy.category.toLowerCase());
  return [category < 0 ? DFW_CATEGORIES.length : category, policy.sequence, policy.key];
}

function compareOrder(a: readonly (number | string)[], b: readonly (number | string)[]): number {
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    const [x, y] = [a[index], b[index]];
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x).localeCompare(String(y));
  }
  return 0;
}

function readRule(
  estate: Estate, resource: TerraformResource, block: JsonObject, policy: PolicyInfo, services: ReadonlyMap<string, NsxService>, suffix: string,
): DfwRule | undefined {
  if (block.disabled === true || block.disabled === 'true') return undefined;
  const groups = (field: string) => estate.resolver.values(resource.stack, block[field]).map(identityOf).filter((id) => id.toUpperCase() !== 'ANY');
  const named = groups('services').map((identity) => serviceFor(identity, services));
  const scope = groups('scope');
  const action = (stringField(estate, resource, block.action) ?? 'ALLOW').toUpperCase() as DfwAction;
  const direction = (stringField(estate, resource, block.direction) ?? 'IN_OUT').toUpperCase() as DfwRule['direction'];
  const sources = groups('source_groups');
  const destinations = groups('destination_groups');
  const sourcesExcluded = block.sources_excluded === true || block.sources_excluded === 'true';
  const destinationsExcluded = block.destinations_excluded === true || block.destinations_excluded === 'true';
  const ruleName = stringField(estate, resource, block.display_name) ?? suffix;
  const side = (ids: readonly string[], excluded: boolean) =>
    `${excluded ? 'not ' : ''}${ids.length === 0 ? 'any' : ids.map((id) => estate.naming.nameOf(id)).join(',')}`;
  const serviceNames = named.length === 0 ? 'any service' : named.map((service) => service.name).join(',');
  const summary = `${policy.category} policy "${policy.name}" rule "${ruleName}": ${action} ${direction} `
    + `${side(sources, sourcesExcluded)} -> ${side(destinations, destinationsExcluded)} ${serviceNames}`;
  return {
    category: policy.category,
    action,
    direction,
    sources,
    sourcesExcluded,
    destinations,
    destinationsExcluded,
    traffic: named.length === 0 ? exactRuleTraffic(ALL_TRAFFIC) : named.map((service) => service.traffic).reduce(unionRuleTraffic, NO_RULE_TRAFFIC),
    appliedTo: scope.length > 0 ? scope : policy.scope,
    origin: ruleOrigin(estate, resource, summary, suffix),
  };
}
