import { VerifyInputError } from '../errors';
import { Estate } from './estate';
import { Host, addressFacts } from './host';
import { hypotheticalMembers } from './hypothetical-members';
import { GROUP_TYPES, hostOfResource, isEndpointResource } from './resource-hosts';
import { InventorySegment, InventoryWorkload } from '../model/inventory';
import { TerraformResource } from '../model/terraform-model';
import { Cidr, parseCidr } from '../net/cidr';

/** What kind of thing an endpoint is. */
export type EndpointKind = 'workload' | 'segment' | 'resource' | 'group' | 'address' | 'named-peer';

/** An endpoint outside the model, as the library's `Peer` describes it (duck-typed). */
export interface PeerLike {
  /** `ipv4`, `ipv6`, `aws-prefix-list` or `azure-service-tag`. */
  readonly kind: string;
  /** The CIDR, prefix list id or service tag. */
  readonly value: string;
}

/**
 * How a flow end is given: a workload or segment construct path, a Terraform address
 * (`aws_instance.web`, `stack:aws_instance.web`), a resource's construct path, a CIDR or IP, a prefix
 * list id (`pl-...`), a service tag (`tag:Storage`), or a peer object.
 */
export type EndpointInput = string | PeerLike;

/** A resolved flow end: the hosts it stands for (a segment stands for one hypothetical member per platform and placement, plus its address-only members). */
export interface Endpoint {
  /** The name used in verdicts. */
  readonly name: string;
  /** What it is. */
  readonly kind: EndpointKind;
  /** The concrete or hypothetical hosts; a flow must work for each of them. */
  readonly hosts: readonly Host[];
}

const PEER_KINDS = new Set(['ipv4', 'ipv6', 'aws-prefix-list', 'azure-service-tag']);

/** Whether a value looks like the library's `Peer`. */
export function isPeerLike(value: unknown): value is PeerLike {
  const candidate = value as PeerLike;
  return typeof value === 'object' && value !== null && PEER_KINDS.has(candidate.kind) && typeof candidate.value === 'string';
}

/** Resolves a flow end against the estate; throws {@link VerifyInputError} when nothing matches. */
export function resolveEndpoint(estate: Estate, input: EndpointInput): Endpoint {
  if (typeof input !== 'string') return peerEndpoint(estate, input);
  const text = input.trim();
  const endpoint = inventoryEndpoint(estate, text) ?? literalEndpoint(estate, text) ?? resourceEndpoint(estate, text);
  if (!endpoint) {
    throw new VerifyInputError(`unknown endpoint "${input}": not a workload, segment, Terraform address, construct path, CIDR or IP of the loaded stacks`);
  }
  if (endpoint.hosts.length === 0) throw new VerifyInputError(`endpoint "${input}" has no interface, group or address in the Terraform JSON`);
  return endpoint;
}

function peerEndpoint(estate: Estate, peer: PeerLike): Endpoint {
  if (peer.kind === 'aws-prefix-list') return namedPeer(peer.value, 'aws-prefix-list');
  if (peer.kind === 'azure-service-tag') return namedPeer(peer.value, 'azure-service-tag');
  const endpoint = literalEndpoint(estate, peer.value);
  if (!endpoint) throw new VerifyInputError(`peer ${peer.kind} "${peer.value}" is not a valid CIDR`);
  return endpoint;
}

function inventoryEndpoint(estate: Estate, text: string): Endpoint | undefined {
  const workload = estate.inventory.workloads.get(text);
  if (workload) return workloadEndpoint(estate, workload);
  const segment = estate.inventory.segments.get(text);
  return segment ? segmentEndpoint(estate, segment) : undefined;
}

function workloadEndpoint(estate: Estate, workload: InventoryWorkload): Endpoint {
  const bound = workload.bindingKey ? estate.model.resource(workload.bindingKey) : undefined;
  if (workload.bindingKey && !bound) {
    throw new VerifyInputError(`workload "${workload.path}" is bound to ${workload.bindingKey}, which is not in the Terraform JSON`);
  }
  const host = bound ? hostOfResource(estate, bound, workload.path, workload.addresses) : addressOnlyHost(workload);
  return { name: workload.path, kind: 'workload', hosts: host ? [host] : [] };
}

function addressOnlyHost(workload: InventoryWorkload): Host {
  const facts = addressFacts(workload.addresses);
  return { name: workload.path, ranges: facts.ranges, symbolicAddresses: facts.symbolicAddresses };
}

function segmentEndpoint(estate: Estate, segment: InventorySegment): Endpoint {
  const managed = hypotheticalMembers(estate, segment.groupKeys, segment.path);
  const addressOnly = [...estate.inventory.workloads.values()]
    .filter((workload) => !workload.bindingKey && workload.segments.includes(segment.path))
    .map(addressOnlyHost);
  return { name: segment.path, kind: 'segment', hosts: [...managed, ...addressOnly] };
}

