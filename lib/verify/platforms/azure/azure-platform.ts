import { AZURE_CHANGE_RULES } from './azure-change-rules';
import { AZURE_MEMBER_TYPES, AZURE_PRIVATE_ENDPOINT, AZURE_VM_TYPES, azureFacts } from './azure-facts';
import { AZURE, AZURE_APPLICATION_SECURITY_GROUP, AZURE_SERVICE_TAG, AzureInterface, azureOf } from './azure-host';
import { NsgLayer } from './nsg/nsg-layer';
import type { Estate } from '../../estate/estate';
import { Host, hostWithAddresses, unique } from '../../estate/host';
import { placedMembers } from '../../estate/placed-members';
import { resourceWithAddress } from '../../estate/resource-with-address';
import { AddressAttribute, firstOf, present } from '../../model/primary-address';
import { JsonObject, TerraformResource, blocksAt } from '../../model/terraform-model';
import { Value, textOf } from '../../model/value';
import { Cidr } from '../../net/cidr';
import { EvaluatorPlatform, Placement } from '../evaluator-platform';

const NIC_TYPE = 'azurerm_network_interface';
const ASG_TYPE = 'azurerm_application_security_group';
const NSG_TYPE = 'azurerm_network_security_group';
const NSG_RULE_TYPE = 'azurerm_network_security_rule';

/** Rule fields that name a peer outside the model. */
const NSG_PEER_FIELDS = ['source_address_prefix', 'source_address_prefixes', 'destination_address_prefix', 'destination_address_prefixes'];

/** Tags and wildcards that stand for the estate itself rather than for an outside peer. */
const IMPLICIT_TAGS = new Set(['virtualnetwork', 'azureloadbalancer', '*', 'any']);

