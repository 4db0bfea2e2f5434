import { AWS_BOUND_TYPES } from './aws-bound-types';
import { AWS_CHANGE_RULES } from './aws-change-rules';
import { AWS_INTERFACE_TYPES, awsFacts } from './aws-facts';
import { AWS, AWS_PREFIX_LIST, AWS_SECURITY_GROUP, AwsHost, awsOf } from './aws-host';
import { externalGroupHost } from './external-groups';
import { NetworkAclLayer } from './network-acl/acl-layer';
import { SecurityGroupLayer } from './security-group/sg-layer';
import { RULES_BY_GROUP_FIELD } from './security-group/sg-rules';
import type { Estate } from '../../estate/estate';
import { externalGroupsOf } from '../../estate/external-group-members';
import { Host, addressFacts, hostWithAddresses, isHostAddress, unique } from '../../estate/host';
import { resourceWithAddress } from '../../estate/resource-with-address';
import { firstOf, listOf, present } from '../../model/primary-address';
import { TerraformResource } from '../../model/terraform-model';
import { Value, textOf } from '../../model/value';
import { Cidr, parseCidr } from '../../net/cidr';
import { EvaluatorPlatform, Placement } from '../evaluator-platform';

const PREFIX_LIST_TYPE = 'aws_ec2_managed_prefix_list';
const SECURITY_GROUP_TYPE = 'aws_security_group';
const SECURITY_GROUP_RULE_TYPES = ['aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule'];

/** Rule fields that name a peer outside the model. */
const SECURITY_GROUP_PEER_FIELDS = ['cidr_ipv4', 'cidr_ipv6', 'prefix_list_id'];

/** Fields of a rule that name the group on its other side (the owning group is the first side). */
const PEER_GROUP_FIELDS: Readonly<Record<string, readonly string[]>> = {
  aws_vpc_security_group_ingress_rule: ['referenced_security_group_id'],
  aws_vpc_security_group_egress_rule: ['referenced_security_group_id'],
  aws_security_group_rule: ['source_security_group_id'],
};

