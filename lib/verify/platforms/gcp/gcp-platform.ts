import { GCP_CHANGE_RULES } from './gcp-change-rules';
import { GcpVmFacts, INSTANCE_ADDRESS_ATTRIBUTE, gcpFacts } from './gcp-facts';
import { GCP, GCP_SECURE_TAG, GcpVm, gcpOf } from './gcp-host';
import { GcpFirewallLayer } from './gcp-layer';
import { gcpPolicies } from './gcp-rules';
import { GCP_TYPES, GCP_UNREAD_POLICY_TYPES, GCP_VM_TYPES } from './gcp-types';
import type { Estate } from '../../estate/estate';
import { Host, hostWithAddresses, unique } from '../../estate/host';
import { placedMembers } from '../../estate/placed-members';
import { resourceWithAddress } from '../../estate/resource-with-address';
import { firstOf, present } from '../../model/primary-address';
import { JsonObject, blocksAt } from '../../model/terraform-model';
import { isSymbolicText } from '../../model/value';
import { appendTo } from '../../multimap';
import { Cidr, parseCidr } from '../../net/cidr';
import { EvaluatorPlatform, Placement } from '../evaluator-platform';

const RULE_TYPES = [GCP_TYPES.classicRule, GCP_TYPES.hierarchicalRule, GCP_TYPES.networkRule, GCP_TYPES.regionalRule];

/**
 * Google Cloud: Compute Engine VMs behind Cloud NGFW (hierarchical firewall policies, VPC firewall
 * rules, global and regional network firewall policies, implied rules); secure tag values are the
 * groups.
 */
export const GCP_PLATFORM: EvaluatorPlatform = {
  changeRules: GCP_CHANGE_RULES,
  name: GCP,
  layers: (estate) => [new GcpFirewallLayer(estate, GCP_VM_TYPES)],
  evaluatedTypes: [...unique([...Object.values(GCP_TYPES), ...GCP_UNREAD_POLICY_TYPES])],
  scopedTypes: [GCP_TYPES.instance, GCP_TYPES.instanceData, GCP_TYPES.template, GCP_TYPES.groupManager, GCP_TYPES.regionGroupManager,
    GCP_TYPES.locationTagBinding, GCP_TYPES.tagValue],
  addressRuleTypes: [...RULE_TYPES, ...GCP_UNREAD_POLICY_TYPES],
  groupTypes: [GCP_TYPES.tagValue],
  endpointTypes: [...GCP_VM_TYPES],
  primaryAddresses: {
    [`${GCP_TYPES.instance}.${INSTANCE_ADDRESS_ATTRIBUTE}`]: (body) => ({ configured: firstOf(present(firstInterface(body).network_ip)), canonical: INSTANCE_ADDRESS_ATTRIBUTE }),
    [`${GCP_TYPES.instanceData}.${INSTANCE_ADDRESS_ATTRIBUTE}`]: () => ({ configured: [], canonical: INSTANCE_ADDRESS_ATTRIBUTE }),
  },
  namedPeers: [{
    kind: GCP_SECURE_TAG,
    // `tagValues/123`: a secure tag value owned outside the JSON, named by id in rules
    parse: (text) => (/^tagValues\/[^/\s]+$/.test(text) ? { kind: GCP_SECURE_TAG, value: text } : undefined),
    endpointOfRuleText: () => undefined,
    knownMembers: (estate, peer) => tagMembers(estate, peer.value),
  }],
  hostOf: (estate, resource, name, extraAddresses) => {
    if (!GCP_VM_TYPES.includes(resource.type)) return undefined;
    const facts = gcpFacts(estate).vmFacts(resource);
    if (!facts) return undefined;
    return hostWithAddresses({ name, platforms: { [GCP]: facts.vm } }, [...facts.addresses, ...extraAddresses], facts.ranges);
  },
  placements: (estate, tagValues) => tagPlacements(estate, tagValues),
  hostWithAddress: (estate, text, cidr) => vmWithAddress(estate, text, cidr),
  namesByIdentity: (host) => gcpOf(host) !== undefined,
  carriesGroup: (estate, host, groupKey) => {
    const vm = gcpOf(host);
    return vm !== undefined && gcpFacts(estate).carriesTag(vm, groupKey);
  },
  signature: (host) => {
    const vm = gcpOf(host);
    if (!vm) return null;
    const placement = [vm.vmKey ?? null, vm.network ?? null, vm.subnet ?? null, vm.region ?? null];
    return [...placement, vm.tagValues, vm.networkTags, vm.serviceAccounts, vm.members ?? []];
  },
  keysOf: (host) => {
    const vm = gcpOf(host);
    return vm ? [...vm.tagValues, ...(vm.vmKey ? [vm.vmKey] : []), ...(vm.subnet ? [vm.subnet] : [])] : [];
  },
  ruleAddressTexts: (estate) => ruleAddresses(estate),
  namesGroupsOnBothSides: () => false,
};

/**
 * The literal CIDRs the allow rules name as peers (a default deny's `0.0.0.0/0` names no one in
 * particular), without the VMs' own addresses: those are segment members.
 */
