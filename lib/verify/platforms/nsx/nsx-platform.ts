import { DfwLayer } from './dfw/dfw-layer';
import { NSX_CHANGE_RULES } from './nsx-change-rules';
import { nsxFacts } from './nsx-facts';
import { NsxGroup, addressesImpliedBy, nsxMembership, tagsImpliedBy } from './nsx-groups';
import { NSX, NsxTag, NsxVm, nsxOf } from './nsx-host';
import type { Estate } from '../../estate/estate';
import { Host, hostWithAddresses } from '../../estate/host';
import { resourceWithAddress } from '../../estate/resource-with-address';
import { firstOf, present } from '../../model/primary-address';
import { JsonObject, TerraformResource, blocksAt } from '../../model/terraform-model';
import { Value } from '../../model/value';
import { Cidr } from '../../net/cidr';
import { EvaluatorPlatform, Placement } from '../evaluator-platform';

const VM_TYPE = 'vsphere_virtual_machine';
const GROUP_TYPE = 'nsxt_policy_group';

/** vSphere VMs behind the NSX distributed firewall, NSX groups as groups. */
export const NSX_PLATFORM: EvaluatorPlatform = {
  changeRules: NSX_CHANGE_RULES,
  name: NSX,
  layers: (estate) => [new DfwLayer(estate)],
  evaluatedTypes: [
    GROUP_TYPE, 'nsxt_policy_parent_security_policy', 'nsxt_policy_predefined_security_policy', 'nsxt_policy_security_policy',
    'nsxt_policy_security_policy_rule', 'nsxt_policy_service', 'nsxt_policy_vm_tags', VM_TYPE,
  ],
  scopedTypes: [GROUP_TYPE, 'nsxt_policy_security_policy_rule', 'nsxt_policy_vm_tags', VM_TYPE],
  addressRuleTypes: [
    GROUP_TYPE, 'nsxt_policy_security_policy', 'nsxt_policy_security_policy_rule', 'nsxt_policy_parent_security_policy',
    'nsxt_policy_predefined_security_policy',
  ],
  groupTypes: [GROUP_TYPE],
  endpointTypes: [VM_TYPE],
  primaryAddresses: {
    'vsphere_virtual_machine.default_ip_address': (body) => ({ configured: firstOf(customizedAddresses(body).flatMap(present)), canonical: 'default_ip_address' }),
  },
  hostOf: (estate, resource, name, extraAddresses) => (resource.type === VM_TYPE ? vmHost(estate, resource, name, extraAddresses) : undefined),
  hostWithAddress: (estate, text, cidr) => vmWithAddress(estate, text, cidr),
  placements: (estate, groupKeys) => groupPlacements(estate, groupKeys),
  namesByIdentity: (host) => nsxOf(host) !== undefined,
  carriesGroup: (estate, host, groupKey) => {
    const facts = nsxFacts(estate);
    const group = facts.group(groupKey);
    return group !== undefined && nsxMembership(group, host, (key) => facts.group(key)) === 'full';
  },
  signature: (host) => {
    const nsx = nsxOf(host);
    return nsx ? [nsx.vmKey ?? null, nsx.vmName ?? null, nsx.tags, nsx.groups] : null;
  },
  keysOf: (host) => {
    const nsx = nsxOf(host);
    return nsx ? [...nsx.groups, ...(nsx.vmKey ? [nsx.vmKey] : [])] : [];
  },
  // the rules name addresses through groups' IP address criteria
  ruleAddressTexts: (estate) => nsxFacts(estate).groupAddresses(),
  namesGroupsOnBothSides: () => false,
};

function vmHost(estate: Estate, vm: TerraformResource, name: string, extraAddresses: readonly Value[]): Host {
  const facts = nsxFacts(estate);
  const nsx: NsxVm = { vmKey: vm.key, vmName: facts.nameOf(vm), tags: facts.tagsOf(vm.key), groups: [] };
  const customized = customizedAddresses(vm.body).flatMap((address) => estate.resolver.values(vm.stack, address));
  const addresses = customized.length > 0 ? customized : [{ kind: 'reference', key: vm.key, attribute: 'default_ip_address' } as Value];
  return hostWithAddresses({ name, platforms: { [NSX]: nsx } }, [...addresses, ...extraAddresses], []);
}

/**
 * The one VM whose literal address `text` is (its clone customization's `ipv4_address`, or an
 * address of the workload bound to it): asked about by address, it is still behind the distributed
 * firewall, with its tags and groups. Undefined unless exactly one VM has it.
 */
function vmWithAddress(estate: Estate, text: string, cidr: Cidr): Host | undefined {
  const found = resourceWithAddress(estate, NSX, () => estate.model.resourcesOfType(VM_TYPE),
    (vm) => customizedAddresses(vm.body).flatMap((address) => estate.resolver.values(vm.stack, address)), cidr);
  const host = found && vmHost(estate, found, text, []);
  return host && { ...host, name: text, ranges: [text], symbolicAddresses: [] };
}

/** The `ipv4_address` fields of the VM's clone customization, as written. */
function customizedAddresses(body: JsonObject): unknown[] {
  return blocksAt(body, 'clone')
    .flatMap((clone) => blocksAt(clone, 'customize'))
    .flatMap((customize) => blocksAt(customize, 'network_interface'))
    .map((nic) => nic.ipv4_address);
}

/** A hypothetical member of NSX groups: one placement carrying the tags the groups imply and the groups themselves. */
function groupPlacements(estate: Estate, groupKeys: readonly string[]): Placement[] {
  const facts = nsxFacts(estate);
  const groups = groupKeys.map((key) => facts.group(key)).filter((group) => group !== undefined);
  return [{
    ranges: groups.flatMap(addressesImpliedBy),
    facts: { tags: [...groups.flatMap(tagsImpliedBy), ...tagsSharedByMembers(estate, groups)], groups: groupKeys } satisfies NsxVm,
  }];
}

/**
 * The tags every real member VM of the groups carries (for example the tag that puts a VM under
 * the policy's default deny), so the hypothetical member looks like the real ones. None when the
 * groups have no tagged member yet.
 */
function tagsSharedByMembers(estate: Estate, groups: readonly NsxGroup[]): NsxTag[] {
  const facts = nsxFacts(estate);
  const lookup = (key: string) => facts.group(key);
  const members = facts.taggedVms().filter((vmKey) => {
    const vm: NsxVm = { vmKey, tags: facts.tagsOf(vmKey), groups: [] };
    const host: Host = { name: vmKey, ranges: [], symbolicAddresses: [], platforms: { [NSX]: vm } };
    return groups.every((group) => nsxMembership(group, host, lookup) === 'full');
  });
  if (members.length === 0) return [];
  const key = (tag: NsxTag) => `${tag.scope.toLowerCase()}|${tag.tag.toLowerCase()}`;
  const [first, ...rest] = members.map((vmKey) => facts.tagsOf(vmKey));
  return first.filter((tag) => rest.every((tags) => tags.some((other) => key(other) === key(tag))));
}
