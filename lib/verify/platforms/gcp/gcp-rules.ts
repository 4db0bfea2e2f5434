import { GcpFacts, MALFORMED_TAG, gcpFacts } from './gcp-facts';
import { GcpProtocolPorts, describeGcpProtocols, gcpRuleTraffic } from './gcp-traffic';
import { GCP_TYPES, GCP_UNREAD_POLICY_TYPES } from './gcp-types';
import type { Estate } from '../../estate/estate';
import { DecidingRule } from '../../layers/layer-verdict';
import { numberField, ruleOrigin, stringField } from '../../layers/rule-origin';
import { JsonObject, TerraformResource, asArray, asObject, blocksAt } from '../../model/terraform-model';
import { identityOf, stringOf, textOf } from '../../model/value';
import { appendTo } from '../../multimap';
import { RuleTraffic } from '../../net/rule-traffic';

/** What a rule does with the connections it matches; `not-evaluated` for actions the evaluator does not model (`apply_security_profile_group`). */
export type GcpAction = 'allow' | 'deny' | 'goto_next' | 'not-evaluated';

/** The kinds of rule lists, in the words of Google's evaluation order. */
export type GcpTierKind = 'hierarchical' | 'classic' | 'network' | 'regional';

/** One side of a rule: any of these matches (Google combines a rule's source, or destination, parameters with OR). */
export interface GcpSelectors {
  /** CIDRs (or unresolved address expressions). */
  readonly ranges: readonly string[];
  /** Secure tag value identities (`src_secure_tags`). */
  readonly secureTags: readonly string[];
  /** Network tags (classic `source_tags`). */
  readonly networkTags: readonly string[];
  /** Service accounts (classic `source_service_accounts`). */
  readonly serviceAccounts: readonly string[];
  /** Parameters the evaluator cannot resolve to addresses (address groups, FQDNs, region codes, threat intelligence lists), as `field=value`. */
  readonly unread: readonly string[];
}

/** Which VMs a rule applies to (its targets); empty lists: every VM of the network. */
export interface GcpTargets {
  /** Secure tag value identities (`target_secure_tags`). */
  readonly secureTags: readonly string[];
  /** Network tags (classic `target_tags`). */
  readonly networkTags: readonly string[];
  /** Service accounts. */
  readonly serviceAccounts: readonly string[];
  /** Networks a hierarchical rule is limited to (`target_resources`). */
  readonly networks: readonly string[];
}

/** One firewall rule of any kind, normalized. */
export interface GcpRule {
  /** Which list it belongs to. */
  readonly kind: GcpTierKind;
  /** Ingress or egress. */
  readonly direction: 'ingress' | 'egress';
  /** Evaluation order within its list, ascending. */
  readonly priority: number;
  /** What it does. */
  readonly action: GcpAction;
  /** The protocols and ports it matches. */
  readonly traffic: RuleTraffic;
  /** Sources: the peer of an ingress rule; for an egress rule, a condition on the target's own address. */
  readonly sources: GcpSelectors;
  /** Destinations: the peer of an egress rule; for an ingress rule, a condition on the target's own address. */
  readonly destinations: GcpSelectors;
  /** The VMs it applies to. */
  readonly targets: GcpTargets;
  /** The network whose VMs a classic rule's `source_tags` name. */
  readonly network?: string;
  /** How to report it. */
  readonly origin: DecidingRule;
}

/** A policy associated with a node of the resource hierarchy (organization or folder). */
export interface HierarchicalAssociation {
  /** Key (or identity) of the policy. */
  readonly policy: string;
  /** The organization or folder, as written. */
  readonly attachment: string;
  /** 0 for an organization, 1 for a folder: organizations are evaluated first. */
  readonly rank: number;
}

/** A network (global or regional) firewall policy associated with a network. */
export interface NetworkAssociation {
  /** Key (or identity) of the policy. */
  readonly policy: string;
  /** Global or regional. */
  readonly kind: 'network' | 'regional';
  /** The region of a regional policy, if known. */
  readonly region?: string;
}