/** Azure: network security groups on NICs and subnets, application security groups as groups. */
export const AZURE_PLATFORM: EvaluatorPlatform = {
  changeRules: AZURE_CHANGE_RULES,
  name: AZURE,
  layers: (estate, settings) => [new NsgLayer(estate, settings.vnetAddressSpaces)],
  evaluatedTypes: [
    ASG_TYPE, 'azurerm_linux_virtual_machine', NIC_TYPE,
    'azurerm_network_interface_application_security_group_association', 'azurerm_network_interface_security_group_association',
    NSG_TYPE, NSG_RULE_TYPE, 'azurerm_subnet', 'azurerm_subnet_network_security_group_association',
    'azurerm_virtual_machine', 'azurerm_virtual_network', 'azurerm_windows_virtual_machine',
    ...AZURE_MEMBER_TYPES.filter((type) => type !== NIC_TYPE), 'azurerm_private_endpoint_application_security_group_association',
  ],
  scopedTypes: [
    ASG_TYPE, 'azurerm_linux_virtual_machine', NIC_TYPE,
    'azurerm_network_interface_application_security_group_association', NSG_RULE_TYPE,
    'azurerm_virtual_machine', 'azurerm_windows_virtual_machine',
    ...AZURE_MEMBER_TYPES.filter((type) => type !== NIC_TYPE), 'azurerm_private_endpoint_application_security_group_association',
  ],
  addressRuleTypes: [NSG_RULE_TYPE, NSG_TYPE],
  groupTypes: [ASG_TYPE],
  endpointTypes: [...AZURE_VM_TYPES, ...AZURE_MEMBER_TYPES],
  primaryAddresses: {
    'azurerm_network_interface.private_ip_address': (body) => nicAddress(body, true),
    'azurerm_network_interface.private_ip_addresses': (body) => nicAddress(body, false),
  },
  namedPeers: [{
    kind: AZURE_SERVICE_TAG,
    parse: (text) => {
      const tag = /^(?:tag|service-tag):(.+)$/i.exec(text);
      return tag ? { kind: AZURE_SERVICE_TAG, value: tag[1] } : undefined;
    },
    // a name in an NSG rule that is not an address is a service tag
    endpointOfRuleText: (text) => `tag:${text}`,
  }, {
    kind: AZURE_APPLICATION_SECURITY_GROUP,
    // `asg:<id>`: an ASG owned elsewhere, named by id in rules
    parse: (text) => {
      const asg = /^asg:(.+)$/i.exec(text);
      return asg ? { kind: AZURE_APPLICATION_SECURITY_GROUP, value: asg[1] } : undefined;
    },
    endpointOfRuleText: () => undefined,
    knownMembers: (estate, peer) => externalAsgMembers(estate, peer.value),
  }],
  hostOf: (estate, resource, name, extraAddresses) => nicHost(estate, resource, name, extraAddresses),
  placements: (estate, asgs) => asgPlacements(estate, asgs),
  hostWithAddress: (estate, text, cidr) => nicWithAddress(estate, text, cidr),
  // an address in a subnet with an NSG (and no NIC of the JSON): behind that subnet's NSG
  addressFacts: (estate, cidr: Cidr) => {
    const facts = azureFacts(estate);
    const subnet = facts.subnetContaining(cidr);
    const subnetNsgs = facts.nsgsOfSubnet(subnet);
    return subnetNsgs.length === 0 ? undefined : { asgs: [], nicNsgs: [], subnet, subnetNsgs } satisfies AzureInterface;
  },
  namesByIdentity: (host) => {
    const azure = azureOf(host);
    return azure !== undefined && (azure.nicKey !== undefined || azure.asgs.length > 0);
  },
  carriesGroup: (_estate, host, groupKey) => azureOf(host)?.asgs.includes(groupKey) === true,
  signature: (host) => {
    const azure = azureOf(host);
    return azure ? [azure.asgs, azure.nicNsgs, azure.subnet ?? null, azure.subnetNsgs] : null;
  },
  keysOf: (host) => {
    const azure = azureOf(host);
    if (!azure) return [];
    return [...azure.asgs, ...azure.nicNsgs, ...azure.subnetNsgs, ...(azure.nicKey ? [azure.nicKey] : []), ...(azure.subnet ? [azure.subnet] : [])];
  },
  ruleAddressTexts: (estate) => [
    ...estate.model.resourcesOfType(NSG_RULE_TYPE).map((rule) => ({ stack: rule.stack, body: rule.body })),
    ...estate.model.resourcesOfType(NSG_TYPE).flatMap((nsg) => blocksAt(nsg.body, 'security_rule').map((body) => ({ stack: nsg.stack, body }))),
  ]
    .flatMap((rule) => NSG_PEER_FIELDS.flatMap((field) => estate.resolver.values(rule.stack, rule.body[field]).map(textOf)))
    .filter((text) => !IMPLICIT_TAGS.has(text.toLowerCase())),
  namesGroupsOnBothSides: (_estate, resource) => namesAsgsOnBothSides(resource),
};

/** The host of a NIC, or of a VM by its first NIC. */
function nicHost(estate: Estate, resource: TerraformResource, name: string, extraAddresses: readonly Value[]): Host | undefined {
  const facts = azureFacts(estate);
  if (AZURE_VM_TYPES.has(resource.type)) {
    const nic = facts.nicOfVm(resource);
    return nic ? nicHost(estate, nic, name, extraAddresses) : undefined;
  }
  if (!AZURE_MEMBER_TYPES.includes(resource.type)) return undefined;
  const nic = facts.nicFacts(resource);
  const azure: AzureInterface = {
    nicKey: resource.key,
    asgs: nic.asgs,
    nicNsgs: nic.nicNsgs,
    subnet: nic.subnet,
    subnetNsgs: nic.subnetFiltered ? facts.nsgsOfSubnet(nic.subnet) : [],
  };
  return hostWithAddresses({ name, platforms: { [AZURE]: azure } }, [...nic.addresses, ...extraAddresses], facts.cidrsOfSubnet(nic.subnet));
}

/**
 * The members of an ASG owned elsewhere, when resources of the JSON join it by its id (a scale set
 * listing it, a NIC association naming it): hypothetical members placed where they are. Without
 * such members the ASG stays a named peer, matched only by rules that name its id.
 */
function externalAsgMembers(estate: Estate, asgId: string): Host[] {
  if (azureFacts(estate).nicsWithAsg(asgId).length === 0) return [];
  return placedMembers(asgId, AZURE, asgPlacements(estate, [asgId]));
}

