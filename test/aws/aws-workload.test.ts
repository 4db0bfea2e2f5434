import { ElasticacheCluster } from '@cdktf/provider-aws/lib/elasticache-cluster';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { NetworkInterface } from '@cdktf/provider-aws/lib/network-interface';
import { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster';
import { AwsEnforcement, AwsWorkload, Port, Segment, Workload } from '../../lib';
import { loadTerraformStacks } from '../../lib/verify';
import '../../lib/verify/jest';
import { awsStack, instance, newApp, resourcesOf, synthApp } from '../helpers';

describe('AwsWorkload helpers', () => {
  test('GIVEN an Aurora cluster, a cache cluster and a Lambda function WHEN made workloads by the helpers THEN each is bound with the factory of its type, and the flows between them hold', () => {
    const app = newApp();
    const stack = awsStack(app, 'shop');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
    const api = new Segment(stack, 'Api', { selector: { tier: 'api' } });
    const data = new Segment(stack, 'Data', { selector: { tier: 'data' } });
    data.allowFrom(api, Port.POSTGRES, Port.tcp(6379));
    const fn = new LambdaFunction(stack, 'fn', { functionName: 'f', role: 'arn:aws:iam::123456789012:role/f', vpcConfig: { subnetIds: ['subnet-1'], securityGroupIds: [] } });
    const db = new RdsCluster(stack, 'db', { engine: 'aurora-postgresql' });
    const cache = new ElasticacheCluster(stack, 'cache', { clusterId: 'c', engine: 'redis', nodeType: 'cache.t3.micro', numCacheNodes: 1 });

    const fnWorkload = AwsWorkload.fromLambdaFunction(stack, 'Fn', fn, { labels: { tier: 'api' }, subnetCidrs: ['10.0.1.0/24'] });
    const dbWorkload = AwsWorkload.fromDatabase(stack, 'Orders', db, { labels: { tier: 'data' } });
    const cacheWorkload = AwsWorkload.fromCache(stack, 'Sessions', cache, { segments: [data] });

    expect(Workload.isWorkload(dbWorkload)).toBe(true);
    expect([fnWorkload, dbWorkload, cacheWorkload].map((w) => w.binding?.factory)).toEqual(['AwsBinding.lambdaFunction', 'AwsBinding.rdsCluster', 'AwsBinding.elasticacheCluster']);
    expect(fnWorkload.addressCidrs).toEqual(['10.0.1.0/24']);
    const out = synthApp(app).shop;
    expect(resourcesOf(out, 'aws_rds_cluster').db.vpc_security_group_ids).toHaveLength(1);
    expect(resourcesOf(out, 'aws_elasticache_cluster').cache.security_group_ids).toEqual(resourcesOf(out, 'aws_rds_cluster').db.vpc_security_group_ids);
    const model = loadTerraformStacks({ shop: out.json });
    expect(model).toAllowFlow('shop/Fn', 'shop/Orders', Port.POSTGRES);
    expect(model).toAllowFlow('shop/Fn', 'shop/Sessions', Port.tcp(6379));
    expect(model).toDenyFlow('shop/Orders', 'shop/Fn', Port.POSTGRES);
  });

  test('GIVEN a resource of another type WHEN given to fromDatabase THEN synthesis fails naming the types and listing the bindings', () => {
    const app = newApp();
    const stack = awsStack(app, 'shop');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
    const eni = new NetworkInterface(stack, 'eni', { subnetId: 'subnet-1' });
    AwsWorkload.fromDatabase(stack, 'Db', eni, { labels: { tier: 'db' } });
    AwsWorkload.fromInstance(stack, 'Vm', instance(stack, 'vm'), { labels: { tier: 'db' } });
    expect(() => synthApp(app)).toThrow(/Workload 'shop\/Db' is bound with AwsBinding\.dbInstance\(\.\.\.\) to 'shop\/eni' of type aws_network_interface, but AwsBinding\.dbInstance binds type aws_db_instance.*AwsBinding\.rdsCluster for aws_rds_cluster/);
  });
});