/** AWS: security groups on interfaces and network ACLs on subnets. */
export const AWS_PLATFORM: EvaluatorPlatform = {
  changeRules: AWS_CHANGE_RULES,
  fieldsFoundBy: RULES_BY_GROUP_FIELD,
  name: AWS,
  layers: (estate, settings) => [
    new SecurityGroupLayer(estate),
    new NetworkAclLayer(estate, settings.ephemeralPorts && [settings.ephemeralPorts[0], settings.ephemeralPorts[1]]),
  ],
  evaluatedTypes: [
    PREFIX_LIST_TYPE, 'aws_instance', 'aws_network_acl', 'aws_network_acl_association', 'aws_network_acl_rule',
    'aws_network_interface', 'aws_network_interface_sg_attachment', SECURITY_GROUP_TYPE, 'aws_security_group_rule', 'aws_subnet',
    ...SECURITY_GROUP_RULE_TYPES, ...Object.keys(AWS_BOUND_TYPES),
  ],
  scopedTypes: [
    'aws_instance', 'aws_network_interface', 'aws_network_interface_sg_attachment', SECURITY_GROUP_TYPE, 'aws_security_group_rule',
    ...SECURITY_GROUP_RULE_TYPES, ...Object.keys(AWS_BOUND_TYPES),
  ],
  addressRuleTypes: [
    ...SECURITY_GROUP_RULE_TYPES, 'aws_security_group_rule', SECURITY_GROUP_TYPE, 'aws_network_acl', 'aws_network_acl_rule', PREFIX_LIST_TYPE,
  ],
  groupTypes: [SECURITY_GROUP_TYPE],
  endpointTypes: [...AWS_INTERFACE_TYPES, PREFIX_LIST_TYPE],
  primaryAddresses: {
    'aws_instance.private_ip': (body) => ({ configured: present(body.private_ip), canonical: 'private_ip' }),
    'aws_network_interface.private_ip': (body) => ({
      configured: firstOf([...present(body.private_ip), ...listOf(body.private_ips), ...listOf(body.private_ip_list)]),
      canonical: 'private_ip',
    }),
    'aws_network_interface.private_ips': (body) => {
      const list = [...listOf(body.private_ips), ...listOf(body.private_ip_list)];
      return { configured: list.length > 0 ? list : present(body.private_ip), canonical: 'private_ip' };
    },
  },
  namedPeers: [{
    kind: AWS_PREFIX_LIST,
    parse: (text) => (/^pl-[0-9a-z]+$/i.test(text) ? { kind: AWS_PREFIX_LIST, value: text } : undefined),
    endpointOfRuleText: (text) => (text.startsWith('pl-') ? text : undefined),
  }, {
    kind: AWS_SECURITY_GROUP,
    parse: (text) => (/^sg-[0-9a-z]+$/i.test(text) ? { kind: AWS_SECURITY_GROUP, value: text } : undefined),
    endpointOfRuleText: (text) => (/^sg-[0-9a-z]+$/i.test(text) ? text : undefined),
    hostOf: (estate, peer) => externalGroupHost(estate, peer.value),
  }],
  hostOf: (estate, resource, name, extraAddresses) => {
    if (resource.type === PREFIX_LIST_TYPE) {
      return { name, ranges: [], symbolicAddresses: [], namedPeer: { kind: AWS_PREFIX_LIST, value: resource.key } };
    }
    if (!AWS_INTERFACE_TYPES.has(resource.type)) return undefined;
    const facts = awsFacts(estate).interfaceFacts(resource);
    const memberOf = externalGroupsOf(estate.model, name);
    // A resource without a subnet of its own (a Lambda function, a database) is placed by the
    // subnet CIDRs its binding was given, when they all lie in one known subnet.
    const subnet = facts.subnet ?? (resource.type in AWS_BOUND_TYPES ? oneSubnetOf(estate, [...facts.addresses, ...extraAddresses]) : undefined);
    const aws: AwsHost = {
      ...(memberOf.length > 0 ? { memberOf } : {}),
      interface: {
        interfaceKey: resource.key,
        securityGroups: facts.securityGroups,
        securityGroupsKnown: facts.securityGroupsKnown,
        ...(facts.platformGroup ? { platformGroup: facts.platformGroup } : {}),
      },
      subnet,
    };
    return hostWithAddresses({ name, platforms: { [AWS]: aws } }, [...facts.addresses, ...extraAddresses],
      subnet ? awsFacts(estate).cidrsOfSubnet(subnet) : []);
  },
  placements: (estate, groups) => securityGroupPlacements(estate, groups),
  // a literal address that exactly one interface of the JSON has stands for that interface
  hostWithAddress: (estate, text, cidr) => interfaceWithAddress(estate, text, cidr),
  addressFacts: (estate, cidr: Cidr) => {
    const subnet = awsFacts(estate).subnetContaining(cidr);
    return subnet === undefined ? undefined : { subnet } satisfies AwsHost;
  },
  namesByIdentity: (host) => awsOf(host)?.interface !== undefined,
  carriesGroup: (_estate, host, groupKey) => awsOf(host)?.interface?.securityGroups.includes(groupKey) === true,
  signature: (host) => {
    const aws = awsOf(host);
    return [aws?.subnet ?? null, aws?.interface ? [aws.interface.securityGroups, aws.interface.securityGroupsKnown] : null];
  },
  keysOf: (host) => {
    const aws = awsOf(host);
    return [
      ...(aws?.interface ? [...aws.interface.securityGroups, ...(aws.interface.interfaceKey ? [aws.interface.interfaceKey] : [])] : []),
      ...(aws?.subnet ? [aws.subnet] : []),
    ];
  },
  ruleAddressTexts: (estate) => SECURITY_GROUP_RULE_TYPES
    .flatMap((type) => estate.model.resourcesOfType(type))
    .flatMap((rule) => [
      ...SECURITY_GROUP_PEER_FIELDS.flatMap((field) => estate.resolver.values(rule.stack, rule.body[field]).map(textOf)),
      // a group owned elsewhere, referenced by its literal id
      ...estate.resolver.values(rule.stack, rule.body.referenced_security_group_id)
        .filter((value) => value.kind === 'literal').map(textOf).filter((text) => /^sg-[0-9a-z]+$/i.test(text)),
    ]),
  namesGroupsOnBothSides: (_estate, resource, referencedKeys) =>
    (PEER_GROUP_FIELDS[resource.type] ?? []).some((field) => referencedKeys(resource.body[field]).length > 0),
};

