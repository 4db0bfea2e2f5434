import { NsxTag, nsxOf } from './nsx-host';
import { addressMatchBounds } from '../../estate/address-match';
import { Host } from '../../estate/host';
import { Resolver } from '../../model/resolver';
import { JsonObject, TerraformResource, blocksAt } from '../../model/terraform-model';
import { identityOf, stringOf, textOf } from '../../model/value';
import { parseCidr } from '../../net/cidr';
import { MatchBounds, bestBounds, exactBounds, weakestBounds } from '../../net/match-bounds';
import { MatchLevel } from '../../net/rule-traffic';

/** One `condition` of an NSX group criteria (`Tag EQUALS scope|tag`). */
export interface NsxCondition {
  /** What is compared: `Tag`, `Name`, `OSName`, `ComputerName`. */
  readonly key: string;
  /** `EQUALS`, `CONTAINS`, `STARTSWITH`, `ENDSWITH`, `NOTEQUALS`. */
  readonly operator: string;
  /** The value (`scope|tag` for tags). */
  readonly value: string;
}

/** One `criteria` block of an NSX group. */
export type NsxCriterion =
  | { readonly kind: 'conditions'; readonly conditions: readonly NsxCondition[] }
  | { readonly kind: 'addresses'; readonly addresses: readonly string[] }
  | { readonly kind: 'members'; readonly groups: readonly string[] }
  | { readonly kind: 'unsupported'; readonly what: string };

/** An `nsxt_policy_group`: its criteria as an OR of AND-terms (AND binds tighter than OR). */
export interface NsxGroup {
  /** The resource key. */
  readonly key: string;
  /** The policy path NSX gives it (`/infra/domains/<domain>/groups/<nsx_id>`), when `nsx_id` is literal. */
  readonly literalPath?: string;
  /** The criteria, OR of AND-terms. */
  readonly terms: readonly (readonly NsxCriterion[])[];
}

/** Reads an `nsxt_policy_group` resource. */
export function readNsxGroup(resource: TerraformResource, resolver: Resolver): NsxGroup {
  const criteria = blocksAt(resource.body, 'criteria').map((block) => readCriterion(block, resource, resolver));
  const operators = blocksAt(resource.body, 'conjunction').map((block) => String(block.operator ?? 'OR').toUpperCase());
  const terms: NsxCriterion[][] = [];
  criteria.forEach((criterion, index) => {
    if (index > 0 && operators[index - 1] === 'AND') terms[terms.length - 1].push(criterion);
    else terms.push([criterion]);
  });
  const nsxId = stringOf(resolver.value(resource.stack, resource.body.nsx_id));
  const domain = stringOf(resolver.value(resource.stack, resource.body.domain)) ?? 'default';
  return { key: resource.key, literalPath: nsxId ? `/infra/domains/${domain}/groups/${nsxId}` : undefined, terms };
}

function readCriterion(block: JsonObject, resource: TerraformResource, resolver: Resolver): NsxCriterion {
  const conditions = blocksAt(block, 'condition');
  if (conditions.length > 0) {
    return {
      kind: 'conditions',
      conditions: conditions.map((condition) => ({
        key: String(condition.key ?? ''),
        operator: String(condition.operator ?? 'EQUALS').toUpperCase(),
        value: textOf(resolver.value(resource.stack, condition.value) ?? { kind: 'literal', value: '' }),
      })),
    };
  }
  const addresses = blocksAt(block, 'ipaddress_expression');
  if (addresses.length > 0) {
    return { kind: 'addresses', addresses: addresses.flatMap((expression) => resolver.values(resource.stack, expression.ip_addresses)).map(textOf) };
  }
  const paths = blocksAt(block, 'path_expression');
  if (paths.length > 0) {
    return { kind: 'members', groups: paths.flatMap((expression) => resolver.values(resource.stack, expression.member_paths)).map(identityOf) };
  }
  return { kind: 'unsupported', what: Object.keys(block).join(',') || 'empty criteria' };
}

/** Looks up groups by key, for nested membership. */
export type NsxGroupLookup = (key: string) => NsxGroup | undefined;

