import { TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { Segment } from '../segment';
import { Workload } from '../workload';
import { AwsBinding, AwsBindingOptions } from './binding';
import { awsBoundKind } from './bound-resource';

/** Properties of a workload made by an {@link AwsWorkload} helper. */
export interface AwsWorkloadProps {
  /**
   * Labels of the workload (key to one value); segments select workloads by labels.
   * @default - no labels
   */
  readonly labels?: { [key: string]: string };

  /**
   * Segments the workload belongs to explicitly, in addition to those whose selector matches it.
   * @default - only segments whose selector matches the labels
   */
  readonly segments?: Segment[];

  /**
   * Addresses of the workload, for rules other platforms or VPCs render (`instance.privateIp`).
   * @default - none besides `subnetCidrs`
   */
  readonly addresses?: string[];

  /**
   * The CIDRs of the subnets a resource without a fixed address runs in (see `AwsBindingOptions.subnetCidrs`).
   * @default - none
   */
  readonly subnetCidrs?: string[];

  /**
   * A name that identifies the workload in the resources it renders, in place of its construct path
   * (see `WorkloadProps.stableId`).
   * @default - the construct path
   */
  readonly stableId?: string;
}

/**
 * Workloads for AWS resources, one helper per kind of resource, as aws-cdk users reach for
 * `Connections`: `AwsWorkload.fromDatabase(this, 'Orders', db, { labels: { tier: 'db' } })`. Each
 * returns an ordinary {@link Workload} bound with the matching {@link AwsBinding} factory; a
 * resource of another type fails the synth with the list of supported types.
 */
export class AwsWorkload {
  /**
   * An EC2 instance.
   * @param scope the workload's scope
   * @param id the workload's id
   * @param instance the `aws_instance`
   * @param props labels, segments and addresses
   */
  public static fromInstance(scope: Construct, id: string, instance: TerraformResource, props: AwsWorkloadProps = {}): Workload {
    return workload(scope, id, AwsBinding.instance(instance), props);
  }

  /**
   * An elastic network interface.
   * @param scope the workload's scope
   * @param id the workload's id
   * @param networkInterface the `aws_network_interface`
   * @param props labels, segments and addresses
   */
  public static fromNetworkInterface(scope: Construct, id: string, networkInterface: TerraformResource, props: AwsWorkloadProps = {}): Workload {
    return workload(scope, id, AwsBinding.networkInterface(networkInterface), props);
  }

  /**
   * The instances an Auto Scaling group or an EKS managed node group launches from a launch template.
   * @param scope the workload's scope
   * @param id the workload's id
   * @param launchTemplate the `aws_launch_template`
   * @param props labels, segments and the subnets the instances run in
   */
  public static fromLaunchTemplate(scope: Construct, id: string, launchTemplate: TerraformResource, props: AwsWorkloadProps = {}): Workload {
    return workload(scope, id, AwsBinding.launchTemplate(launchTemplate, options(props)), props);
  }

  /**
   * A database: an RDS DB instance (`aws_db_instance`) or an RDS/Aurora cluster (`aws_rds_cluster`).
   * @param scope the workload's scope
   * @param id the workload's id
   * @param database the DB instance or cluster
   * @param props labels, segments and the subnets of its DB subnet group
   */
  public static fromDatabase(scope: Construct, id: string, database: TerraformResource, props: AwsWorkloadProps = {}): Workload {
    const binding = typeOf(database) === 'aws_rds_cluster' ? AwsBinding.rdsCluster(database, options(props)) : AwsBinding.dbInstance(database, options(props));
    return workload(scope, id, binding, props);
  }

  /**
   * A cache: an ElastiCache replication group or cluster.
   * @param scope the workload's scope
   * @param id the workload's id
   * @param cache the `aws_elasticache_replication_group` or `aws_elasticache_cluster`
   * @param props labels, segments and the subnets of its cache subnet group
   */
  public static fromCache(scope: Construct, id: string, cache: TerraformResource, props: AwsWorkloadProps = {}): Workload {
    const binding = typeOf(cache) === 'aws_elasticache_cluster'
      ? AwsBinding.elasticacheCluster(cache, options(props))
      : AwsBinding.elasticacheReplicationGroup(cache, options(props));
    return workload(scope, id, binding, props);
  }

  /**
   * An application or network load balancer.
   * @param scope the workload's scope
   * @param id the workload's id
   * @param loadBalancer the `aws_lb`
   * @param props labels, segments and the subnets its nodes run in
   */
  public static fromLoadBalancer(scope: Construct, id: string, loadBalancer: TerraformResource, props: AwsWorkloadProps = {}): Workload {
    return workload(scope, id, AwsBinding.loadBalancer(loadBalancer, options(props)), props);
  }

  /**
   * A Lambda function attached to the VPC.
   * @param scope the workload's scope
   * @param id the workload's id
   * @param lambdaFunction the `aws_lambda_function`
   * @param props labels, segments and the subnets of its `vpc_config`
   */
  public static fromLambdaFunction(scope: Construct, id: string, lambdaFunction: TerraformResource, props: AwsWorkloadProps = {}): Workload {
    return workload(scope, id, AwsBinding.lambdaFunction(lambdaFunction, options(props)), props);
  }

  /**
   * The tasks of an ECS service in the awsvpc network mode.
   * @param scope the workload's scope
   * @param id the workload's id
   * @param ecsService the `aws_ecs_service`
   * @param props labels, segments and the subnets of its `network_configuration`
   */
  public static fromEcsService(scope: Construct, id: string, ecsService: TerraformResource, props: AwsWorkloadProps = {}): Workload {
    return workload(scope, id, AwsBinding.ecsService(ecsService, options(props)), props);
  }

  /**
   * The control plane of an EKS cluster.
   * @param scope the workload's scope
   * @param id the workload's id
   * @param eksCluster the `aws_eks_cluster`
   * @param props labels, segments and the subnets of its `vpc_config`
   */
  public static fromEksCluster(scope: Construct, id: string, eksCluster: TerraformResource, props: AwsWorkloadProps = {}): Workload {
    return workload(scope, id, AwsBinding.eksCluster(eksCluster, options(props)), props);
  }

  /**
   * An interface VPC endpoint.
   * @param scope the workload's scope
   * @param id the workload's id
   * @param vpcEndpoint the `aws_vpc_endpoint` (`vpc_endpoint_type = "Interface"`)
   * @param props labels, segments and the subnets of its interfaces
   */
  public static fromVpcEndpoint(scope: Construct, id: string, vpcEndpoint: TerraformResource, props: AwsWorkloadProps = {}): Workload {
    return workload(scope, id, AwsBinding.vpcEndpoint(vpcEndpoint, options(props)), props);
  }

  /**
   * An EFS mount target.
   * @param scope the workload's scope
   * @param id the workload's id
   * @param mountTarget the `aws_efs_mount_target`
   * @param props labels, segments and its subnet
   */
  public static fromEfsMountTarget(scope: Construct, id: string, mountTarget: TerraformResource, props: AwsWorkloadProps = {}): Workload {
    return workload(scope, id, AwsBinding.efsMountTarget(mountTarget, options(props)), props);
  }

  /**
   * An OpenSearch domain in a VPC.
   * @param scope the workload's scope
   * @param id the workload's id
   * @param domain the `aws_opensearch_domain`
   * @param props labels, segments and the subnets of its `vpc_options`
   */
  public static fromOpensearchDomain(scope: Construct, id: string, domain: TerraformResource, props: AwsWorkloadProps = {}): Workload {
    return workload(scope, id, AwsBinding.opensearchDomain(domain, options(props)), props);
  }

  /**
   * The brokers of an MSK cluster.
   * @param scope the workload's scope
   * @param id the workload's id
   * @param mskCluster the `aws_msk_cluster`
   * @param props labels, segments and the subnets of its brokers
   */
  public static fromMskCluster(scope: Construct, id: string, mskCluster: TerraformResource, props: AwsWorkloadProps = {}): Workload {
    return workload(scope, id, AwsBinding.mskCluster(mskCluster, options(props)), props);
  }

  /**
   * Any supported resource, by its Terraform type; another type fails the synth with the list of supported ones.
   * @param scope the workload's scope
   * @param id the workload's id
   * @param resource the resource
   * @param props labels, segments, addresses and subnets
   */
  public static fromResource(scope: Construct, id: string, resource: TerraformResource, props: AwsWorkloadProps = {}): Workload {
    return workload(scope, id, AwsBinding.fromResource(resource, options(props)), props);
  }

  private constructor() {}
}

function options(props: AwsWorkloadProps): AwsBindingOptions {
  return { subnetCidrs: props.subnetCidrs };
}

function typeOf(resource: TerraformResource): string | undefined {
  const type = resource?.terraformResourceType;
  return typeof type === 'string' && awsBoundKind(type) ? type : undefined;
}

function workload(scope: Construct, id: string, binding: AwsBinding, props: AwsWorkloadProps): Workload {
  return new Workload(scope, id, { binding, labels: props.labels, segments: props.segments, addresses: props.addresses, stableId: props.stableId });
}
