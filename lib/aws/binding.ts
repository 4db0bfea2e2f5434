import type { EfsMountTarget } from '@cdktf/provider-aws/lib/efs-mount-target';
import type { Lb, LbSubnetMapping } from '@cdktf/provider-aws/lib/lb';
import { TerraformResource, Token } from 'cdktf';
import { Platform } from '../platform';
import { WorkloadBinding } from '../workload-binding';
import { AWS_INSTANCE, AWS_NETWORK_INTERFACE, AwsBoundKind, awsBoundKind, supportedAwsTypes } from './bound-resource';
import { configuredSubnetId, subnetCidrOf, subnetIpv6Of } from './subnet-range';
import { familyOf } from '../model/cidr';

/** Options of the AWS bindings whose resource has no fixed address of its own. */
export interface AwsBindingOptions {
  /**
   * The CIDRs of the subnets the resource's interfaces live in (`subnet.cidrBlockInput`, literal or a
   * Terraform expression). A Lambda function, ECS tasks, the instances of an Auto Scaling group or the
   * nodes of a load balancer have no address known before they run: rules that must name them by
   * address (the other side of a flow rendered by another platform or in another VPC, and network
   * ACLs) name these subnets instead. Synthesis fails, naming the workload and the flow, when such a
   * rule is needed and none is given.
   * @default - none: the resource is named by its security groups only
   */
  readonly subnetCidrs?: string[];
}

/** The factories whose resource stands for several hosts (see {@link AwsBinding.severalHosts}). */
const SEVERAL_HOSTS: ReadonlySet<string> = new Set([
  'AwsBinding.launchTemplate', 'AwsBinding.ecsService', 'AwsBinding.lambdaFunction', 'AwsBinding.rdsCluster',
  'AwsBinding.elasticacheReplicationGroup', 'AwsBinding.elasticacheCluster', 'AwsBinding.eksCluster',
  'AwsBinding.opensearchDomain', 'AwsBinding.mskCluster',
]);

/**
 * Binds a workload to an AWS resource whose security groups the {@link AwsEnforcement} of its
 * stack sets: the segments' groups go into the resource's own security group list, after the
 * groups you set yourself (never an attachment resource, which would leave the VPC's permissive
 * default group in place). The factories take the provider's resource construct (typed as a
 * Terraform resource, so that the library's types name no provider module) and the synth checks
 * its Terraform type.
 */
export class AwsBinding extends WorkloadBinding {
  /**
   * An EC2 instance (`aws_instance`, `Instance` of `@cdktf/provider-aws/lib/instance`). Its
   * `vpc_security_group_ids` receive the segments' groups (merged with the groups you set yourself).
   * @param instance the instance
   */
  public static instance(instance: TerraformResource): AwsBinding {
    return new AwsBinding(instance, AWS_INSTANCE, 'AwsBinding.instance');
  }

  /**
   * An elastic network interface (`aws_network_interface`, `NetworkInterface` of
   * `@cdktf/provider-aws/lib/network-interface`). Its `security_groups` receive the segments' groups
   * (merged with the groups you set yourself).
   * @param networkInterface the network interface
   */
  public static networkInterface(networkInterface: TerraformResource): AwsBinding {
    return new AwsBinding(networkInterface, AWS_NETWORK_INTERFACE, 'AwsBinding.networkInterface');
  }

  /**
   * A launch template (`aws_launch_template`): the instances of the Auto Scaling groups and EKS
   * managed node groups launched from it. Without `network_interfaces` blocks its
   * `vpc_security_group_ids` receive the segments' groups; with them (EC2 then refuses the top-level
   * list) every listed interface's `security_groups` does. A changed list makes a new template
   * version: running instances keep their groups until they are replaced (an instance refresh).
   * @param launchTemplate the launch template
   * @param options the subnets its instances run in
   */
  public static launchTemplate(launchTemplate: TerraformResource, options?: AwsBindingOptions): AwsBinding {
    return new AwsBinding(launchTemplate, 'aws_launch_template', 'AwsBinding.launchTemplate', options);
  }

  /**
   * An RDS DB instance (`aws_db_instance`); its `vpc_security_group_ids` receive the segments' groups.
   * @param dbInstance the DB instance
   * @param options the subnets of its DB subnet group
   */
  public static dbInstance(dbInstance: TerraformResource, options?: AwsBindingOptions): AwsBinding {
    return new AwsBinding(dbInstance, 'aws_db_instance', 'AwsBinding.dbInstance', options);
  }

