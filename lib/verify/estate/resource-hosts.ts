import { AWS_INTERFACE_TYPES } from './aws-facts';
import { AZURE_VM_TYPES } from './azure-facts';
import { Estate } from './estate';
import { Host, addressFacts, unique } from './host';
import { TerraformResource, blocksAt } from '../model/terraform-model';
import { Value } from '../model/value';

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
      azure: {
        nicKey: resource.key,
        asgs: facts.asgs,
        nicNsgs: facts.nicNsgs,
        subnet: facts.subnet,
        subnetNsgs: estate.azure.nsgsOfSubnet(facts.subnet),
      },
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
