import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group';
import { ElasticacheSubnetGroup } from '@cdktf/provider-aws/lib/elasticache-subnet-group';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AwsEnforcement, AwsWorkload, Peer, Port, Segment } from '../../lib';

/** The partner network that calls the shop's webhook port. */
export const PARTNER_CIDR = '203.0.113.0/24';
/** The admin security group the platform team owns (outside this program). */
export const ADMIN_GROUP = 'sg-0a1b2c3d4e5f60718';
/** The port of the shop's API containers. */
export const API_PORT = 8080;
/** The partner webhook port on the load balancer. */
export const WEBHOOK_PORT = 8443;

/**
 * A container shop on AWS, as most shops are built: an application load balancer in front of an
 * ECS service, a PostgreSQL database and a Redis cache behind it, an SQS interface endpoint, and
 * background workers in an Auto Scaling group launched from a launch template. A partner network
 * calls a webhook on the load balancer, and the platform team's admin security group reaches the
 * workers over SSH and the database. Every resource is default-deny in both directions.
 */
export class AwsShopStack extends TerraformStack {
  /** The load balancer. */
  public readonly edge: Segment;
  /** The ECS service's tasks. */
  public readonly api: Segment;
  /** The background workers (the Auto Scaling group's instances). */
  public readonly workers: Segment;
  /** The database. */
  public readonly db: Segment;
  /** The cache. */
  public readonly cache: Segment;
  /** The SQS interface endpoint. */
  public readonly queue: Segment;

  public constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: 'eu-west-1' });
    const vpc = new Vpc(this, 'Vpc', { cidrBlock: '10.30.0.0/16', tags: { Name: 'aws-shop' } });
    new AwsEnforcement(this, 'Aws', { vpcId: vpc.id });

    const subnet = (name: string, cidr: string, zone: string) =>
      new Subnet(this, `${name}-subnet`, { vpcId: vpc.id, cidrBlock: cidr, availabilityZone: zone, tags: { Name: `shop-${name}` } });
    const publicA = subnet('public-a', '10.30.0.0/24', 'eu-west-1a');
    const publicB = subnet('public-b', '10.30.1.0/24', 'eu-west-1b');
    const appA = subnet('app-a', '10.30.10.0/24', 'eu-west-1a');
    const appB = subnet('app-b', '10.30.11.0/24', 'eu-west-1b');
    const dataA = subnet('data-a', '10.30.20.0/24', 'eu-west-1a');
    const dataB = subnet('data-b', '10.30.21.0/24', 'eu-west-1b');
    const appCidrs = ['10.30.10.0/24', '10.30.11.0/24'];

    this.edge = new Segment(this, 'Edge', { selector: { app: 'store', tier: 'edge' } });
    this.api = new Segment(this, 'Api', { selector: { app: 'store', tier: 'api' } });
    this.workers = new Segment(this, 'Workers', { selector: { app: 'store', tier: 'workers' } });
    this.db = new Segment(this, 'Db', { selector: { app: 'store', tier: 'db' } });
    this.cache = new Segment(this, 'Cache', { selector: { app: 'store', tier: 'cache' } });
    this.queue = new Segment(this, 'Queue', { selector: { app: 'store', tier: 'queue' } });

    this.edge.allowFrom(Peer.anyIpv4(), Port.HTTPS);
    this.edge.allowFrom(Peer.ipv4(PARTNER_CIDR), Port.tcp(WEBHOOK_PORT));
    this.api.allowFrom(this.edge, Port.tcp(API_PORT));
    this.db.allowFrom(this.api, Port.POSTGRES);
    this.db.allowFrom(this.workers, Port.POSTGRES);
    this.cache.allowFrom(this.api, Port.tcp(6379));
    this.queue.allowFrom(this.api, Port.HTTPS);
    this.queue.allowFrom(this.workers, Port.HTTPS);
    const admin = Peer.awsSecurityGroup(ADMIN_GROUP);
    this.workers.allowFrom(admin, Port.SSH);
    this.db.allowFrom(admin, Port.POSTGRES);

    const alb = new Lb(this, 'alb', { name: 'shop', loadBalancerType: 'application', subnets: [publicA.id, publicB.id] });
    AwsWorkload.fromLoadBalancer(this, 'LoadBalancer', alb, { labels: { app: 'store', tier: 'edge' }, subnetCidrs: ['10.30.0.0/24', '10.30.1.0/24'] });

    const cluster = new EcsCluster(this, 'cluster', { name: 'shop' });
    const service = new EcsService(this, 'api-service', {
      name: 'shop-api',
      cluster: cluster.id,
      taskDefinition: 'shop-api:1',
      desiredCount: 2,
      launchType: 'FARGATE',
      networkConfiguration: { subnets: [appA.id, appB.id] },
    });
    AwsWorkload.fromEcsService(this, 'ApiService', service, { labels: { app: 'store', tier: 'api' }, subnetCidrs: appCidrs });

    const template = new LaunchTemplate(this, 'worker-template', { namePrefix: 'shop-worker-', imageId: 'ami-0abcdef1234567890', instanceType: 't3.small' });
    new AutoscalingGroup(this, 'workers', {
      namePrefix: 'shop-workers-',
      minSize: 1,
      maxSize: 4,
      vpcZoneIdentifier: [appA.id, appB.id],
      launchTemplate: { id: template.id, version: '$Latest' },
    });
    AwsWorkload.fromLaunchTemplate(this, 'WorkerInstances', template, { labels: { app: 'store', tier: 'workers' }, subnetCidrs: appCidrs });

    const dbSubnets = new DbSubnetGroup(this, 'db-subnets', { namePrefix: 'shop-', subnetIds: [dataA.id, dataB.id] });
    const db = new DbInstance(this, 'db', {
      identifierPrefix: 'shop-',
      engine: 'postgres',
      instanceClass: 'db.t4g.micro',
      allocatedStorage: 20,
      dbSubnetGroupName: dbSubnets.name,
      username: 'shop',
      manageMasterUserPassword: true,
    });
    AwsWorkload.fromDatabase(this, 'Database', db, { labels: { app: 'store', tier: 'db' } });

    const cacheSubnets = new ElasticacheSubnetGroup(this, 'cache-subnets', { name: 'shop-cache', subnetIds: [dataA.id, dataB.id] });
    const cache = new ElasticacheReplicationGroup(this, 'cache', {
      replicationGroupId: 'shop-cache',
      description: 'shop sessions',
      engine: 'redis',
      nodeType: 'cache.t4g.micro',
      numCacheClusters: 2,
      subnetGroupName: cacheSubnets.name,
    });
    AwsWorkload.fromCache(this, 'SessionCache', cache, { labels: { app: 'store', tier: 'cache' } });

    const sqs = new VpcEndpoint(this, 'sqs-endpoint', {
      vpcId: vpc.id,
      serviceName: 'com.amazonaws.eu-west-1.sqs',
      vpcEndpointType: 'Interface',
      subnetIds: [appA.id, appB.id],
      privateDnsEnabled: true,
    });
    AwsWorkload.fromVpcEndpoint(this, 'QueueEndpoint', sqs, { labels: { app: 'store', tier: 'queue' } });
  }
}

/** Adds the example's stack to an app. */
export function awsShop(app: App): AwsShopStack {
  return new AwsShopStack(app, 'aws-shop');
}