  /**
   * An RDS or Aurora cluster (`aws_rds_cluster`); its `vpc_security_group_ids` receive the segments' groups.
   * @param rdsCluster the cluster
   * @param options the subnets of its DB subnet group
   */
  public static rdsCluster(rdsCluster: TerraformResource, options?: AwsBindingOptions): AwsBinding {
    return new AwsBinding(rdsCluster, 'aws_rds_cluster', 'AwsBinding.rdsCluster', options);
  }

  /**
   * An application or network load balancer (`aws_lb`); its `security_groups` receive the segments'
   * groups (at most 5). A network load balancer created without security groups cannot get them
   * later: the provider replaces it (see the README's AWS table).
   * @param loadBalancer the load balancer
   * @param options the subnets its nodes run in
   */
  public static loadBalancer(loadBalancer: TerraformResource, options?: AwsBindingOptions): AwsBinding {
    return new AwsBinding(loadBalancer, 'aws_lb', 'AwsBinding.loadBalancer', options);
  }

  /**
   * A Lambda function attached to the VPC (`aws_lambda_function` with `vpc_config`); its
   * `vpc_config.security_group_ids` receive the segments' groups (at most 5).
   * @param lambdaFunction the function
   * @param options the subnets of its `vpc_config`
   */
  public static lambdaFunction(lambdaFunction: TerraformResource, options?: AwsBindingOptions): AwsBinding {
    return new AwsBinding(lambdaFunction, 'aws_lambda_function', 'AwsBinding.lambdaFunction', options);
  }

  /**
   * The tasks of an ECS service in the awsvpc network mode (`aws_ecs_service` with
   * `network_configuration`); its `network_configuration.security_groups` receive the segments'
   * groups (at most 5).
   * @param ecsService the service
   * @param options the subnets of its `network_configuration`
   */
  public static ecsService(ecsService: TerraformResource, options?: AwsBindingOptions): AwsBinding {
    return new AwsBinding(ecsService, 'aws_ecs_service', 'AwsBinding.ecsService', options);
  }

  /**
   * An ElastiCache replication group (`aws_elasticache_replication_group`); its `security_group_ids`
   * receive the segments' groups.
   * @param replicationGroup the replication group
   * @param options the subnets of its cache subnet group
   */
  public static elasticacheReplicationGroup(replicationGroup: TerraformResource, options?: AwsBindingOptions): AwsBinding {
    return new AwsBinding(replicationGroup, 'aws_elasticache_replication_group', 'AwsBinding.elasticacheReplicationGroup', options);
  }

  /**
   * An ElastiCache cluster (`aws_elasticache_cluster`); its `security_group_ids` receive the segments' groups.
   * @param cacheCluster the cache cluster
   * @param options the subnets of its cache subnet group
   */
  public static elasticacheCluster(cacheCluster: TerraformResource, options?: AwsBindingOptions): AwsBinding {
    return new AwsBinding(cacheCluster, 'aws_elasticache_cluster', 'AwsBinding.elasticacheCluster', options);
  }

  /**
   * The control plane interfaces of an EKS cluster (`aws_eks_cluster`); its
   * `vpc_config.security_group_ids` receive the segments' groups (at most 5). EKS also attaches the
   * cluster security group it creates itself, which this library does not manage.
   * @param eksCluster the cluster
   * @param options the subnets of its `vpc_config`
   */
  public static eksCluster(eksCluster: TerraformResource, options?: AwsBindingOptions): AwsBinding {
    return new AwsBinding(eksCluster, 'aws_eks_cluster', 'AwsBinding.eksCluster', options);
  }

  /**
   * An interface VPC endpoint (`aws_vpc_endpoint` with `vpc_endpoint_type = "Interface"`); its
   * `security_group_ids` receive the segments' groups. A gateway endpoint takes no security groups
   * and is an error.
   * @param vpcEndpoint the endpoint
   * @param options the subnets of its interfaces
   */
  public static vpcEndpoint(vpcEndpoint: TerraformResource, options?: AwsBindingOptions): AwsBinding {
    return new AwsBinding(vpcEndpoint, 'aws_vpc_endpoint', 'AwsBinding.vpcEndpoint', options);
  }

