import type { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import type { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import type { EfsMountTarget } from '@cdktf/provider-aws/lib/efs-mount-target';
import type { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import type { ElasticacheCluster } from '@cdktf/provider-aws/lib/elasticache-cluster';
import type { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group';
import type { Instance } from '@cdktf/provider-aws/lib/instance';
import type { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import type { LaunchTemplate, LaunchTemplateNetworkInterfaces } from '@cdktf/provider-aws/lib/launch-template';
import type { Lb } from '@cdktf/provider-aws/lib/lb';
import type { MskCluster } from '@cdktf/provider-aws/lib/msk-cluster';
import type { NetworkInterface } from '@cdktf/provider-aws/lib/network-interface';
import type { OpensearchDomain } from '@cdktf/provider-aws/lib/opensearch-domain';
import type { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster';
import type { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { Fn, TerraformResource, Token } from 'cdktf';
import type { Workload } from '../workload';

/** Terraform type of an EC2 instance binding. */
export const AWS_INSTANCE = 'aws_instance';
/** Terraform type of an elastic network interface binding. */
export const AWS_NETWORK_INTERFACE = 'aws_network_interface';

/**
 * The security group list of one bound resource: how many groups the user put there, and how the
 * segments' groups are written next to them (the resource's own list, never an attachment resource:
 * an interface created without a list is put in the VPC's default group, which lets all traffic out).
 */
export interface SecurityGroupList {
  /** The most groups the user set on one interface of the resource (literal lists only). */
  readonly userGroupCount: number;
  /** Whether the user set groups of their own (a token list counts). */
  readonly hasUserGroups: boolean;
  /** Writes the user's groups followed by `ours`. */
  write(ours: string[]): void;
}

/** What the library knows about one kind of AWS resource a workload can be bound to. */
export interface AwsBoundKind {
  /** Terraform resource type (`aws_lambda_function`). */
  readonly type: string;
  /** The `AwsBinding` factory that binds it (`AwsBinding.lambdaFunction`). */
  readonly factory: string;
  /** What users call it, in messages (`Lambda function`). */
  readonly noun: string;
  /** The Terraform attribute that receives the groups (`vpc_config.security_group_ids`). */
  readonly groupField: string;
  /** Whether the resource has addresses of its own that rules can name (an instance, an ENI). */
  readonly fixedAddress: boolean;
  /**
   * The groups the service API accepts on one resource, whatever the interface quota (Lambda, ECS,
   * EFS, EKS and load balancers take at most 5); undefined when only the per-interface quota applies.
   */
  readonly apiMaxGroups?: number;
  /**
   * When changing the resource's group list replaces the resource (a traffic window, and for a
   * stateful service worse): the warning's sentence, given the resource.
   */
  replacement?(resource: TerraformResource): string | undefined;
  /**
   * When the resource's configuration leaves it in the account's default VPC (a database without a
   * subnet group): the warning's sentence, given the resource.
   */
  defaultVpc?(resource: TerraformResource): string | undefined;
  /** What in the resource's configuration keeps it from carrying security groups, as sentences. */
  problems(resource: TerraformResource): string[];
  /** The resource's group list; read once per workload, before the library writes to it. */
  groupList(resource: TerraformResource): SecurityGroupList;
}

/** The user's groups followed by ours, keeping a token list a token (`concat`). */
export function mergeGroupIds(base: string[] | undefined, ours: string[]): string[] {
  if (base === undefined) return ours;
  return Token.isUnresolved(base) ? Fn.concat([base, ours]) : [...base, ...ours];
}

/** A group list held in one attribute, read by `read` and written by `write`. */
function flatList<T extends TerraformResource>(read: (r: T) => string[] | undefined, write: (r: T, ids: string[]) => void) {
  return (resource: TerraformResource): SecurityGroupList => {
    const typed = resource as T;
    const base = read(typed);
    return {
      userGroupCount: base && !Token.isUnresolved(base) ? base.length : 0,
      hasUserGroups: base !== undefined && (Token.isUnresolved(base) || base.length > 0),
      write: (ours) => write(typed, mergeGroupIds(base, ours)),
    };
  };
}

/** Whether a block list is given and not empty (a token list counts as given). */
function hasBlocks(blocks: unknown): boolean {
  return blocks !== undefined && (Token.isUnresolved(blocks) || (Array.isArray(blocks) && blocks.length > 0));
}

/**
 * A problem when the resource names its own groups by name in `field`, beside the ids the library
 * writes: `why` says what goes wrong, and the sentence ends with the attribute to give them in.
 */
function namesGroups(names: string[] | undefined, field: string, idsAttribute: string, why: string): string[] {
  if (names === undefined || (!Token.isUnresolved(names) && names.length === 0)) return [];
  return [`names its security groups by name (${field}), which the segments' group ids cannot join: ${why} and the library's count of groups per interface would not see them. Give your groups by id in ${idsAttribute} instead (group.id) and leave ${field} unset.`];
}

/** The warning sentence of a resource that names no subnet group (`field`), so AWS puts it in the default VPC. */
function defaultSubnetGroup(field: string, option: string): string {
  return `names no subnet group (${field}), so AWS creates it in the default VPC's default subnet group, where it takes only security groups of the default VPC: the apply fails unless the enforcement's VPC is the default VPC. Give it ${option} of a subnet group in the enforcement's VPC.`;
}

/** A problem when a configuration block the groups live in is missing. */
function needsBlock(present: boolean, sentence: string): string[] {
  return present ? [] : [sentence];
}

/**
 * A launch template's groups: with `network_interfaces` blocks, EC2 takes the groups only on the
 * interfaces (the top-level `vpc_security_group_ids` is rejected next to them), so every listed
 * interface gets the segments' groups after its own; without them the top-level list does.
 */
function launchTemplateGroups(resource: TerraformResource): SecurityGroupList {
  const template = resource as LaunchTemplate;
  const interfaces = template.networkInterfacesInput;
  if (interfaces === undefined || (Array.isArray(interfaces) && interfaces.length === 0)) {
    return flatList<LaunchTemplate>((t) => t.vpcSecurityGroupIdsInput, (t, ids) => { t.vpcSecurityGroupIds = ids; })(resource);
  }
  const blocks = interfaces as LaunchTemplateNetworkInterfaces[]; // a token list is reported by problems()
  const bases = blocks.map((block) => block.securityGroups);
  return {
    userGroupCount: Math.max(0, ...bases.map((base) => (base && !Token.isUnresolved(base) ? base.length : 0))),
    hasUserGroups: bases.some((base) => base !== undefined && (Token.isUnresolved(base) || base.length > 0)),
    write: (ours) => template.putNetworkInterfaces(blocks.map((block, index) => ({ ...block, securityGroups: mergeGroupIds(bases[index], ours) }))),
  };
}

const KINDS: AwsBoundKind[] = [
  {
    type: AWS_INSTANCE,
    factory: 'AwsBinding.instance',
    noun: 'EC2 instance',
    groupField: 'vpc_security_group_ids',
    fixedAddress: true,
    // EC2 rejects instance-level groups next to interfaces the instance attaches at launch
    problems: (r) => [
      ...(hasBlocks((r as Instance).networkInterfaceInput) || (r as Instance).primaryNetworkInterfaceInput !== undefined
        ? ['attaches network interfaces of its own (network_interface or primary_network_interface): EC2 then takes security groups only on those interfaces, and rejects vpc_security_group_ids next to them. Bind the interface instead: AwsBinding.networkInterface(eni).']
        : []),
      ...namesGroups((r as Instance).securityGroupsInput, 'security_groups', 'vpcSecurityGroupIds',
        'EC2 takes group names only in a default VPC, a change of them replaces the instance,'),
    ],
    groupList: flatList<Instance>((r) => r.vpcSecurityGroupIdsInput, (r, ids) => { r.vpcSecurityGroupIds = ids; }),
  },
  {
    type: AWS_NETWORK_INTERFACE,
    factory: 'AwsBinding.networkInterface',
    noun: 'network interface',
    groupField: 'security_groups',
    fixedAddress: true,
    problems: () => [],
    groupList: flatList<NetworkInterface>((r) => r.securityGroupsInput, (r, ids) => { r.securityGroups = ids; }),
  },
  {
    type: 'aws_launch_template',
    factory: 'AwsBinding.launchTemplate',
    noun: 'launch template',
    groupField: 'vpc_security_group_ids, or network_interfaces[*].security_groups when the template lists interfaces',
    fixedAddress: false,
    problems: (r) => [
      ...(Token.isUnresolved((r as LaunchTemplate).networkInterfacesInput)
        ? ['has network_interfaces given as a token, so the segments\' groups cannot be merged into them. Give the network_interfaces blocks as a literal list.']
        : []),
      ...namesGroups((r as LaunchTemplate).securityGroupNamesInput, 'security_group_names', 'vpcSecurityGroupIds',
        'the provider rejects vpc_security_group_ids next to security_group_names (and EC2 rejects them next to groups on network interfaces),'),
    ],
    groupList: launchTemplateGroups,
  },
  {
    type: 'aws_db_instance',
    factory: 'AwsBinding.dbInstance',
    noun: 'RDS DB instance',
    groupField: 'vpc_security_group_ids',
    fixedAddress: false,
    problems: () => [],
    // a read replica of the same region takes its source's subnet group
    defaultVpc: (r) => ((r as DbInstance).dbSubnetGroupNameInput === undefined && (r as DbInstance).replicateSourceDbInput === undefined
      ? defaultSubnetGroup('db_subnet_group_name', 'dbSubnetGroupName') : undefined),
    groupList: flatList<DbInstance>((r) => r.vpcSecurityGroupIdsInput, (r, ids) => { r.vpcSecurityGroupIds = ids; }),
  },
  {
    type: 'aws_rds_cluster',
    factory: 'AwsBinding.rdsCluster',
    noun: 'RDS cluster',
    groupField: 'vpc_security_group_ids',
    fixedAddress: false,
    problems: () => [],
    defaultVpc: (r) => ((r as RdsCluster).dbSubnetGroupNameInput === undefined ? defaultSubnetGroup('db_subnet_group_name', 'dbSubnetGroupName') : undefined),
    groupList: flatList<RdsCluster>((r) => r.vpcSecurityGroupIdsInput, (r, ids) => { r.vpcSecurityGroupIds = ids; }),
  },
  {
    type: 'aws_lb',
    factory: 'AwsBinding.loadBalancer',
    noun: 'load balancer',
    groupField: 'security_groups',
    fixedAddress: false,
    apiMaxGroups: 5,
    problems: (r) => ((r as Lb).loadBalancerTypeInput === 'gateway'
      ? ['is a gateway load balancer, which takes no security groups. Bind the appliances behind it instead.']
      : []),
    replacement: (r) => ((r as Lb).loadBalancerTypeInput === 'network'
      ? 'is a network load balancer: if it already exists without security groups, the first apply that gives it groups replaces it (the provider cannot add groups to a network load balancer created without any), and its traffic stops until the new one is active. Bind it when you create it, or plan a window.'
      : undefined),
    groupList: flatList<Lb>((r) => r.securityGroupsInput, (r, ids) => { r.securityGroups = ids; }),
  },
  {
    type: 'aws_lambda_function',
    factory: 'AwsBinding.lambdaFunction',
    noun: 'Lambda function',
    groupField: 'vpc_config.security_group_ids',
    fixedAddress: false,
    apiMaxGroups: 5,
    problems: (r) => needsBlock((r as LambdaFunction).vpcConfigInput !== undefined,
      'has no vpc_config, so it runs outside the VPC and takes no security groups. Give it vpcConfig: { subnetIds: [...], securityGroupIds: [] }.'),
    groupList: flatList<LambdaFunction>((r) => r.vpcConfig.securityGroupIdsInput, (r, ids) => { r.vpcConfig.securityGroupIds = ids; }),
  },
  {
    type: 'aws_ecs_service',
    factory: 'AwsBinding.ecsService',
    noun: 'ECS service',
    groupField: 'network_configuration.security_groups',
    fixedAddress: false,
    apiMaxGroups: 5,
    problems: (r) => needsBlock((r as EcsService).networkConfigurationInput !== undefined,
      'has no network_configuration, so its tasks do not use the awsvpc network mode and take no security groups of their own. Give it networkConfiguration: { subnets: [...] } (and networkMode "awsvpc" in the task definition).'),
    groupList: flatList<EcsService>((r) => r.networkConfiguration.securityGroupsInput, (r, ids) => { r.networkConfiguration.securityGroups = ids; }),
  },
  {
    type: 'aws_elasticache_replication_group',
    factory: 'AwsBinding.elasticacheReplicationGroup',
    noun: 'ElastiCache replication group',
    groupField: 'security_group_ids',
    fixedAddress: false,
    problems: () => [],
    defaultVpc: (r) => ((r as ElasticacheReplicationGroup).subnetGroupNameInput === undefined ? defaultSubnetGroup('subnet_group_name', 'subnetGroupName') : undefined),
    groupList: flatList<ElasticacheReplicationGroup>((r) => r.securityGroupIdsInput, (r, ids) => { r.securityGroupIds = ids; }),
  },
  {
    type: 'aws_elasticache_cluster',
    factory: 'AwsBinding.elasticacheCluster',
    noun: 'ElastiCache cluster',
    groupField: 'security_group_ids',
    fixedAddress: false,
    // a member of a replication group takes the group's security groups: the provider rejects security_group_ids next to replication_group_id
    problems: (r) => ((r as ElasticacheCluster).replicationGroupIdInput !== undefined
      ? ['is a member of a replication group (replication_group_id), whose security groups it takes: the provider rejects security_group_ids next to replication_group_id. Bind the replication group instead: AwsBinding.elasticacheReplicationGroup(group).']
      : []),
    defaultVpc: (r) => ((r as ElasticacheCluster).subnetGroupNameInput === undefined ? defaultSubnetGroup('subnet_group_name', 'subnetGroupName') : undefined),
    groupList: flatList<ElasticacheCluster>((r) => r.securityGroupIdsInput, (r, ids) => { r.securityGroupIds = ids; }),
  },
  {
    type: 'aws_eks_cluster',
    factory: 'AwsBinding.eksCluster',
    noun: 'EKS cluster',
    groupField: 'vpc_config.security_group_ids',
    fixedAddress: false,
    apiMaxGroups: 5,
    problems: () => [],
    groupList: flatList<EksCluster>((r) => r.vpcConfig.securityGroupIdsInput, (r, ids) => { r.vpcConfig.securityGroupIds = ids; }),
  },
  {
    type: 'aws_vpc_endpoint',
    factory: 'AwsBinding.vpcEndpoint',
    noun: 'VPC endpoint',
    groupField: 'security_group_ids',
    fixedAddress: false,
    problems: (r) => {
      const endpointType = (r as VpcEndpoint).vpcEndpointTypeInput;
      if (endpointType === undefined || Token.isUnresolved(endpointType) || endpointType === 'Interface') {
        return endpointType === undefined
          ? ['is a gateway endpoint (vpc_endpoint_type defaults to "Gateway"), which is a route-table target and takes no security groups. Bind an interface endpoint (vpcEndpointType: "Interface"), or use Peer.awsPrefixList() with the gateway service\'s prefix list.']
          : [];
      }
      return [`is a ${JSON.stringify(endpointType)} endpoint, which takes no security groups; only interface endpoints do. Bind an interface endpoint (vpcEndpointType: "Interface")${endpointType === 'Gateway' ? ', or use Peer.awsPrefixList() with the gateway service\'s prefix list' : ''}.`];
    },
    groupList: flatList<VpcEndpoint>((r) => r.securityGroupIdsInput, (r, ids) => { r.securityGroupIds = ids; }),
  },
  {
    type: 'aws_efs_mount_target',
    factory: 'AwsBinding.efsMountTarget',
    noun: 'EFS mount target',
    groupField: 'security_groups',
    fixedAddress: false,
    apiMaxGroups: 5,
    problems: () => [],
    groupList: flatList<EfsMountTarget>((r) => r.securityGroupsInput, (r, ids) => { r.securityGroups = ids; }),
  },
  {
    type: 'aws_opensearch_domain',
    factory: 'AwsBinding.opensearchDomain',
    noun: 'OpenSearch domain',
    groupField: 'vpc_options.security_group_ids',
    fixedAddress: false,
    problems: (r) => needsBlock((r as OpensearchDomain).vpcOptionsInput !== undefined,
      'has no vpc_options, so it is a public domain and takes no security groups. Give it vpcOptions: { subnetIds: [...] }.'),
    groupList: flatList<OpensearchDomain>((r) => r.vpcOptions.securityGroupIdsInput, (r, ids) => { r.vpcOptions.securityGroupIds = ids; }),
  },
  {
    type: 'aws_msk_cluster',
    factory: 'AwsBinding.mskCluster',
    noun: 'MSK cluster',
    groupField: 'broker_node_group_info.security_groups',
    fixedAddress: false,
    problems: () => [],
    replacement: () => 'is an MSK cluster, whose broker_node_group_info (security_groups included) forces replacement: binding it, and every later change of its segments (joining or leaving one, a segment renamed without a stableId), replaces the cluster and its brokers. Keep its segments stable, or give the brokers a group of your own and allow flows to it outside this library.',
    groupList: flatList<MskCluster>((r) => r.brokerNodeGroupInfo.securityGroupsInput, (r, ids) => { r.brokerNodeGroupInfo.securityGroups = ids; }),
  },
];

const KINDS_BY_TYPE = new Map(KINDS.map((kind) => [kind.type, kind]));

/** The kind of a Terraform resource type a workload can be bound to, if the library supports it. */
export function awsBoundKind(type: string): AwsBoundKind | undefined {
  return KINDS_BY_TYPE.get(type);
}

/** Every supported Terraform resource type, in the order the README lists them. */
export function supportedAwsTypes(): string[] {
  return KINDS.map((kind) => kind.type);
}

/** The kind of the resource a workload is bound to, if it is an AWS binding the library supports. */
export function boundKindOf(workload: Workload): AwsBoundKind | undefined {
  const type = workload.resource?.terraformResourceType;
  return type === undefined ? undefined : awsBoundKind(type);
}

/** The EC2 instance a workload is bound to, if its binding says it is one. */
export function boundInstance(workload: Workload): Instance | undefined {
  const resource = workload.resource;
  return resource?.terraformResourceType === AWS_INSTANCE ? resource as Instance : undefined;
}

/** The elastic network interface a workload is bound to, if its binding says it is one. */
export function boundNetworkInterface(workload: Workload): NetworkInterface | undefined {
  const resource = workload.resource;
  return resource?.terraformResourceType === AWS_NETWORK_INTERFACE ? resource as NetworkInterface : undefined;
}
