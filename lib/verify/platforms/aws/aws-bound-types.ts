import { JsonObject, blocksAt } from '../../model/terraform-model';

/**
 * Where one AWS resource type that carries security groups keeps them in its Terraform JSON, and
 * which of its arguments hold addresses of its own.
 */
export interface AwsBoundType {
  /** The groups' argument, as a path of block names ending with the list (`['vpc_config', 'security_group_ids']`). */
  readonly groups: readonly string[];
  /** Arguments (block paths as for `groups`) that hold literal addresses of the resource itself. */
  readonly addresses?: ReadonlyArray<readonly string[]>;
  /** The argument holding its one subnet, if it has one. */
  readonly subnet?: string;
  /**
   * A group the platform attaches that the JSON never shows (the cluster security group EKS creates):
   * its name in verdicts. A denial may then be lifted by that group, so it is reported as unknown.
   */
  readonly platformGroup?: string;
}

/**
 * Every AWS resource type a workload can be bound to, with where its groups live. Instances and
 * network interfaces are read by `aws-facts.ts` itself (primary interfaces, private IPs).
 */
export const AWS_BOUND_TYPES: Readonly<Record<string, AwsBoundType>> = {
  aws_launch_template: { groups: ['vpc_security_group_ids'] }, // network_interfaces: see launchTemplateGroups
  aws_db_instance: { groups: ['vpc_security_group_ids'] },
  aws_rds_cluster: { groups: ['vpc_security_group_ids'] },
  aws_lb: { groups: ['security_groups'], addresses: [['subnet_mapping', 'private_ipv4_address'], ['subnet_mapping', 'ipv6_address']] },
  aws_lambda_function: { groups: ['vpc_config', 'security_group_ids'] },
  aws_ecs_service: { groups: ['network_configuration', 'security_groups'] },
  aws_elasticache_replication_group: { groups: ['security_group_ids'] },
  aws_elasticache_cluster: { groups: ['security_group_ids'] },
  aws_eks_cluster: { groups: ['vpc_config', 'security_group_ids'], platformGroup: 'the EKS cluster security group' },
  aws_vpc_endpoint: { groups: ['security_group_ids'] },
  aws_efs_mount_target: { groups: ['security_groups'], addresses: [['ip_address']], subnet: 'subnet_id' },
  aws_opensearch_domain: { groups: ['vpc_options', 'security_group_ids'] },
  aws_msk_cluster: { groups: ['broker_node_group_info', 'security_groups'] },
};

/** The raw values at a block path of a resource body (every block of each level), undefined when the path is absent. */
export function valuesAt(body: JsonObject, path: readonly string[]): unknown[] | undefined {
  let blocks: JsonObject[] = [body];
  for (const name of path.slice(0, -1)) blocks = blocks.flatMap((block) => blocksAt(block, name));
  const last = path[path.length - 1];
  const present = blocks.filter((block) => block[last] !== undefined);
  return present.length === 0 ? undefined : present.map((block) => block[last]);
}

/**
 * The group list of a launch template's first interface: with `network_interfaces` blocks EC2
 * takes the groups there (the library writes them to every interface), else the top-level list.
 */
export function launchTemplateGroups(body: JsonObject): unknown[] | undefined {
  const interfaces = blocksAt(body, 'network_interfaces');
  if (interfaces.length === 0) return valuesAt(body, ['vpc_security_group_ids']);
  const primary = interfaces.find((block) => Number(block.device_index ?? 0) === 0) ?? interfaces[0];
  return primary.security_groups === undefined ? undefined : [primary.security_groups];
}
