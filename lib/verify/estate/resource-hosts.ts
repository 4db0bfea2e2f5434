import { TerraformResource, blocksAt } from '../model/terraform-model';
import { Value } from '../model/value';
import { AWS_INTERFACE_TYPES } from './aws-facts';
import { AZURE_VM_TYPES } from './azure-facts';
import { Estate } from './estate';
import { Host, addressFacts, unique } from './host';
import { addressesImpliedBy, tagsImpliedBy } from './nsx-groups';

/** Resource types that stand for a group of hosts rather than one host. */
export const GROUP_TYPES = new Set(['aws_security_group', 'azurerm_application_security_group', 'nsxt_policy_group']);

/** Resource types that can be an endpoint on their own. */
export function isEndpointResource(resource: TerraformResource): boolean {
  return AWS_INTERFACE_TYPES.has(resource.type) || AZURE_VM_TYPES.has(resource.type) || GROUP_TYPES.has(resource.type)
    || ['azurerm_network_interface', 'vsphere_virtual_machine', 'aws_ec2_managed_prefix_list'].includes(resource.type);
}

/** The host a bound resource (instance, NIC, VM) stands for, with extra known addresses; undefined for other types. */
export function hostOfResource(estate: Estate, resource: TerraformResource, name: string, extraAddresses: readonly Value[] = []): Host | undefined {
  if (AWS_INTERFACE_TYPES.has(resource.type)) {
    const facts = estate.aws.interfaceFacts(resource);
    return withAddresses({
      name,
      awsSubnet: facts.subnet,
      aws: { interfaceKey: resource.key, securityGroups: facts.securityGroups, securityGroupsKnown: facts.securityGroupsKnown },
    }, [...facts.addresses, ...extraAddresses], facts.subnet ? estate.aws.cidrsOfSubnet(facts.subnet) : []);
  }
  if (AZURE_VM_TYPES.has(resource.type)) {
    const nic = estate.azure.nicOfVm(resource);
    return nic ? hostOfResource(estate, nic, name, extraAddresses) : undefined;
  }
  if (resource.type === 'azurerm_network_interface') {
    const facts = estate.azure.nicFacts(resource);
    return withAddresses({
      name,
      azure: { nicKey: resource.key, asgs: facts.asgs, nicNsgs: facts.nicNsgs, subnet: facts.subnet, subnetNsgs: estate.azure.nsgsOfSubnet(facts.subnet) },
    }, [...facts.addresses, ...extraAddresses], estate.azure.cidrsOfSubnet(facts.subnet));
  }
  if (resource.type === 'vsphere_virtual_machine') {
    return withAddresses({
      name,
      nsx: { vmKey: resource.key, vmName: estate.nsx.nameOf(resource), tags: estate.nsx.tagsOf(resource.key), groups: [] },
    }, [...vsphereAddresses(estate, resource), ...extraAddresses], []);
  }
  if (resource.type === 'aws_ec2_managed_prefix_list') {
    return { name, ranges: [], symbolicAddresses: [], namedPeer: { kind: 'aws-prefix-list', value: resource.key } };
  }
  return undefined;
}

/**
 * Hypothetical members of a group resource: an interface that carries exactly this group. They are
 * placed where the group's real members are (one per distinct subnet / NSG placement), or nowhere.
 */
export function hypotheticalMembers(estate: Estate, group: TerraformResource | string, name: string): Host[] {
  const key = typeof group === 'string' ? group : group.key;
  const type = estate.model.resource(key)?.type ?? key.split('/').pop()?.split('.')[0];
  if (type === 'aws_security_group') return awsMembers(estate, key, name);
  if (type === 'azurerm_application_security_group') return azureMembers(estate, key, name);
  if (type === 'nsxt_policy_group') return nsxMembers(estate, key, name);
  return [];
}

function awsMembers(estate: Estate, key: string, name: string): Host[] {
  const subnets = unique(estate.aws.interfacesWithGroup(key).map((iface) => estate.aws.interfaceFacts(iface).subnet));
  const placements = subnets.length > 0 ? subnets : [undefined];
  return placements.map((subnet) => ({
    name: placements.length > 1 && subnet ? `${name} (member in ${estate.naming.addressOf(subnet)})` : name,
    ranges: subnet ? estate.aws.cidrsOfSubnet(subnet) : [],
    symbolicAddresses: [],
    awsSubnet: subnet,
    aws: { securityGroups: [key], securityGroupsKnown: true },
  }));
}

function azureMembers(estate: Estate, key: string, name: string): Host[] {
  const members = estate.azure.nicsWithAsg(key).map((nic) => estate.azure.nicFacts(nic));
  const placements = new Map(members.map((facts) => [`${facts.subnet}|${facts.nicNsgs.join(',')}`, facts]));
  const fallback = { subnet: undefined, nicNsgs: estate.azure.nsgsReferencingAsg(key) };
  const chosen = placements.size > 0 ? [...placements.values()] : [fallback];
  return chosen.map((placement) => ({
    name: chosen.length > 1 && placement.subnet ? `${name} (member in ${estate.naming.addressOf(placement.subnet)})` : name,
    ranges: estate.azure.cidrsOfSubnet(placement.subnet),
    symbolicAddresses: [],
    azure: {
      asgs: [key],
      nicNsgs: placement.nicNsgs,
      subnet: placement.subnet,
      subnetNsgs: estate.azure.nsgsOfSubnet(placement.subnet),
    },
  }));
}

function nsxMembers(estate: Estate, key: string, name: string): Host[] {
  const group = estate.nsx.group(key);
  return [{
    name,
    ranges: group ? addressesImpliedBy(group) : [],
    symbolicAddresses: [],
    nsx: { tags: group ? tagsImpliedBy(group) : [], groups: [key] },
  }];
}

function vsphereAddresses(estate: Estate, vm: TerraformResource): Value[] {
  const customized = blocksAt(vm.body, 'clone')
    .flatMap((clone) => blocksAt(clone, 'customize'))
    .flatMap((customize) => blocksAt(customize, 'network_interface'))
    .flatMap((nic) => estate.resolver.values(vm.stack, nic.ipv4_address));
  return customized.length > 0 ? customized : [{ kind: 'reference', key: vm.key, attribute: 'default_ip_address' }];
}

function withAddresses(host: Omit<Host, 'ranges' | 'symbolicAddresses'>, addresses: readonly Value[], enclosing: readonly string[]): Host {
  const facts = addressFacts(addresses);
  return { ...host, ranges: unique([...facts.ranges, ...enclosing]), symbolicAddresses: facts.symbolicAddresses };
}
