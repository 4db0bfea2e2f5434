import { Endpoint, resolveEndpoint } from './estate/endpoints';
import { Estate } from './estate/estate';
import { blocksAt } from './model/terraform-model';
import { isSymbolicText, textOf } from './model/value';
import { parseCidr } from './net/cidr';

/** Rule fields that name a peer outside the model. */
const SECURITY_GROUP_PEER_FIELDS = ['cidr_ipv4', 'cidr_ipv6', 'prefix_list_id'];
const NSG_PEER_FIELDS = ['source_address_prefix', 'source_address_prefixes', 'destination_address_prefix', 'destination_address_prefixes'];

/** Tags and wildcards that stand for the estate itself rather than for an outside peer. */
const IMPLICIT_TAGS = new Set(['virtualnetwork', 'azureloadbalancer', '*', 'any']);

/**
 * The outside peers the security group and NSG rules name (CIDRs, prefix lists, service tags), as
 * endpoints, sorted. Addresses of the inventory's own workloads are left out: they are segment members.
 */
export function externalPeers(estate: Estate): Endpoint[] {
  const ownAddresses = new Set([...estate.inventory.workloads.values()].flatMap((workload) => workload.addresses.map(textOf)));
  const isOwn = (text: string) => ownAddresses.has(text) || ownAddresses.has(text.replace(/\/(32|128)$/, ''));
  return [...new Set(peerTexts(estate))]
    .filter((text) => !isOwn(text) && !IMPLICIT_TAGS.has(text.toLowerCase()) && !isSymbolicText(text))
    .sort()
    .map((text) => resolveEndpoint(estate, parseCidr(text) || text.startsWith('pl-') ? text : `tag:${text}`));
}

function peerTexts(estate: Estate): string[] {
  const texts = (stack: string, body: Record<string, unknown>, fields: readonly string[]) =>
    fields.flatMap((field) => estate.resolver.values(stack, body[field]).map(textOf));
  const securityGroupRules = ['aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule']
    .flatMap((type) => estate.model.resourcesOfType(type))
    .flatMap((rule) => texts(rule.stack, rule.body, SECURITY_GROUP_PEER_FIELDS));
  const nsgRules = [
    ...estate.model.resourcesOfType('azurerm_network_security_rule').map((rule) => ({ stack: rule.stack, body: rule.body })),
    ...estate.model.resourcesOfType('azurerm_network_security_group').flatMap((nsg) => blocksAt(nsg.body, 'security_rule').map((body) => ({ stack: nsg.stack, body }))),
  ].flatMap((rule) => texts(rule.stack, rule.body, NSG_PEER_FIELDS));
  return [...securityGroupRules, ...nsgRules];
}
