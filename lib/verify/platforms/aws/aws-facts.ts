import { AWS_BOUND_TYPES, AwsBoundType, launchTemplateGroups, valuesAt } from './aws-bound-types';
import type { Estate } from '../../estate/estate';
import { unique } from '../../estate/host';
import { Inventory } from '../../model/inventory';
import { Resolver } from '../../model/resolver';
import { TerraformModel, TerraformResource, blocksAt } from '../../model/terraform-model';
import { Value, identityOf, numberOf, stringOf } from '../../model/value';
import { appendTo } from '../../multimap';
import { Cidr, cidrContains, parseCidr } from '../../net/cidr';

/** AWS types a workload can be bound to: interfaces, and the resources that carry security groups for theirs. */
export const AWS_INTERFACE_TYPES = new Set(['aws_instance', 'aws_network_interface', ...Object.keys(AWS_BOUND_TYPES)]);

/** What the Terraform JSON says about one AWS interface. */
export interface AwsInterfaceFacts {
  /** Identities of the security groups attached to it. */
  readonly securityGroups: readonly string[];
  /** Whether the JSON sets its security groups at all (otherwise the VPC default SG applies, unseen). */
  readonly securityGroupsKnown: boolean;
  /** Identity of its subnet. */
  readonly subnet?: string;
  /** Its addresses, resolved (literal IPs or symbolic). */
  readonly addresses: readonly Value[];
  /** A group the platform attaches that the JSON does not show (the EKS cluster security group), by name. */
  readonly platformGroup?: string;
}

/** Facts about AWS interfaces, subnets and network ACL associations, indexed once per model. */
export class AwsFacts {
  private readonly attachments = new Map<string, string[]>();
  private readonly subnetCidrs = new Map<string, string[]>();
  private readonly ephemeralBySubnet = new Map<string, readonly [number, number]>();
  private readonly aclBySubnet = new Map<string, string>();
  /** The managed default network ACL (`aws_default_network_acl`) of each VPC, by the VPC's identity. */
  private readonly defaultAclByVpc = new Map<string, string>();
  private readonly vpcBySubnet = new Map<string, string>();
  private readonly factsByKey = new Map<string, AwsInterfaceFacts>();
  /** The interfaces of each security group, indexed on first use. */
  private interfacesByGroup?: Map<string, TerraformResource[]>;

  constructor(private readonly model: TerraformModel, private readonly resolver: Resolver, inventory: Inventory) {
    for (const attachment of model.resourcesOfType('aws_network_interface_sg_attachment')) {
      const iface = this.identity(attachment, 'network_interface_id');
      const group = this.identity(attachment, 'security_group_id');
      if (iface && group) appendTo(this.attachments, iface, group);
    }
    for (const subnet of model.resourcesOfType('aws_subnet')) {
      const cidrs = ['cidr_block', 'ipv6_cidr_block'].map((field) => stringOf(resolver.value(subnet.stack, subnet.body[field])));
      this.subnetCidrs.set(subnet.key, cidrs.filter((cidr): cidr is string => cidr !== undefined && parseCidr(cidr) !== undefined));
    }
    for (const { subnet, cidr, ephemeralPorts } of inventory.subnets) {
      if (parseCidr(cidr)) this.subnetCidrs.set(subnet, unique([...(this.subnetCidrs.get(subnet) ?? []), cidr]));
      if (ephemeralPorts) this.ephemeralBySubnet.set(subnet, ephemeralPorts);
    }
    // a managed default ACL (its rules are the JSON's: the provider removes the others) holds the
    // subnets it lists and every subnet of its VPC that no other ACL takes
    for (const acl of model.resourcesOfType('aws_default_network_acl')) {
      const vpc = resolver.value(acl.stack, acl.body.default_network_acl_id);
      if (vpc?.kind === 'reference' && vpc.key.slice(vpc.key.indexOf('/') + 1).startsWith('aws_vpc.')) this.defaultAclByVpc.set(vpc.key, acl.key);
      for (const subnet of resolver.values(acl.stack, acl.body.subnet_ids)) this.aclBySubnet.set(identityOf(subnet), acl.key);
    }
    if (this.defaultAclByVpc.size > 0) {
      for (const subnet of model.resourcesOfType('aws_subnet')) {
        const vpc = resolver.value(subnet.stack, subnet.body.vpc_id);
        if (vpc) this.vpcBySubnet.set(subnet.key, identityOf(vpc));
      }
    }
    for (const acl of model.resourcesOfType('aws_network_acl')) {
      for (const subnet of resolver.values(acl.stack, acl.body.subnet_ids)) this.aclBySubnet.set(identityOf(subnet), acl.key);
    }
    for (const association of model.resourcesOfType('aws_network_acl_association')) {
      const subnet = this.identity(association, 'subnet_id');
      const acl = this.identity(association, 'network_acl_id');
      if (subnet && acl) this.aclBySubnet.set(subnet, acl);
    }
  }

  /** Facts of an instance or network interface. */
  public interfaceFacts(resource: TerraformResource): AwsInterfaceFacts {
    const cached = this.factsByKey.get(resource.key);
    if (cached) return cached;
    const facts = this.readInterfaceFacts(resource);
    this.factsByKey.set(resource.key, facts);
    return facts;
  }

  private readInterfaceFacts(resource: TerraformResource): AwsInterfaceFacts {
    const primary = this.primaryNetworkInterface(resource);
    if (primary) return this.interfaceFacts(primary);
    const bound = AWS_BOUND_TYPES[resource.type];
    if (bound) return this.boundResourceFacts(resource, bound);
    const listField = resource.type === 'aws_instance' ? 'vpc_security_group_ids' : 'security_groups';
    const configured = this.resolver.values(resource.stack, resource.body[listField]).map(identityOf);
    const attached = this.attachments.get(resource.key) ?? [];
    return {
      securityGroups: unique([...configured, ...attached]),
      // Without its own list the interface also keeps the VPC's default group, which attachments
      // never remove: its set is not known from the JSON alone.
      securityGroupsKnown: resource.body[listField] !== undefined,
      subnet: this.identity(resource, 'subnet_id'),
      addresses: this.addresses(resource),
    };
  }