/**
 * Where a hypothetical member of application security groups sits: one placement per distinct
 * subnet and NIC NSGs of the groups' real members; without members, at the NSGs whose rules name the groups.
 */
function asgPlacements(estate: Estate, asgs: readonly string[]): Placement[] {
  const facts = azureFacts(estate);
  const members = asgs.flatMap((asg) => facts.nicsWithAsg(asg)).map((nic) => facts.nicFacts(nic));
  const full = members.filter((nic) => asgs.every((asg) => nic.asgs.includes(asg)));
  const shared = full.length === 0 ? [] : full
    .map((nic) => nic.asgs)
    .reduce((common, next) => common.filter((asg) => next.includes(asg)));
  const distinct = new Map(members.map((nic) => [`${nic.subnet}|${nic.nicNsgs.join(',')}|${nic.subnetFiltered}`, { subnet: nic.subnet, nicNsgs: nic.nicNsgs, subnetFiltered: nic.subnetFiltered }]));
  const fallback = () => ({ subnet: undefined, nicNsgs: unique(asgs.flatMap((asg) => facts.nsgsReferencingAsg(asg))), subnetFiltered: true });
  return (distinct.size > 0 ? [...distinct.values()] : [fallback()]).map((placement): Placement => ({
    label: placement.subnet ? estate.naming.addressOf(placement.subnet) : undefined,
    ranges: facts.cidrsOfSubnet(placement.subnet),
    facts: {
      asgs: unique([...asgs, ...shared]),
      nicNsgs: placement.nicNsgs,
      subnet: placement.subnet,
      subnetNsgs: placement.subnetFiltered ? facts.nsgsOfSubnet(placement.subnet) : [],
    } satisfies AzureInterface,
  }));
}

/**
 * The Azure NIC a single literal address belongs to (a static `private_ip_address` of the NIC, or an
 * address of the workload bound to it), known by that one address: traffic from or to it is of the
 * address's family, so the IPv6 address of a dual-stack NIC is judged as IPv6 traffic, which its
 * ASGs (IPv4 ip-configurations only) never match. Undefined unless exactly one NIC has the address.
 */
function nicWithAddress(estate: Estate, text: string, cidr: Cidr): Host | undefined {
  // a private endpoint's static ip_configuration address names it as a NIC's names the NIC
  const nics = () => [NIC_TYPE, AZURE_PRIVATE_ENDPOINT].flatMap((type) => estate.model.resourcesOfType(type));
  const nic = resourceWithAddress(estate, AZURE, nics, (resource) => azureFacts(estate).nicFacts(resource).addresses, cidr);
  const host = nic && nicHost(estate, nic, text, []);
  return host && { ...host, name: text, ranges: [text], symbolicAddresses: [] };
}

/** An NSG rule between two application security groups (no address on either side). */
function namesAsgsOnBothSides(resource: TerraformResource): boolean {
  if (resource.type !== NSG_RULE_TYPE) return false;
  const body = resource.body;
  const has = (field: string) => {
    const value = body[field];
    return Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null;
  };
  return has('source_application_security_group_ids') && has('destination_application_security_group_ids');
}

/** A NIC's static address(es): the primary ip_configuration's first (`private_ip_address`) or all of them. */
function nicAddress(body: JsonObject, primaryOnly: boolean): AddressAttribute {
  const addresses = staticAddresses(primaryFirst(blocksAt(body, 'ip_configuration')));
  return { configured: primaryOnly ? firstOf(addresses) : addresses, canonical: 'private_ip_address' };
}

/** An Azure NIC's ip_configurations, the primary one first (the provider's `private_ip_address` is the primary's). */
function primaryFirst(configurations: JsonObject[]): JsonObject[] {
  const primary = configurations.findIndex((c) => c.primary === true || c.primary === 'true');
  if (primary <= 0) return configurations;
  return [configurations[primary], ...configurations.filter((_, i) => i !== primary)];
}

/** The configured addresses of ip_configurations; a dynamic allocation is known only at apply. */
function staticAddresses(configurations: JsonObject[]): unknown[] {
  return configurations
    .filter((c) => String(c.private_ip_address_allocation ?? 'Static').toLowerCase() === 'static')
    .flatMap((c) => present(c.private_ip_address));
}