  /**
   * An EFS mount target (`aws_efs_mount_target`); its `security_groups` receive the segments' groups (at most 5).
   * @param mountTarget the mount target
   * @param options its subnet
   */
  public static efsMountTarget(mountTarget: TerraformResource, options?: AwsBindingOptions): AwsBinding {
    return new AwsBinding(mountTarget, 'aws_efs_mount_target', 'AwsBinding.efsMountTarget', options);
  }

  /**
   * An OpenSearch domain in a VPC (`aws_opensearch_domain` with `vpc_options`); its
   * `vpc_options.security_group_ids` receive the segments' groups.
   * @param domain the domain
   * @param options the subnets of its `vpc_options`
   */
  public static opensearchDomain(domain: TerraformResource, options?: AwsBindingOptions): AwsBinding {
    return new AwsBinding(domain, 'aws_opensearch_domain', 'AwsBinding.opensearchDomain', options);
  }

  /**
   * The brokers of an MSK cluster (`aws_msk_cluster`); its `broker_node_group_info.security_groups`
   * receive the segments' groups. That attribute forces the cluster's replacement: see
   * the README's AWS table.
   * @param mskCluster the cluster
   * @param options the subnets of its brokers
   */
  public static mskCluster(mskCluster: TerraformResource, options?: AwsBindingOptions): AwsBinding {
    return new AwsBinding(mskCluster, 'aws_msk_cluster', 'AwsBinding.mskCluster', options);
  }

  /**
   * Any supported resource, by its Terraform type: the factory for that type is used. A resource of
   * another type fails the synth with the list of supported types.
   * @param resource the resource
   * @param options the subnets of a resource without a fixed address
   */
  public static fromResource(resource: TerraformResource, options?: AwsBindingOptions): AwsBinding {
    const type = resource?.terraformResourceType;
    const kind = typeof type === 'string' ? awsBoundKind(type) : undefined;
    return new AwsBinding(resource, kind?.type ?? ANY_SUPPORTED, kind?.factory ?? 'AwsBinding.fromResource', options);
  }

  /** The subnet CIDRs given in the options. */
  public readonly subnetCidrs: string[];

  private constructor(resource: TerraformResource, resourceType: string, factory: string, options: AwsBindingOptions = {}) {
    super(Platform.AWS, resource, resourceType, factory);
    this.subnetCidrs = [...(options.subnetCidrs ?? [])];
  }

  /**
   * A launch template, an ECS service, a function and the managed clusters stand for several
   * interfaces, whose traffic to each other their security groups filter.
   */
  public get severalHosts(): boolean {
    return SEVERAL_HOSTS.has(this.factory);
  }

  /**
   * An instance's configured `private_ip`, `secondary_private_ips` and `ipv6_addresses`, a network
   * interface's `private_ip`, `private_ips`, `private_ip_list`, `ipv6_addresses` and
   * `ipv6_address_list`: those written literally.
   */
  public get configuredAddresses(): string[] {
    const ipv6 = this.resourceType === AWS_INSTANCE ? ['ipv6AddressesInput']
      : this.resourceType === AWS_NETWORK_INTERFACE ? ['ipv6AddressesInput', 'ipv6AddressListInput'] : [];
    return [...this._configuredAddressValues(), ...this.configuredValues(ipv6)].filter((address) => !Token.isUnresolved(address));
  }

  /**
   * The CIDRs of the subnet an instance or network interface is in, for each address family its
   * configuration gives it no literal address of, when synthesis can read them: its addresses lie
   * there, though which is known only at apply. The subnet's IPv4 CIDR (see `subnetCidrOf`); its
   * IPv6 CIDR (see `subnetIpv6Of`) when the resource certainly gets an IPv6 address, because the
   * subnet assigns one to every new interface or the resource asks for some
   * (`ipv6_address_count`, or a network interface's `ipv6_prefix_count` or `ipv6_prefixes`).
   */
  public get addressRanges(): string[] {
    if (!this.inSubnet) return [];
    const ipv4 = this.hasLiteral('ipv4') ? undefined : subnetCidrOf(this.resource, configuredSubnetId(this.resource));
    return [...(ipv4 === undefined ? [] : [ipv4]), ...this.ipv6Placement().certain];
  }