function ruleAddresses(estate: Estate): string[] {
  const policies = gcpPolicies(estate);
  const facts = gcpFacts(estate);
  const networks = estate.model.resourcesOfType(GCP_TYPES.network).map((network) => network.key);
  const policyKeys = [GCP_TYPES.hierarchicalPolicy, GCP_TYPES.networkPolicy, GCP_TYPES.regionalPolicy]
    .flatMap((type) => estate.model.resourcesOfType(type)).map((policy) => policy.key);
  const rules = [...networks.flatMap((network) => policies.classicRulesOf(network)), ...policyKeys.flatMap((policy) => policies.rulesOf(policy))];
  const own = new Set(estate.model.resourcesOfType(GCP_TYPES.instance)
    .flatMap((vm) => facts.vmFacts(vm)?.addresses ?? [])
    .filter((value) => value.kind === 'literal')
    .flatMap((value) => [String(value.value), `${String(value.value)}/32`]));
  return unique(rules
    .filter((rule) => rule.action === 'allow')
    .flatMap((rule) => (rule.direction === 'ingress' ? rule.sources.ranges : rule.destinations.ranges))
    .filter((text) => !isSymbolicText(text) && parseCidr(text) !== undefined && !own.has(text))).sort();
}

/**
 * The one VM of the JSON whose interface has exactly this literal address (its configured
 * `network_ip`, or an address of the workload bound to it): asked about by address, it is still
 * behind its firewalls. Undefined unless exactly one VM has it.
 */
function vmWithAddress(estate: Estate, text: string, cidr: Cidr): Host | undefined {
  const facts = gcpFacts(estate);
  const found = resourceWithAddress(estate, GCP, () => estate.model.resourcesOfType(GCP_TYPES.instance),
    (vm) => facts.vmFacts(vm)?.addresses ?? [], cidr);
  const vm = found && facts.vmFacts(found);
  return vm && { name: text, ranges: [text], symbolicAddresses: [], platforms: { [GCP]: vm.vm } };
}

function firstInterface(body: JsonObject): JsonObject {
  return blocksAt(body, 'network_interface')[0] ?? {};
}

/**
 * Where a hypothetical member of secure tag values sits: one placement per distinct network and
 * subnetwork of the values' real members (instances, templates, bound instances), carrying the
 * values and whatever else every full member carries; without members, in the network the values'
 * keys are scoped to.
 */
function tagPlacements(estate: Estate, tagValues: readonly string[]): Placement[] {
  const facts = gcpFacts(estate);
  const members = unique(tagValues.flatMap((tag) => facts.membersOf(tag)))
    .map((resource) => facts.vmFacts(resource))
    .filter((member) => member !== undefined);
  const full = members.filter((member) => tagValues.every((tag) => member.vm.tagValues.includes(tag)));
  const shared = (pick: (vm: GcpVm) => readonly string[]) => (full.length === 0 ? [] : full.map((member) => pick(member.vm))
    .reduce((common, next) => common.filter((item) => next.includes(item))));
  const sharedTags = shared((vm) => vm.tagValues);
  const networkTags = shared((vm) => vm.networkTags);
  const serviceAccounts = shared((vm) => vm.serviceAccounts);
  const distinct = new Map<string, GcpVmFacts[]>();
  for (const member of members) appendTo(distinct, `${member.vm.network}|${member.vm.subnet}`, member);
  if (distinct.size === 0) {
    const network = tagValues.map((tag) => facts.networkOfTagValue(tag)).find((key) => key !== undefined);
    const unplaced: GcpVm = { ...(network !== undefined ? { network } : {}), tagValues: [...tagValues], networkTags: [], serviceAccounts: [] };
    return [{ ranges: [], facts: unplaced }];
  }
  return [...distinct.values()].map((placed): Placement => {
    const member = placed[0];
    const complete = placed.filter((candidate) => full.includes(candidate));
    return {
      label: [member.vm.subnet, member.vm.network].filter((key): key is string => key !== undefined).map((key) => estate.naming.addressOf(key))[0],
      ranges: [...member.ranges],
      facts: {
        ...(member.vm.network !== undefined ? { network: member.vm.network } : {}),
        ...(member.vm.subnet !== undefined ? { subnet: member.vm.subnet } : {}),
        ...(member.vm.region !== undefined ? { region: member.vm.region } : {}),
        tagValues: unique([...tagValues, ...sharedTags]).sort(),
        networkTags,
        serviceAccounts,
        members: (complete.length > 0 ? complete : placed)
          .map((candidate) => candidate.vm.vmKey)
          .filter((key): key is string => key !== undefined)
          .sort(),
      } satisfies GcpVm,
    };
  });
}

/** The members of a secure tag value named by id, when VMs of the JSON carry it: hypothetical members placed where they are. */
function tagMembers(estate: Estate, tagValue: string): Host[] {
  if (gcpFacts(estate).membersOf(tagValue).length === 0) return [];
  return placedMembers(tagValue, GCP, tagPlacements(estate, [tagValue]));
}