  /**
   * Facts of a resource that carries security groups for interfaces AWS creates (a Lambda
   * function, a load balancer, a database): its own group list, the addresses its arguments give
   * and its one subnet, if it has one.
   */
  private boundResourceFacts(resource: TerraformResource, bound: AwsBoundType): AwsInterfaceFacts {
    const raw = resource.type === 'aws_launch_template' ? launchTemplateGroups(resource.body) : valuesAt(resource.body, bound.groups);
    const values = (raws: unknown[] | undefined) => (raws ?? []).flatMap((value) => this.resolver.values(resource.stack, value));
    return {
      securityGroups: unique([...values(raw).map(identityOf), ...(this.attachments.get(resource.key) ?? [])]),
      securityGroupsKnown: raw !== undefined,
      subnet: bound.subnet ? this.identity(resource, bound.subnet) : undefined,
      addresses: (bound.addresses ?? []).flatMap((path) => values(valuesAt(resource.body, path))).map(hostValue),
      platformGroup: bound.platformGroup,
    };
  }

  /** Keys of interfaces that carry this security group. */
  public interfacesWithGroup(groupKey: string): TerraformResource[] {
    if (!this.interfacesByGroup) {
      this.interfacesByGroup = new Map();
      for (const resource of [...AWS_INTERFACE_TYPES].flatMap((type) => this.model.resourcesOfType(type))) {
        for (const group of new Set(this.interfaceFacts(resource).securityGroups)) {
          const holders = this.interfacesByGroup.get(group);
          if (holders) holders.push(resource);
          else this.interfacesByGroup.set(group, [resource]);
        }
      }
    }
    return [...(this.interfacesByGroup.get(groupKey) ?? [])];
  }

  /** Interfaces whose subnet is `subnet`. */
  public interfacesInSubnet(subnet: string): TerraformResource[] {
    return [...AWS_INTERFACE_TYPES]
      .flatMap((type) => this.model.resourcesOfType(type))
      .filter((resource) => this.interfaceFacts(resource).subnet === subnet);
  }

  /** The clients' ephemeral ports the enforcement of a subnet's network ACL declares, when the library recorded a range other than its default. */
  public declaredEphemeralPorts(subnet: string | undefined): readonly [number, number] | undefined {
    return subnet === undefined ? undefined : this.ephemeralBySubnet.get(subnet);
  }

  /** CIDRs of a subnet, from `aws_subnet` or the library's subnet inventory. */
  public cidrsOfSubnet(subnet: string): readonly string[] {
    return this.subnetCidrs.get(subnet) ?? [];
  }

  /** The most specific known subnet whose CIDR contains the range. */
  public subnetContaining(range: Cidr): string | undefined {
    let best: { subnet: string; prefix: number } | undefined;
    for (const [subnet, cidrs] of this.subnetCidrs) {
      for (const cidr of cidrs.map((text) => parseCidr(text) as Cidr)) {
        if (cidrContains(cidr, range) && (!best || cidr.prefix > best.prefix)) best = { subnet, prefix: cidr.prefix };
      }
    }
    return best?.subnet;
  }

  /** Key of the network ACL associated with the subnet: its own, or its VPC's default ACL when the JSON manages that. */
  public aclOfSubnet(subnet: string): string | undefined {
    return this.aclBySubnet.get(subnet) ?? this.defaultAclByVpc.get(this.vpcBySubnet.get(subnet) ?? '');
  }

  private primaryNetworkInterface(resource: TerraformResource): TerraformResource | undefined {
    if (resource.type !== 'aws_instance') return undefined;
    const blocks = [...blocksAt(resource.body, 'primary_network_interface'), ...blocksAt(resource.body, 'network_interface')];
    const primary = blocks.find((block) => (numberOf(this.resolver.value(resource.stack, block.device_index)) ?? 0) === 0);
    const key = primary && this.resolver.value(resource.stack, primary.network_interface_id);
    const target = key ? this.model.resource(identityOf(key)) : undefined;
    return target?.type === 'aws_network_interface' ? target : undefined;
  }

  private addresses(resource: TerraformResource): Value[] {
    const fields = resource.type === 'aws_instance' ? ['private_ip', 'ipv6_addresses'] : ['private_ip', 'private_ips', 'private_ip_list', 'ipv6_addresses'];
    const configured = fields.flatMap((field) => this.resolver.values(resource.stack, resource.body[field]));
    return configured.length > 0 ? configured : [{ kind: 'reference', key: resource.key, attribute: 'private_ip' }];
  }

  private identity(resource: TerraformResource, field: string): string | undefined {
    const value = this.resolver.value(resource.stack, resource.body[field]);
    return value ? identityOf(value) : undefined;
  }
}

/** The AWS facts of an estate, indexed on first use. */
export function awsFacts(estate: Estate): AwsFacts {
  return estate.facts(readAwsFacts);
}

function readAwsFacts(estate: Estate): AwsFacts {
  return new AwsFacts(estate.model, estate.resolver, estate.inventory);
}

/** A literal bare IP as a host prefix, as the addresses of instances are; other values unchanged. */
function hostValue(value: Value): Value {
  if (value.kind !== 'literal') return value;
  const text = String(value.value);
  return text.includes('/') ? value : { kind: 'literal', value: `${text}/${text.includes(':') ? 128 : 32}` };
}
