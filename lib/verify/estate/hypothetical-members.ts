import { Estate } from './estate';
import { AwsInterface, AzureInterface, Host, NsxTag, NsxVm, addressFacts, unique } from './host';
import { NsxGroup, addressesImpliedBy, nsxMembership, tagsImpliedBy } from './nsx-groups';
import { parseCidr } from '../net/cidr';

/** Where a hypothetical member sits on one platform: its enforcement attachments and enclosing ranges. */
interface Placement {
  readonly label?: string;
  readonly ranges: readonly string[];
  readonly excludedRanges?: readonly string[];
  readonly awsSubnet?: string;
  readonly aws?: AwsInterface;
  readonly azure?: AzureInterface;
  readonly nsx?: NsxVm;
}

/**
 * Hypothetical members of a set of group resources (a segment's groups, or one group): one interface
 * carrying all of them at once (security groups, ASGs, NSX group tags). It is placed where the groups'
 * real members are: one member per combination of distinct AWS subnet and Azure NIC/subnet placement,
 * or unplaced when the groups have no members yet.
 */
export function hypotheticalMembers(estate: Estate, groupKeys: readonly string[], name: string): Host[] {
  const ofType = (type: string) => groupKeys.filter((key) => typeOf(estate, key) === type);
  const platforms = [
    awsPlacements(estate, ofType('aws_security_group')),
    azurePlacements(estate, ofType('azurerm_application_security_group')),
    nsxPlacements(estate, ofType('nsxt_policy_group')),
  ].filter((placements) => placements.length > 0);
  if (platforms.length === 0) return [];
  const combinations = cartesian(platforms);
  return combinations.map((combination) => merge(name, combination, combinations.length > 1));
}

/** Every way to pick one placement per platform. */
function cartesian(platforms: readonly Placement[][]): Placement[][] {
  return platforms.reduce<Placement[][]>((partial, options) => partial.flatMap((chosen) => options.map((option) => [...chosen, option])), [[]]);
}

function typeOf(estate: Estate, key: string): string | undefined {
  return estate.model.resource(key)?.type ?? key.split('/').pop()?.split('.')[0];
}

function awsPlacements(estate: Estate, groups: readonly string[]): Placement[] {
  if (groups.length === 0) return [];
  const members = unique(groups.flatMap((group) => estate.aws.interfacesWithGroup(group)));
  const subnets = unique(members.map((member) => estate.aws.interfaceFacts(member).subnet));
  // Like the real members, the hypothetical one also carries the groups they all share (another
  // segment every member is in), so it is judged as they are.
  const full = members.filter((member) => groups.every((group) => estate.aws.interfaceFacts(member).securityGroups.includes(group)));
  const shared = full.length === 0 ? [] : full
    .map((member) => estate.aws.interfaceFacts(member).securityGroups)
    .reduce((common, next) => common.filter((group) => next.includes(group)));
  return (subnets.length > 0 ? subnets : [undefined]).map((subnet) => ({
    label: subnet ? estate.naming.addressOf(subnet) : undefined,
    ranges: subnet ? estate.aws.cidrsOfSubnet(subnet) : [],
    excludedRanges: subnet ? addressesOfNonMembers(estate, subnet, groups) : [],
    awsSubnet: subnet,
    aws: { securityGroups: unique([...groups, ...shared]), securityGroupsKnown: true },
  }));
}

/**
 * The literal host addresses of the interfaces in `subnet` that do not carry every one of `groups`:
 * a member (real or hypothetical) cannot have them, so a rule naming only such a host (a network
 * ACL deny entry as narrow as a DenyFlow) does not apply to the hypothetical member.
 */
function addressesOfNonMembers(estate: Estate, subnet: string, groups: readonly string[]): string[] {
  const others = estate.aws.interfacesInSubnet(subnet)
    .filter((resource) => !groups.every((group) => estate.aws.interfaceFacts(resource).securityGroups.includes(group)));
  return unique(others.flatMap((resource) => addressFacts(estate.aws.interfaceFacts(resource).addresses).ranges)
    .filter((range) => {
      const cidr = parseCidr(range);
      return cidr !== undefined && cidr.prefix === (cidr.family === 'ipv4' ? 32 : 128);
    }));
}

