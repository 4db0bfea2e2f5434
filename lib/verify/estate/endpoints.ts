import { VerifyInputError } from '../errors';
import type { Estate } from './estate';
import { Host, NamedPeer, addressFacts } from './host';
import { hypotheticalMembers } from './hypothetical-members';
import { hostOfResource, isEndpointResource, isGroupResource } from './resource-hosts';
import { InventorySegment, InventoryWorkload } from '../model/inventory';
import { TerraformResource } from '../model/terraform-model';
import { appendTo } from '../multimap';
import { parseCidr } from '../net/cidr';
import { PLATFORMS } from '../platforms/registry';

/** What kind of thing an endpoint is. */
export type EndpointKind = 'workload' | 'segment' | 'resource' | 'group' | 'address' | 'named-peer';

/** An endpoint outside the model, as the library's `Peer` describes it (duck-typed). */
export interface PeerLike {
  /** `ipv4`, `ipv6`, or a named peer kind a platform declares (`aws-prefix-list`, `azure-service-tag`). */
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

const PEER_KINDS = new Set(['ipv4', 'ipv6', ...PLATFORMS.namedPeers.map((syntax) => syntax.kind)]);

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
  if (PLATFORMS.namedPeers.some((syntax) => syntax.kind === peer.kind)) return namedPeer(estate, { kind: peer.kind, value: peer.value });
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
  const host = bound ? hostOfResource(estate, bound, workload.path, workload.addresses) : addressOnlyHost(estate, workload);
  return { name: workload.path, kind: 'workload', hosts: host ? [host] : [] };
}

/** A host known only by its addresses, placed where every one of them lies (a subnet whose network ACL filters its traffic). */
function addressOnlyHost(estate: Estate, workload: InventoryWorkload): Host {
  const facts = addressFacts(workload.addresses);
  const placed = facts.symbolicAddresses.length === 0 ? placementOf(estate, facts.ranges) : {};
  return { name: workload.path, ranges: facts.ranges, symbolicAddresses: facts.symbolicAddresses, ...placed };
}

/**
 * What each platform knows of literal addresses (the subnet they lie in), for the platforms where
 * every address gives the same answer; none when no platform places them, or the addresses are
 * unknown.
 */
function placementOf(estate: Estate, ranges: readonly string[]): { platforms?: Record<string, unknown> } {
  const cidrs = ranges.map(parseCidr);
  if (cidrs.length === 0 || cidrs.some((cidr) => cidr === undefined)) return {};
  const platforms: Record<string, unknown> = {};
  for (const platform of PLATFORMS.all) {
    if (!platform.addressFacts) continue;
    const answers = cidrs.map((cidr) => platform.addressFacts!(estate, cidr!));
    const same = answers.every((facts) => JSON.stringify(facts) === JSON.stringify(answers[0]));
    if (answers[0] !== undefined && same) platforms[platform.name] = answers[0];
  }
  return Object.keys(platforms).length > 0 ? { platforms } : {};
}

/** A segment of the inventory as an endpoint, with no hosts when it has no members on any platform; undefined when the inventory has no such segment. */
export function inventorySegmentEndpoint(estate: Estate, path: string): Endpoint | undefined {
  const segment = estate.inventory.segments.get(path);
  return segment ? segmentEndpoint(estate, segment) : undefined;
}

function segmentEndpoint(estate: Estate, segment: InventorySegment): Endpoint {
  const managed = hypotheticalMembers(estate, segment.groupKeys, segment.path);
  const addressOnly = (addressOnlyMembers(estate).get(segment.path) ?? []).map((workload) => addressOnlyHost(estate, workload));
  return { name: segment.path, kind: 'segment', hosts: [...managed, ...addressOnly] };
}

const addressOnlyBySegment = new WeakMap<Estate, Map<string, InventoryWorkload[]>>();

/** The workloads without a binding (hosts known by their addresses) by the segments they are in, in inventory order; indexed once per estate. */
function addressOnlyMembers(estate: Estate): Map<string, InventoryWorkload[]> {
  let bySegment = addressOnlyBySegment.get(estate);
  if (!bySegment) {
    bySegment = new Map();
    for (const workload of estate.inventory.workloads.values()) {
      if (workload.bindingKey) continue;
      for (const path of new Set(workload.segments)) appendTo(bySegment, path, workload);
    }
    addressOnlyBySegment.set(estate, bySegment);
  }
  return bySegment;
}

function literalEndpoint(estate: Estate, text: string): Endpoint | undefined {
  const cidr = parseCidr(text);
  if (cidr) {
    for (const platform of PLATFORMS.all) {
      const host = platform.hostWithAddress?.(estate, text, cidr);
      if (host) return { name: text, kind: 'address', hosts: [host] };
    }
    return { name: text, kind: 'address', hosts: [{ name: text, ranges: [text], symbolicAddresses: [], ...placementOf(estate, [text]) }] };
  }
  for (const syntax of PLATFORMS.namedPeers) {
    const peer = syntax.parse(text);
    if (peer) return namedPeer(estate, peer);
  }
  return undefined;
}

function namedPeer(estate: Estate, peer: NamedPeer): Endpoint {
  const syntax = PLATFORMS.namedPeers.find((s) => s.kind === peer.kind);
  const members = syntax?.knownMembers?.(estate, peer) ?? [];
  if (members.length > 0) return { name: peer.value, kind: 'group', hosts: members };
  const host = syntax?.hostOf?.(estate, peer);
  return { name: peer.value, kind: 'named-peer', hosts: [host ?? { name: peer.value, ranges: [], symbolicAddresses: [], namedPeer: peer }] };
}

function resourceEndpoint(estate: Estate, text: string): Endpoint | undefined {
  const resources = findResources(estate, text);
  if (resources.length === 0) return undefined;
  if (resources.every(isGroupResource)) {
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