const EMPTY_SELECTORS: GcpSelectors = { ranges: [], secureTags: [], networkTags: [], serviceAccounts: [], unread: [] };

/** Every firewall rule and policy association of the JSON, read once per estate. */
export class GcpPolicies {
  /** Hierarchical policy associations, organizations first. */
  public readonly hierarchical: readonly HierarchicalAssociation[];
  /** Whether the JSON holds any rule or policy the layer reads. */
  public readonly present: boolean;
  /** Policies with inline rules, which the evaluator does not read. */
  public readonly unreadPolicies: readonly string[];
  private readonly rulesByPolicy = new Map<string, GcpRule[]>();
  private readonly classicByNetwork = new Map<string, GcpRule[]>();
  private readonly associationsByNetwork = new Map<string, NetworkAssociation[]>();
  private readonly policyByName = new Map<string, string>();

  constructor(private readonly estate: Estate) {
    const model = estate.model;
    const facts = gcpFacts(estate);
    for (const type of [GCP_TYPES.hierarchicalPolicy, GCP_TYPES.networkPolicy, GCP_TYPES.regionalPolicy]) {
      for (const policy of model.resourcesOfType(type)) {
        const name = stringOf(estate.resolver.value(policy.stack, policy.body.name ?? policy.body.short_name));
        if (name !== undefined) this.policyByName.set(name, policy.key);
      }
    }
    const ruleTypes: ReadonlyArray<readonly [string, GcpTierKind]> = [
      [GCP_TYPES.hierarchicalRule, 'hierarchical'], [GCP_TYPES.networkRule, 'network'], [GCP_TYPES.regionalRule, 'regional'],
    ];
    for (const [type, kind] of ruleTypes) {
      for (const rule of model.resourcesOfType(type)) {
        const read = readPolicyRule(estate, facts, rule, kind);
        if (read) appendTo(this.rulesByPolicy, this.policyIdentity(rule.stack, rule.body.firewall_policy), read);
      }
    }
    for (const rule of model.resourcesOfType(GCP_TYPES.classicRule)) {
      const read = readClassicRule(estate, facts, rule);
      if (read?.network !== undefined) appendTo(this.classicByNetwork, read.network, read);
    }
    for (const list of [...this.rulesByPolicy.values()]) list.sort((a, b) => a.priority - b.priority);
    // at equal priority a deny rule wins over an allow rule
    for (const list of this.classicByNetwork.values()) list.sort((a, b) => a.priority - b.priority || Number(a.action === 'allow') - Number(b.action === 'allow'));
    this.hierarchical = model.resourcesOfType(GCP_TYPES.hierarchicalAssociation)
      .map((association): HierarchicalAssociation => {
        const attachment = textOf(estate.resolver.value(association.stack, association.body.attachment_target) ?? { kind: 'literal', value: '' });
        return { policy: this.policyIdentity(association.stack, association.body.firewall_policy), attachment, rank: attachment.startsWith('organizations/') ? 0 : 1 };
      })
      .sort((a, b) => a.rank - b.rank || a.attachment.localeCompare(b.attachment));
    for (const [type, kind] of [[GCP_TYPES.networkAssociation, 'network'], [GCP_TYPES.regionalAssociation, 'regional']] as const) {
      for (const association of model.resourcesOfType(type)) {
        const network = facts.networkIdentity(association.stack, association.body.attachment_target);
        if (network === undefined) continue;
        const region = stringOf(estate.resolver.value(association.stack, association.body.region));
        appendTo(this.associationsByNetwork, network, {
          policy: this.policyIdentity(association.stack, association.body.firewall_policy), kind, ...(region !== undefined ? { region } : {}),
        });
      }
    }
    this.unreadPolicies = GCP_UNREAD_POLICY_TYPES.flatMap((type) => model.resourcesOfType(type)).map((resource) => resource.key);
    this.present = [...Object.values(GCP_TYPES)].some((type) => type.includes('firewall') && model.resourcesOfType(type).length > 0)
      || this.unreadPolicies.length > 0;
  }