  /**
   * Whether an instance or network interface has no IPv4 address: it is in an IPv6-only subnet
   * (`ipv6_native` set literally to true on an `aws_subnet` of the stack) and sets none literally.
   */
  public get withoutIpv4(): boolean {
    return this.inSubnet && !this.hasLiteral('ipv4') && subnetIpv6Of(this.resource, configuredSubnetId(this.resource))?.ipv6Only === true;
  }

  /**
   * Where an instance's or network interface's IPv6 address may lie when synthesis cannot tell
   * whether it has one (an expression decides: the count, the list of addresses, the subnet's
   * switch), or where in the family it lies (the subnet's IPv6 CIDR is an expression: `::/0`): a
   * CIDR overlapping it perhaps holds the workload.
   */
  public get possibleAddressRanges(): string[] {
    return this.inSubnet ? this.ipv6Placement().possible : [];
  }

  /** Whether the resource takes its addresses from the subnet it names (an instance or network interface). */
  private get inSubnet(): boolean {
    return this.resourceType === AWS_INSTANCE || this.resourceType === AWS_NETWORK_INTERFACE;
  }

  /** Whether the resource's configuration gives it a literal address of `family`. */
  private hasLiteral(family: 'ipv4' | 'ipv6'): boolean {
    return this.configuredAddresses.some((address) => familyOf(address) === family);
  }

  /**
   * Where the resource's IPv6 addresses lie when its configuration gives none literally: certainly
   * in `certain`, perhaps in `possible`. A subnet synthesis cannot see (a data source, a literal id)
   * is taken not to assign IPv6 addresses of its own accord.
   */
  private ipv6Placement(): { readonly certain: string[]; readonly possible: string[] } {
    const none = { certain: [], possible: [] };
    if (this.hasLiteral('ipv6')) return none;
    const subnetId = configuredSubnetId(this.resource);
    if (subnetId === undefined) return none;
    const subnet = subnetIpv6Of(this.resource, subnetId);
    if (subnet && !subnet.hasIpv6) return none; // an IPv4-only subnet gives no IPv6 address
    const asks = this.asksForIpv6();
    const assigns = subnet === undefined ? false : subnet.assignsAddresses;
    if (assigns === false && asks === false) return none;
    const certain = assigns === true || asks === true;
    // a CIDR known only at apply: somewhere in the family
    return certain && subnet?.cidr !== undefined ? { certain: [subnet.cidr], possible: [] } : { certain: [], possible: [subnet?.cidr ?? '::/0'] };
  }

  /**
   * Whether the resource's configuration asks for IPv6 addresses without giving them literally:
   * true, false, or undefined when an expression decides (a count, or a list that may be empty).
   * `enable_primary_ipv6` only marks an address the interface has as primary: it asks for none.
   */
  private asksForIpv6(): boolean | undefined {
    const config = this.resource as unknown as { ipv6AddressCountInput?: unknown; ipv6PrefixCountInput?: unknown; ipv6PrefixesInput?: unknown };
    const counts = this.resourceType === AWS_INSTANCE ? [config.ipv6AddressCountInput] : [config.ipv6AddressCountInput, config.ipv6PrefixCountInput];
    if (counts.some((count) => typeof count === 'number' && !Token.isUnresolved(count) && count > 0)) return true;
    const prefixes = this.resourceType === AWS_NETWORK_INTERFACE ? this.configuredValues(['ipv6PrefixesInput']) : [];
    if (prefixes.some((prefix) => !Token.isUnresolved(prefix))) return true; // delegated prefixes lie in the subnet's IPv6 CIDR
    const lists = this.resourceType === AWS_INSTANCE ? ['ipv6AddressesInput'] : ['ipv6AddressesInput', 'ipv6AddressListInput'];
    const expressions = [...this.configuredValues(lists), ...prefixes].some((value) => Token.isUnresolved(value));
    const undecidedCount = counts.some((count) => count !== undefined && (typeof count !== 'number' || Token.isUnresolved(count)));
    return expressions || undecidedCount ? undefined : false;
  }