function literalEndpoint(estate: Estate, text: string): Endpoint | undefined {
  const cidr = parseCidr(text);
  if (cidr) {
    const nic = azureNicWithAddress(estate, text, cidr);
    if (nic) return { name: text, kind: 'address', hosts: [nic] };
    const subnet = estate.aws.subnetContaining(cidr);
    return { name: text, kind: 'address', hosts: [{ name: text, ranges: [text], symbolicAddresses: [], awsSubnet: subnet }] };
  }
  if (/^pl-[0-9a-z]+$/i.test(text)) return namedPeer(text, 'aws-prefix-list');
  const tag = /^(?:tag|service-tag):(.+)$/i.exec(text);
  return tag ? namedPeer(tag[1], 'azure-service-tag') : undefined;
}

/**
 * The Azure NIC a single literal address belongs to (a static `private_ip_address` of the NIC, or an
 * address of the workload bound to it), known by that one address: traffic from or to it is of the
 * address's family, so the IPv6 address of a dual-stack NIC is judged as IPv6 traffic, which its
 * ASGs (IPv4 ip-configurations only) never match. Undefined unless exactly one NIC has the address.
 */
function azureNicWithAddress(estate: Estate, text: string, cidr: Cidr): Host | undefined {
  if (cidr.prefix !== (cidr.family === 'ipv4' ? 32 : 128)) return undefined;
  const sameAddress = (value: string) => {
    const other = parseCidr(value);
    return other !== undefined && other.family === cidr.family && other.prefix === cidr.prefix
      && other.address.toNormalizedString() === cidr.address.toNormalizedString();
  };
  const bound = [...estate.inventory.workloads.values()];
  const nics = estate.model.resourcesOfType('azurerm_network_interface').filter((nic) => {
    const addresses = [...estate.azure.nicFacts(nic).addresses, ...bound.filter((w) => w.bindingKey === nic.key).flatMap((w) => w.addresses)];
    return addressFacts(addresses).ranges.some(sameAddress);
  });
  if (nics.length !== 1) return undefined;
  const host = hostOfResource(estate, nics[0], text);
  return host && { ...host, name: text, ranges: [text], symbolicAddresses: [] };
}

function namedPeer(value: string, kind: 'aws-prefix-list' | 'azure-service-tag'): Endpoint {
  return { name: value, kind: 'named-peer', hosts: [{ name: value, ranges: [], symbolicAddresses: [], namedPeer: { kind, value } }] };
}

function resourceEndpoint(estate: Estate, text: string): Endpoint | undefined {
  const resources = findResources(estate, text);
  if (resources.length === 0) return undefined;
  if (resources.every((resource) => GROUP_TYPES.has(resource.type))) {
    const name = resources.length === 1 ? estate.naming.nameOf(resources[0].key) : text;
    return { name, kind: 'group', hosts: hypotheticalMembers(estate, resources.map((resource) => resource.key), name) };
  }
  if (resources.length > 1) {
    throw new VerifyInputError(`"${text}" contains several endpoints (${resources.map((r) => estate.naming.addressOf(r.key)).join(', ')}); name one of them`);
  }
  const resource = resources[0];
  const name = estate.naming.nameOf(resource.key);
  const host = hostOfResource(estate, resource, name);
  if (!host) throw new VerifyInputError(`"${text}" is a ${resource.type}, which is neither an interface, a VM nor a group`);
  return { name, kind: host.namedPeer ? 'named-peer' : 'resource', hosts: [host] };
}

/**
 * The resources a text names: a key or address (`stack:type.name` when several stacks have it), a
 * resource's construct path, or else every endpoint resource below a construct path (the groups a
 * Segment construct rendered, the instance a wrapper construct holds).
 */
function findResources(estate: Estate, text: string): TerraformResource[] {
  const model = estate.model;
  const byKey = model.resource(text) ?? model.resource(text.replace(':', '/'));
  if (byKey) return [byKey];
  const byAddress = model.resources.filter((resource) => resource.address === text);
  if (byAddress.length > 1) {
    throw new VerifyInputError(`"${text}" exists in several stacks (${byAddress.map((r) => r.stack).join(', ')}); write it as <stack>:${text}`);
  }
  if (byAddress.length === 1) return byAddress;
  const byPath = model.resources.find((resource) => resource.constructPath === text);
  if (byPath) return [byPath];
  return model.resources.filter((resource) => resource.constructPath?.startsWith(`${text}/`) && isEndpointResource(resource));
}
