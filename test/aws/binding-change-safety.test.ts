import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { MskCluster } from '@cdktf/provider-aws/lib/msk-cluster';
import { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster';
import { AwsBinding, AwsEnforcement, Peer, Port, Segment, Workload } from '../../lib';
import { changeImpact, loadTerraformStacks } from '../../lib/verify';
import { awsStack, newApp, synthApp } from '../helpers';

/** The load balancer (and an MSK cluster) of a shop, bound or not, as Terraform JSON. */
function shop(bound: boolean, loadBalancerType: string, extraSegment = false) {
  const app = newApp();
  const stack = awsStack(app, 'shop');
  new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
  const edge = new Segment(stack, 'Edge', { selector: { tier: 'edge' } });
  edge.allowFrom(Peer.anyIpv4(), Port.HTTPS);
  if (extraSegment) new Segment(stack, 'Public', { selector: { tier: 'edge' } }).allowFrom(Peer.anyIpv4(), Port.HTTP);
  const lb = new Lb(stack, 'lb', { name: 'shop', loadBalancerType, subnets: ['subnet-1', 'subnet-2'] });
  const msk = new MskCluster(stack, 'msk', {
    clusterName: 'events',
    kafkaVersion: '3.6.0',
    numberOfBrokerNodes: 3,
    brokerNodeGroupInfo: { clientSubnets: ['subnet-1', 'subnet-2', 'subnet-3'], instanceType: 'kafka.m5.large', securityGroups: [] },
  });
  if (bound) {
    new Workload(stack, 'Lb', { binding: AwsBinding.loadBalancer(lb), labels: { tier: 'edge' } });
    new Workload(stack, 'Msk', { binding: AwsBinding.mskCluster(msk), labels: { tier: 'edge' } });
  }
  const model = loadTerraformStacks({ shop: synthApp(app).shop.json });
  warnings.splice(0, warnings.length, ...stack.node.findAll()
    .flatMap((construct) => construct.node.metadata.filter((entry) => entry.type === '@cdktf/warn').map((entry) => String(entry.data)))
    .filter((warning) => warning.startsWith('[microseg:binding-replaces-resource]')));
  return model;
}

/** The replacement warnings of the latest `shop(...)`. */
const warnings: string[] = [];

function replaced(before: ReturnType<typeof shop>, after: ReturnType<typeof shop>): string[] {
  return changeImpact(before, after).stacks.flatMap((plan) => plan.replaced.map((change) => change.address)).filter((address) => !address.includes('security_group'));
}

describe('what binding an existing resource does to it (the README\'s AWS table)', () => {
  test('GIVEN an existing network load balancer without security groups WHEN bound THEN it is replaced (the provider cannot add groups to an NLB that has none)', () => {
    expect(replaced(shop(false, 'network'), shop(true, 'network'))).toContain('aws_lb.lb');
  });

  test('GIVEN an application load balancer WHEN bound THEN it is updated in place', () => {
    expect(replaced(shop(false, 'application'), shop(true, 'application'))).not.toContain('aws_lb.lb');
  });

  test('GIVEN a bound network load balancer WHEN it joins one more segment THEN its group list changes in place', () => {
    expect(replaced(shop(true, 'network'), shop(true, 'network', true))).not.toContain('aws_lb.lb');
  });

  test('GIVEN an MSK cluster WHEN bound, or when its segments change THEN it is replaced (broker_node_group_info forces replacement)', () => {
    expect(replaced(shop(false, 'network'), shop(true, 'network'))).toContain('aws_msk_cluster.msk');
    expect(replaced(shop(true, 'network'), shop(true, 'network', true))).toContain('aws_msk_cluster.msk');
  });

  test('GIVEN a bound MSK cluster and network load balancer WHEN synthesized THEN each gets a warning with a stable id saying what replaces it; an application load balancer gets none', () => {
    shop(true, 'network');
    expect(warnings).toEqual([
      expect.stringMatching(/^\[microseg:binding-replaces-resource\] Workload 'shop\/Lb' is bound to 'shop\/lb', which is a network load balancer: if it already exists without security groups, the first apply that gives it groups replaces it/),
      expect.stringMatching(/^\[microseg:binding-replaces-resource\] Workload 'shop\/Msk' is bound to 'shop\/msk', which is an MSK cluster, whose broker_node_group_info \(security_groups included\) forces replacement/),
    ]);
    shop(true, 'application');
    expect(warnings.filter((warning) => warning.includes("'shop/Lb'"))).toEqual([]);
  });
});

describe('a database or cache that names no subnet group', () => {
  /** The `[microseg:binding-default-vpc]` warnings of a shop binding `build`'s resources. */
  function defaultVpcWarnings(build: (stack: ReturnType<typeof awsStack>) => Array<[string, AwsBinding]>): string[] {
    const app = newApp();
    const stack = awsStack(app, 'shop');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
    for (const [id, binding] of build(stack)) new Workload(stack, id, { binding, labels: { tier: 'data' } });
    synthApp(app);
    return stack.node.findAll()
      .flatMap((construct) => construct.node.metadata.filter((entry) => entry.type === '@cdktf/warn').map((entry) => String(entry.data)))
      .filter((warning) => warning.startsWith('[microseg:binding-default-vpc]')).sort();
  }

  test('GIVEN an RDS instance, an RDS cluster and an ElastiCache replication group without a subnet group THEN each warns: AWS puts it in the default VPC, whose groups only it takes', () => {
    const found = defaultVpcWarnings((stack) => [
      ['Db', AwsBinding.dbInstance(new DbInstance(stack, 'db', { instanceClass: 'db.t3.micro', engine: 'postgres' }))],
      ['Cluster', AwsBinding.rdsCluster(new RdsCluster(stack, 'cluster', { engine: 'aurora-postgresql' }))],
      ['Cache', AwsBinding.elasticacheReplicationGroup(new ElasticacheReplicationGroup(stack, 'cache', { replicationGroupId: 'cache', description: 'cache' }))],
    ]);
    expect(found).toEqual([
      expect.stringMatching(/^\[microseg:binding-default-vpc\] Workload 'shop\/Cache' is bound to 'shop\/cache', which names no subnet group \(subnet_group_name\), so AWS creates it in the default VPC's default subnet group.*Give it subnetGroupName/),
      expect.stringMatching(/^\[microseg:binding-default-vpc\] Workload 'shop\/Cluster' is bound to 'shop\/cluster', which names no subnet group \(db_subnet_group_name\).*Give it dbSubnetGroupName/),
      expect.stringMatching(/^\[microseg:binding-default-vpc\] Workload 'shop\/Db' is bound to 'shop\/db', which names no subnet group \(db_subnet_group_name\)/),
    ]);
  });

  test('GIVEN a subnet group, or a read replica (which takes its source\'s) THEN no warning', () => {
    expect(defaultVpcWarnings((stack) => [
      ['Db', AwsBinding.dbInstance(new DbInstance(stack, 'db', { instanceClass: 'db.t3.micro', engine: 'postgres', dbSubnetGroupName: 'data' }))],
      ['Replica', AwsBinding.dbInstance(new DbInstance(stack, 'replica', { instanceClass: 'db.t3.micro', replicateSourceDb: 'db-source' }))],
    ])).toEqual([]);
  });
});