  /**
   * Every private IP the resource's configuration sets (an instance's `private_ip` and
   * `secondary_private_ips`, a network interface's `private_ip`, `private_ips` and
   * `private_ip_list`), expressions included: a list given as one expression is that expression.
   * @internal
   */
  public _configuredAddressValues(): string[] {
    return this.configuredValues(this.resourceType === AWS_INSTANCE ? ['privateIpInput', 'secondaryPrivateIpsInput']
      : this.resourceType === AWS_NETWORK_INTERFACE ? ['privateIpInput', 'privateIpsInput', 'privateIpListInput'] : []);
  }

  /** The values the resource's configuration sets in `fields` (input getters), expressions included: a list given as one expression is that expression. */
  private configuredValues(fields: readonly string[]): string[] {
    const config = this.resource as unknown as Record<string, string | string[] | undefined>;
    return fields.flatMap((field) => {
      const value = config[field];
      if (value === undefined) return [];
      return Token.isUnresolved(value) || !Array.isArray(value) ? [value as string] : value;
    });
  }

  /**
   * Where a rule must name the resource by address: the addresses its configuration gives it (an
   * EFS mount target's `ip_address`; a load balancer's `subnet_mapping` addresses when every mapping
   * sets its `private_ipv4_address`), else the subnet CIDRs, which stand for it.
   */
  public get addresses(): string[] {
    const own = this.ownAddresses();
    return own.length > 0 ? own : [...this.subnetCidrs];
  }

  /** The `subnetCidrs` when they stand for the resource: it shares those subnets with their other hosts. */
  public get sharedAddressOrigin(): string | undefined {
    return this.subnetCidrs.length > 0 && this.ownAddresses().length === 0 ? `the subnets it runs in, from ${this.factory}'s subnetCidrs` : undefined;
  }

  /** The host addresses of a resource without a fixed address that its configuration sets all of. */
  private ownAddresses(): string[] {
    if (this.resourceType === 'aws_efs_mount_target') {
      const ip = (this.resource as EfsMountTarget).ipAddressInput;
      return ip === undefined ? [] : [ip];
    }
    if (this.resourceType === 'aws_lb') {
      const mappings = (this.resource as Lb).subnetMappingInput;
      if (mappings === undefined || Token.isUnresolved(mappings) || !Array.isArray(mappings) || mappings.length === 0) return [];
      const blocks = mappings as LbSubnetMapping[];
      // one node per mapping: an address known for only some nodes would leave the others out of every rule
      if (blocks.some((block) => block.privateIpv4Address === undefined)) return [];
      return blocks.flatMap((block) => [block.privateIpv4Address, block.ipv6Address].filter((address): address is string => address !== undefined));
    }
    return [];
  }

  /** How to give this resource addresses, for messages. */
  public get addressHint(): string | undefined {
    const kind = awsBoundKind(this.resourceType);
    if (kind === undefined || kind.fixedAddress) return undefined;
    return `the subnets it runs in: ${kind.factory}(resource, { subnetCidrs: [subnet.cidrBlockInput] })`;
  }

  /**
   * The problems of the binding: a resource of another type, or a configuration that cannot carry
   * security groups (a Lambda function outside the VPC, a gateway endpoint).
   */
  public validate(): string[] {
    const resource = this.resource as TerraformResource | undefined;
    if (this.resourceType === ANY_SUPPORTED) {
      const what = resource && typeof resource.terraformResourceType === 'string'
        ? `'${resource.node.path}' of type ${resource.terraformResourceType}`
        : 'something that is not a Terraform resource';
      return [`is bound with AwsBinding.fromResource(...) to ${what}, which carries no security groups the library supports. Supported types: ${supportedAwsTypes().join(', ')}. Bind one of those, or give the workload addresses for a host outside the model.`];
    }
    const problems = super.validate();
    if (problems.length > 0) return problems.map((problem) => `${problem} ${supportedList()}`);
    const kind = awsBoundKind(this.resourceType) as AwsBoundKind;
    problems.push(...kind.problems(resource!).map((problem) => `is bound to ${kind.noun} '${resource!.node.path}', which ${problem}`));
    // the workload checks the subnet CIDRs with its other addresses
    return problems;
  }
}

/** The resource type of `AwsBinding.fromResource` given an unsupported resource. */
const ANY_SUPPORTED = 'a supported AWS resource';

function supportedList(): string {
  return `(The AWS bindings: ${supportedAwsTypes().map((type) => `${awsBoundKind(type)!.factory} for ${type}`).join(', ')}.)`;
}