  /** A policy's rules, by priority. */
  public rulesOf(policy: string): readonly GcpRule[] {
    return this.rulesByPolicy.get(policy) ?? [];
  }

  /** The classic VPC firewall rules of a network, by priority (deny first at equal priority). */
  public classicRulesOf(network: string): readonly GcpRule[] {
    return this.classicByNetwork.get(network) ?? [];
  }

  /** The network and regional firewall policies associated with a network. */
  public associationsOf(network: string): readonly NetworkAssociation[] {
    return this.associationsByNetwork.get(network) ?? [];
  }

  private policyIdentity(stack: string, raw: unknown): string {
    const value = this.estate.resolver.value(stack, raw);
    if (!value) return '';
    if (value.kind !== 'literal') return identityOf(value);
    const name = String(value.value).split('/').pop() ?? '';
    return this.policyByName.get(name) ?? String(value.value);
  }
}

/** The firewall rules and associations of an estate, read on first use. */
export function gcpPolicies(estate: Estate): GcpPolicies {
  return estate.facts(readGcpPolicies);
}

function readGcpPolicies(estate: Estate): GcpPolicies {
  return new GcpPolicies(estate);
}

function readPolicyRule(estate: Estate, facts: GcpFacts, resource: TerraformResource, kind: GcpTierKind): GcpRule | undefined {
  const { stack, body } = resource;
  if (isTrue(estate, resource, body.disabled)) return undefined;
  const match: JsonObject = blocksAt(body, 'match')[0] ?? {};
  const texts = (raw: unknown) => estate.resolver.values(stack, raw).map(textOf);
  const tags = (raw: unknown) => asArray(raw)
    .map((tag) => facts.tagValueIdentity(stack, asObject(tag).name))
    .filter((tag): tag is string => tag !== undefined);
  const unread = (fields: readonly string[]) => fields.flatMap((field) => texts(match[field]).map((value) => `${field}=${value}`));
  const configs: GcpProtocolPorts[] = blocksAt(match, 'layer4_configs').map((config) => ({
    protocol: stringOf(estate.resolver.value(stack, config.ip_protocol)) ?? 'all',
    ports: texts(config.ports),
  }));
  const actionText = (stringField(estate, resource, body.action) ?? '').toLowerCase();
  const action: GcpAction = actionText === 'allow' || actionText === 'deny' || actionText === 'goto_next' ? actionText : 'not-evaluated';
  const direction = (stringField(estate, resource, body.direction) ?? 'INGRESS').toUpperCase() === 'EGRESS' ? 'egress' : 'ingress';
  const priority = numberField(estate, resource, body.priority) ?? 0;
  const sources: GcpSelectors = {
    ...EMPTY_SELECTORS,
    ranges: texts(match.src_ip_ranges),
    secureTags: tags(match.src_secure_tags),
    unread: unread(['src_address_groups', 'src_fqdns', 'src_region_codes', 'src_threat_intelligences', 'src_networks', 'src_network_type']),
  };
  const destinations: GcpSelectors = {
    ...EMPTY_SELECTORS,
    ranges: texts(match.dest_ip_ranges),
    unread: unread(['dest_address_groups', 'dest_fqdns', 'dest_region_codes', 'dest_threat_intelligences', 'dest_network_type']),
  };
  const targets: GcpTargets = {
    secureTags: tags(body.target_secure_tags),
    networkTags: [],
    serviceAccounts: texts(body.target_service_accounts),
    networks: asArray(body.target_resources)
      .map((raw) => facts.networkIdentity(stack, raw))
      .filter((network): network is string => network !== undefined),
  };
  const rule = { kind, direction, priority, action, traffic: gcpRuleTraffic(configs), sources, destinations, targets } as const;
  const summary = `priority ${priority} ${actionText || 'no action'} ${direction} ${describeGcpProtocols(configs)}`
    + ` from ${describeSide(estate, sources, direction === 'ingress')} to ${describeSide(estate, destinations, direction === 'egress')}`
    + describeTargets(estate, targets);
  return { ...rule, origin: ruleOrigin(estate, resource, summary) };
}

