import { Endpoint } from './estate/endpoints';
import { Estate } from './estate/estate';
import { Host, isHostAddress, unique } from './estate/host';
import { hostOfResource } from './estate/resource-hosts';
import { InventoryWorkload } from './model/inventory';
import { cidrContains, parseCidr } from './net/cidr';
import { PLATFORMS } from './platforms/registry';

const platformsByEndpoint = new WeakMap<Endpoint, Set<string>>();

/** The platforms whose enforcement objects (groups, tags) an endpoint's hosts carry, found once per endpoint (the matrix asks for every cell). */
function platformsOf(endpoint: Endpoint): Set<string> {
  let platforms = platformsByEndpoint.get(endpoint);
  if (!platforms) {
    platforms = new Set<string>();
    for (const host of endpoint.hosts) {
      for (const platform of PLATFORMS.all) if (platform.namesByIdentity(host)) platforms.add(platform.name);
    }
    platformsByEndpoint.set(endpoint, platforms);
  }
  return platforms;
}

/**
 * The two ends of a question as the evaluator should see them: a segment whose peer lies (partly)
 * on a platform the segment is not on is seen with its members' addresses (see
 * {@link withMemberAddresses}), since the peer's platform can only name it by address. Between
 * segments of the same platforms the hypothetical members stay as they are: there a rule that names
 * a member's address covers that member, not the segment.
 */
export function crossPlatformEnds(estate: Estate, from: Endpoint, to: Endpoint): [Endpoint, Endpoint] {
  const fromPlatforms = platformsOf(from);
  const toPlatforms = platformsOf(to);
  const reaches = (a: Set<string>, b: Set<string>) => {
    for (const platform of b) if (!a.has(platform)) return true;
    return false;
  };
  return [
    reaches(fromPlatforms, toPlatforms) ? withMemberAddresses(estate, from) : from,
    reaches(toPlatforms, fromPlatforms) ? withMemberAddresses(estate, to) : to,
  ];
}

/**
 * A segment endpoint whose hypothetical members also carry the addresses of the segment's real
 * members: one host per distinct member address, each with all of the segment's groups and
 * placement. Rules written with member addresses (a cross-platform flow: an Azure NSG rule naming
 * the AWS members' IPs, an AWS rule naming the Azure members' IPs) then match the segment as they
 * match each member, so a segment-level question answers what every member gets. A placement
 * that has a member without a known address, or no member yet, keeps its address-less host.
 * Other endpoints are returned as they are.
 */
export function withMemberAddresses(estate: Estate, endpoint: Endpoint): Endpoint {
  if (endpoint.kind !== 'segment') return endpoint;
  const cached = expanded.get(estate)?.get(endpoint);
  if (cached) return cached;
  const result = expand(estate, endpoint);
  if (!expanded.has(estate)) expanded.set(estate, new WeakMap());
  expanded.get(estate)!.set(endpoint, result);
  return result;
}

const expanded = new WeakMap<Estate, WeakMap<Endpoint, Endpoint>>();

function expand(estate: Estate, endpoint: Endpoint): Endpoint {
  const segment = estate.inventory.segments.get(endpoint.name);
  if (!segment) return endpoint;
  const members = memberHosts(estate, endpoint.name, segment.groupKeys);
  if (members.every((member) => member.ownRanges.length === 0 && member.symbolic.length === 0)) return endpoint;
  const hosts = endpoint.hosts.flatMap((host) => (isManaged(host) ? variants(host, members) : [host]));
  return { ...endpoint, hosts };
}

/** The construct paths of the bound workloads that are members of a segment (named in the inventory, or carrying one of its groups). */
export function segmentMemberPaths(estate: Estate, segmentPath: string): string[] {
  const segment = estate.inventory.segments.get(segmentPath);
  return segment ? memberHosts(estate, segmentPath, segment.groupKeys).map((member) => member.path) : [];
}

interface MemberAddresses {
  readonly path: string;
  readonly ownRanges: readonly string[];
  readonly symbolic: readonly string[];
}

/** The bound workloads of the segment (named in the inventory, or carrying one of its groups) with their addresses. */
function memberHosts(estate: Estate, segmentPath: string, groupKeys: readonly string[]): MemberAddresses[] {
  const members: MemberAddresses[] = [];
  for (const { workload, host } of boundHostsOf(estate)) {
    if (!(workload.segments.includes(segmentPath) || carriesGroup(estate, host, groupKeys))) continue;
    members.push({ path: workload.path, ownRanges: unique(host.ranges.filter(isHostAddress).map(normalHost)), symbolic: host.symbolicAddresses });
  }
  return members;
}

/** A bound workload of the inventory and the host its resource makes. */
interface BoundHost {
  readonly workload: InventoryWorkload;
  readonly host: Host;
}

const boundHosts = new WeakMap<Estate, readonly BoundHost[]>();

/**
 * The inventory's bound workloads that have a host, sorted by path, with their hosts: found once
 * per estate (every segment asks; finding them per segment cost segments times workloads).
 */
function boundHostsOf(estate: Estate): readonly BoundHost[] {
  let found = boundHosts.get(estate);
  if (!found) {
    const list: BoundHost[] = [];
    for (const workload of [...estate.inventory.workloads.values()].sort((a, b) => a.path.localeCompare(b.path))) {
      if (!workload.bindingKey) continue;
      const bound = estate.model.resource(workload.bindingKey);
      const host = bound ? hostOfResource(estate, bound, workload.path, workload.addresses) : undefined;
      if (host) list.push({ workload, host });
    }
    found = list;
    boundHosts.set(estate, found);
  }
  return found;
}

function variants(host: Host, members: readonly MemberAddresses[]): Host[] {
  const placed = members.filter((member) => fits(host, member));
  const addressed = placed.filter((member) => member.ownRanges.length > 0 || member.symbolic.length > 0);
  const seen = new Set<string>();
  const result: Host[] = [];
  if (addressed.length < placed.length || placed.length === 0) result.push(host);
  for (const member of addressed) {
    const key = [...member.ownRanges, '|', ...member.symbolic].join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    result.push({
      ...host,
      name: `${host.name} (member ${member.path})`,
      ranges: unique([...member.ownRanges, ...host.ranges]),
      symbolicAddresses: unique([...member.symbolic, ...host.symbolicAddresses]),
    });
  }
  return result;
}

/** A member belongs to a placement when one of its addresses lies inside the placement's ranges (or the placement has none). */
function fits(host: Host, member: MemberAddresses): boolean {
  if (host.ranges.length === 0 || member.ownRanges.length === 0) return true;
  return member.ownRanges.some((range) => host.ranges.some((outer) => encloses(outer, range)));
}

function carriesGroup(estate: Estate, host: Host, groupKeys: readonly string[]): boolean {
  return groupKeys.some((key) => PLATFORMS.all.some((platform) => platform.carriesGroup(estate, host, key)));
}

function isManaged(host: Host): boolean {
  return PLATFORMS.all.some((platform) => platform.namesByIdentity(host));
}

function normalHost(text: string): string {
  const cidr = parseCidr(text)!;
  return `${cidr.address.toString()}/${cidr.prefix}`;
}

function encloses(outer: string, inner: string): boolean {
  const a = parseCidr(outer);
  const b = parseCidr(inner);
  return a !== undefined && b !== undefined && cidrContains(a, b);
}