/**
 * Where a hypothetical member of security groups sits: one placement per distinct subnet of the
 * groups' real members (unplaced when they have none), carrying the groups.
 */
/**
 * The interface (an instance, an ENI, a bound resource) whose literal address `text` is, when
 * exactly one has it: as that interface, with its groups and subnet, and `text` as its one address.
 */
function interfaceWithAddress(estate: Estate, text: string, cidr: Cidr): Host | undefined {
  const interfaces = () => [...AWS_INTERFACE_TYPES].flatMap((type) => estate.model.resourcesOfType(type));
  const found = resourceWithAddress(estate, AWS, interfaces, (resource) => awsFacts(estate).interfaceFacts(resource).addresses, cidr);
  const host = found && AWS_PLATFORM.hostOf!(estate, found, text, []);
  return host && { ...host, name: text, ranges: [text], symbolicAddresses: [] };
}

function securityGroupPlacements(estate: Estate, groups: readonly string[]): Placement[] {
  const facts = awsFacts(estate);
  const members = unique(groups.flatMap((group) => facts.interfacesWithGroup(group)));
  const subnets = unique(members.map((member) => facts.interfaceFacts(member).subnet));
  // Like the real members, the hypothetical one also carries the groups they all share (another
  // segment every member is in), so it is judged as they are.
  const full = members.filter((member) => groups.every((group) => facts.interfaceFacts(member).securityGroups.includes(group)));
  const shared = full.length === 0 ? [] : full
    .map((member) => facts.interfaceFacts(member).securityGroups)
    .reduce((common, next) => common.filter((group) => next.includes(group)));
  return (subnets.length > 0 ? subnets : [undefined]).map((subnet): Placement => ({
    label: subnet ? estate.naming.addressOf(subnet) : undefined,
    ranges: subnet ? facts.cidrsOfSubnet(subnet) : [],
    excludedRanges: subnet ? addressesOfNonMembers(estate, subnet, groups) : [],
    facts: { subnet, interface: { securityGroups: unique([...groups, ...shared]), securityGroupsKnown: true } } satisfies AwsHost,
  }));
}

/**
 * The literal host addresses of the interfaces in `subnet` that do not carry every one of `groups`:
 * a member (real or hypothetical) cannot have them, so a rule naming only such a host (a network
 * ACL deny entry as narrow as a DenyFlow) does not apply to the hypothetical member.
 */
function addressesOfNonMembers(estate: Estate, subnet: string, groups: readonly string[]): string[] {
  const facts = awsFacts(estate);
  const others = facts.interfacesInSubnet(subnet)
    .filter((resource: TerraformResource) => !groups.every((group) => facts.interfaceFacts(resource).securityGroups.includes(group)));
  return unique(others.flatMap((resource) => addressFacts(facts.interfaceFacts(resource).addresses).ranges).filter(isHostAddress));
}


/** The one known subnet that contains every literal address, if there is exactly one (undefined for none, several, or symbolic addresses). */
function oneSubnetOf(estate: Estate, addresses: readonly Value[]): string | undefined {
  if (addresses.length === 0 || addresses.some((value) => value.kind !== 'literal')) return undefined;
  const subnets = unique(addresses.map((value) => {
    const cidr = parseCidr(textOf(value));
    return cidr ? awsFacts(estate).subnetContaining(cidr) : undefined;
  }));
  return subnets.length === 1 ? subnets[0] : undefined;
}