function readClassicRule(estate: Estate, facts: GcpFacts, resource: TerraformResource): GcpRule | undefined {
  const { stack, body } = resource;
  if (isTrue(estate, resource, body.disabled)) return undefined;
  const texts = (raw: unknown) => estate.resolver.values(stack, raw).map(textOf);
  const allow = blocksAt(body, 'allow');
  const deny = blocksAt(body, 'deny');
  const blocks = allow.length > 0 ? allow : deny;
  const configs: GcpProtocolPorts[] = blocks.map((block) => ({
    protocol: stringOf(estate.resolver.value(stack, block.protocol)) ?? 'all',
    ports: texts(block.ports),
  }));
  const direction = (stringField(estate, resource, body.direction) ?? 'INGRESS').toUpperCase() === 'EGRESS' ? 'egress' : 'ingress';
  const priority = numberField(estate, resource, body.priority) ?? 1000;
  const network = facts.networkIdentity(stack, body.network);
  const sources: GcpSelectors = {
    ...EMPTY_SELECTORS,
    ranges: texts(body.source_ranges),
    networkTags: texts(body.source_tags),
    serviceAccounts: texts(body.source_service_accounts),
  };
  const destinations: GcpSelectors = { ...EMPTY_SELECTORS, ranges: texts(body.destination_ranges) };
  const targets: GcpTargets = {
    secureTags: [], networkTags: texts(body.target_tags), serviceAccounts: texts(body.target_service_accounts), networks: [],
  };
  const action = allow.length > 0 ? 'allow' : 'deny';
  const summary = `priority ${priority} ${action} ${direction} ${describeGcpProtocols(configs)}`
    + ` from ${describeSide(estate, sources, direction === 'ingress')} to ${describeSide(estate, destinations, direction === 'egress')}`
    + describeTargets(estate, targets);
  return {
    kind: 'classic',
    direction,
    priority,
    action,
    traffic: gcpRuleTraffic(configs),
    sources,
    destinations,
    targets,
    ...(network !== undefined ? { network } : {}),
    origin: ruleOrigin(estate, resource, summary),
  };
}

function isTrue(estate: Estate, resource: TerraformResource, raw: unknown): boolean {
  const value = estate.resolver.value(resource.stack, raw);
  return value?.kind === 'literal' && (value.value === true || String(value.value).toLowerCase() === 'true');
}

function describeSide(estate: Estate, side: GcpSelectors, isPeer: boolean): string {
  const parts = [
    ...side.ranges,
    ...side.secureTags.map((tag) => describeTag(estate, tag)),
    ...side.networkTags.map((tag) => `network tag ${tag}`),
    ...side.serviceAccounts.map((account) => `service account ${account}`),
    ...side.unread.map((text) => `${text} (not evaluated)`),
  ];
  if (parts.length > 0) return parts.join(',');
  return isPeer ? 'any' : 'the target';
}

function describeTag(estate: Estate, tag: string): string {
  if (tag.startsWith(MALFORMED_TAG)) return `${tag.slice(MALFORMED_TAG.length)} (not a tagValues/ name: matches no VM)`;
  return `secure tag ${estate.naming.nameOf(tag)}`;
}

function describeTargets(estate: Estate, targets: GcpTargets): string {
  const parts = [
    ...targets.secureTags.map((tag) => describeTag(estate, tag)),
    ...targets.networkTags.map((tag) => `network tag ${tag}`),
    ...targets.serviceAccounts.map((account) => `service account ${account}`),
    ...targets.networks.map((network) => `network ${estate.naming.nameOf(network)}`),
  ];
  return parts.length > 0 ? `, targets ${parts.join(',')}` : ', targets every VM';
}