function azurePlacements(estate: Estate, asgs: readonly string[]): Placement[] {
  if (asgs.length === 0) return [];
  const members = asgs.flatMap((asg) => estate.azure.nicsWithAsg(asg)).map((nic) => estate.azure.nicFacts(nic));
  const full = members.filter((facts) => asgs.every((asg) => facts.asgs.includes(asg)));
  const shared = full.length === 0 ? [] : full
    .map((facts) => facts.asgs)
    .reduce((common, next) => common.filter((asg) => next.includes(asg)));
  const distinct = new Map(members.map((facts) => [`${facts.subnet}|${facts.nicNsgs.join(',')}`, { subnet: facts.subnet, nicNsgs: facts.nicNsgs }]));
  const fallback = { subnet: undefined, nicNsgs: unique(asgs.flatMap((asg) => estate.azure.nsgsReferencingAsg(asg))) };
  return (distinct.size > 0 ? [...distinct.values()] : [fallback]).map((placement) => ({
    label: placement.subnet ? estate.naming.addressOf(placement.subnet) : undefined,
    ranges: estate.azure.cidrsOfSubnet(placement.subnet),
    azure: {
      asgs: unique([...asgs, ...shared]),
      nicNsgs: placement.nicNsgs,
      subnet: placement.subnet,
      subnetNsgs: estate.azure.nsgsOfSubnet(placement.subnet),
    },
  }));
}

function nsxPlacements(estate: Estate, groupKeys: readonly string[]): Placement[] {
  if (groupKeys.length === 0) return [];
  const groups = groupKeys.map((key) => estate.nsx.group(key)).filter((group) => group !== undefined);
  return [{
    ranges: groups.flatMap(addressesImpliedBy),
    nsx: { tags: [...groups.flatMap(tagsImpliedBy), ...tagsSharedByMembers(estate, groups)], groups: groupKeys },
  }];
}

/**
 * The tags every real member VM of the groups carries (for example the tag that puts a VM under
 * the policy's default deny), so the hypothetical member looks like the real ones. None when the
 * groups have no tagged member yet.
 */
function tagsSharedByMembers(estate: Estate, groups: readonly NsxGroup[]): NsxTag[] {
  const lookup = (key: string) => estate.nsx.group(key);
  const members = estate.nsx.taggedVms().filter((vmKey) => {
    const host: Host = { name: vmKey, ranges: [], symbolicAddresses: [], nsx: { vmKey, tags: estate.nsx.tagsOf(vmKey), groups: [] } };
    return groups.every((group) => nsxMembership(group, host, lookup) === 'full');
  });
  if (members.length === 0) return [];
  const key = (tag: NsxTag) => `${tag.scope.toLowerCase()}|${tag.tag.toLowerCase()}`;
  const [first, ...rest] = members.map((vmKey) => estate.nsx.tagsOf(vmKey));
  return first.filter((tag) => rest.every((tags) => tags.some((other) => key(other) === key(tag))));
}

function merge(name: string, placements: readonly Placement[], qualify: boolean): Host {
  const labels = placements.map((placement) => placement.label).filter((label): label is string => label !== undefined);
  return {
    name: qualify && labels.length > 0 ? `${name} (member in ${labels.join(', ')})` : name,
    ranges: unique(placements.flatMap((placement) => placement.ranges)),
    symbolicAddresses: [],
    excludedRanges: unique(placements.flatMap((placement) => placement.excludedRanges ?? [])),
    awsSubnet: placements.find((placement) => placement.awsSubnet)?.awsSubnet,
    aws: placements.find((placement) => placement.aws)?.aws,
    azure: placements.find((placement) => placement.azure)?.azure,
    nsx: placements.find((placement) => placement.nsx)?.nsx,
  };
}