/** How a host belongs to a group: by construction (a hypothetical member), by criteria, or not. */
export function nsxMembership(group: NsxGroup, host: Host, lookup: NsxGroupLookup): MatchLevel {
  return nsxMembershipBounds(group, host, lookup).least;
}

/**
 * How a host belongs to a group, certainly and if every address of its IP criteria that the JSON
 * does not resolve were the host's.
 */
export function nsxMembershipBounds(group: NsxGroup, host: Host, lookup: NsxGroupLookup, visiting: ReadonlySet<string> = new Set()): MatchBounds {
  if (nsxOf(host)?.groups.includes(group.key)) return exactBounds('full');
  if (visiting.has(group.key)) return exactBounds('none');
  const inside = new Set([...visiting, group.key]);
  return group.terms
    .map((term) => term.map((criterion) => criterionMatch(criterion, host, lookup, inside)).reduce(weakestBounds, exactBounds('full')))
    .reduce(bestBounds, exactBounds('none'));
}

function criterionMatch(criterion: NsxCriterion, host: Host, lookup: NsxGroupLookup, visiting: ReadonlySet<string>): MatchBounds {
  switch (criterion.kind) {
    case 'conditions':
      return exactBounds(nsxOf(host) && criterion.conditions.every((condition) => conditionHolds(condition, host)) ? 'full' : 'none');
    case 'addresses':
      return criterion.addresses.map((address) => addressMatchBounds(address, host)).reduce(bestBounds, exactBounds('none'));
    case 'members':
      return criterion.groups
        .map((key) => lookup(key))
        .map((member) => (member ? nsxMembershipBounds(member, host, lookup, visiting) : exactBounds('none')))
        .reduce(bestBounds, exactBounds('none'));
    case 'unsupported':
      return exactBounds('none');
  }
}

function conditionHolds(condition: NsxCondition, host: Host): boolean {
  const vm = nsxOf(host);
  if (!vm) return false;
  const key = condition.key.toLowerCase();
  if (key === 'tag') return vm.tags.some((tag) => tagMatches(condition, tag));
  if (key === 'name' || key === 'computername') return vm.vmName !== undefined && compare(condition.operator, vm.vmName, condition.value);
  return false;
}

function tagMatches(condition: NsxCondition, tag: NsxTag): boolean {
  const separator = condition.value.indexOf('|');
  const scope = separator < 0 ? '' : condition.value.slice(0, separator);
  const value = separator < 0 ? condition.value : condition.value.slice(separator + 1);
  const scopeMatches = scope === '' || scope.toLowerCase() === tag.scope.toLowerCase();
  return scopeMatches && compare(condition.operator, tag.tag, value);
}

function compare(operator: string, actual: string, expected: string): boolean {
  const a = actual.toLowerCase();
  const e = expected.toLowerCase();
  switch (operator) {
    case 'CONTAINS': return a.includes(e);
    case 'STARTSWITH': return a.startsWith(e);
    case 'ENDSWITH': return a.endsWith(e);
    case 'NOTEQUALS': return a !== e;
    default: return a === e;
  }
}

/** The tags a hypothetical member must carry to satisfy the group's first term of tag conditions. */
export function tagsImpliedBy(group: NsxGroup): NsxTag[] {
  for (const term of group.terms) {
    const conditions = term.flatMap((criterion) => (criterion.kind === 'conditions' ? criterion.conditions : []));
    const tags = conditions.filter((condition) => condition.key.toLowerCase() === 'tag' && condition.operator === 'EQUALS').map(splitTag);
    if (tags.length > 0) return tags;
  }
  return [];
}

function splitTag(condition: NsxCondition): NsxTag {
  const separator = condition.value.indexOf('|');
  return separator < 0 ? { scope: '', tag: condition.value } : { scope: condition.value.slice(0, separator), tag: condition.value.slice(separator + 1) };
}

/** Literal IP addresses of the group's ipaddress criteria (a hypothetical member of an IP group lies in them). */
export function addressesImpliedBy(group: NsxGroup): string[] {
  return group.terms.flat().flatMap((criterion) => (criterion.kind === 'addresses' ? criterion.addresses : [])).filter((a) => parseCidr(a));
}
