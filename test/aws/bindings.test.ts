import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { EfsMountTarget } from '@cdktf/provider-aws/lib/efs-mount-target';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { ElasticacheCluster } from '@cdktf/provider-aws/lib/elasticache-cluster';
import { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { MskCluster } from '@cdktf/provider-aws/lib/msk-cluster';
import { OpensearchDomain } from '@cdktf/provider-aws/lib/opensearch-domain';
import { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { TerraformResource, TerraformStack } from 'cdktf';
import { AllowFlow, AwsBinding, AwsBindingOptions, AwsEnforcement, AzureBinding, Peer, Port, Segment, Workload } from '../../lib';
import { supportedAwsTypes } from '../../lib/aws/bound-resource';
import { evaluate, loadTerraformStacks } from '../../lib/verify';
import '../../lib/verify/jest';
import { awsAndAzureStacks } from '../azure/azure-fixtures';
import { awsStack, instance, newApp, resourcesOf, synthApp } from '../helpers';

/** A group the user set on the resource themselves. */
const USER_GROUP = 'sg-0aaaaaaaaaaaaaaaa';

/** One binding under test: how to make its resource (with the user's group, or without), the factory, and where its groups land. */
interface BindingCase {
  readonly type: string;
  readonly make: (stack: TerraformStack, userGroups: string[] | undefined) => TerraformResource;
  readonly bind: (resource: TerraformResource, options?: AwsBindingOptions) => AwsBinding;
  readonly groups: string[];
}

const CASES: BindingCase[] = [
  {
    type: 'aws_launch_template',
    groups: ['vpc_security_group_ids'],
    bind: AwsBinding.launchTemplate,
    make: (stack, groups) => new LaunchTemplate(stack, 'res', { namePrefix: 'api-', vpcSecurityGroupIds: groups }),
  },
  {
    type: 'aws_db_instance',
    groups: ['vpc_security_group_ids'],
    bind: AwsBinding.dbInstance,
    make: (stack, groups) => new DbInstance(stack, 'res', { instanceClass: 'db.t3.micro', engine: 'postgres', allocatedStorage: 20, vpcSecurityGroupIds: groups }),
  },
  {
    type: 'aws_rds_cluster',
    groups: ['vpc_security_group_ids'],
    bind: AwsBinding.rdsCluster,
    make: (stack, groups) => new RdsCluster(stack, 'res', { engine: 'aurora-postgresql', vpcSecurityGroupIds: groups }),
  },
  {
    type: 'aws_lb',
    groups: ['security_groups'],
    bind: AwsBinding.loadBalancer,
    make: (stack, groups) => new Lb(stack, 'res', { loadBalancerType: 'application', subnets: ['subnet-1', 'subnet-2'], securityGroups: groups }),
  },
  {
    type: 'aws_lambda_function',
    groups: ['vpc_config', 'security_group_ids'],
    bind: AwsBinding.lambdaFunction,
    make: (stack, groups) => new LambdaFunction(stack, 'res', { functionName: 'f', role: 'arn:aws:iam::123456789012:role/f', vpcConfig: { subnetIds: ['subnet-1'], securityGroupIds: groups ?? [] } }),
  },
  {
    type: 'aws_ecs_service',
    groups: ['network_configuration', 'security_groups'],
    bind: AwsBinding.ecsService,
    make: (stack, groups) => new EcsService(stack, 'res', { name: 'api', networkConfiguration: { subnets: ['subnet-1'], securityGroups: groups } }),
  },
  {
    type: 'aws_elasticache_replication_group',
    groups: ['security_group_ids'],
    bind: AwsBinding.elasticacheReplicationGroup,
    make: (stack, groups) => new ElasticacheReplicationGroup(stack, 'res', { replicationGroupId: 'cache', description: 'cache', securityGroupIds: groups }),
  },
  {
    type: 'aws_elasticache_cluster',
    groups: ['security_group_ids'],
    bind: AwsBinding.elasticacheCluster,
    make: (stack, groups) => new ElasticacheCluster(stack, 'res', { clusterId: 'cache', engine: 'redis', nodeType: 'cache.t3.micro', numCacheNodes: 1, securityGroupIds: groups }),
  },
  {
    type: 'aws_eks_cluster',
    groups: ['vpc_config', 'security_group_ids'],
    bind: AwsBinding.eksCluster,
    make: (stack, groups) => new EksCluster(stack, 'res', { name: 'k8s', roleArn: 'arn:aws:iam::123456789012:role/eks', vpcConfig: { subnetIds: ['subnet-1', 'subnet-2'], securityGroupIds: groups } }),
  },
  {
    type: 'aws_vpc_endpoint',
    groups: ['security_group_ids'],
    bind: AwsBinding.vpcEndpoint,
    make: (stack, groups) => new VpcEndpoint(stack, 'res', { vpcId: 'vpc-0123', serviceName: 'com.amazonaws.eu-west-1.sqs', vpcEndpointType: 'Interface', securityGroupIds: groups }),
  },
  {
    type: 'aws_efs_mount_target',
    groups: ['security_groups'],
    bind: AwsBinding.efsMountTarget,
    make: (stack, groups) => new EfsMountTarget(stack, 'res', { fileSystemId: 'fs-0123', subnetId: 'subnet-1', securityGroups: groups }),
  },
  {
    type: 'aws_opensearch_domain',
    groups: ['vpc_options', 'security_group_ids'],
    bind: AwsBinding.opensearchDomain,
    make: (stack, groups) => new OpensearchDomain(stack, 'res', { domainName: 'search', vpcOptions: { subnetIds: ['subnet-1'], securityGroupIds: groups } }),
  },
  {
    type: 'aws_msk_cluster',
    groups: ['broker_node_group_info', 'security_groups'],
    bind: AwsBinding.mskCluster,
    make: (stack, groups) => new MskCluster(stack, 'res', {
      clusterName: 'events',
      kafkaVersion: '3.6.0',
      numberOfBrokerNodes: 3,
      brokerNodeGroupInfo: { clientSubnets: ['subnet-1', 'subnet-2', 'subnet-3'], instanceType: 'kafka.m5.large', securityGroups: groups ?? [] },
    }),
  },
];

/** The value at a block path of a resource body (a single block is an object in cdktf JSON). */
function at(body: any, path: string[]): any {
  return path.reduce((value, name) => (Array.isArray(value) ? value[0] : value)?.[name], body);
}

/** The reference to the enforcement's default-deny group for workloads in no segment. */
function unsegmentedGroup(out: { json: any }): string {
  const names = Object.entries<any>(resourcesOf(out as any, 'aws_security_group')).filter(([, g]) => g.name_prefix === 'microseg-unsegmented-').map(([name]) => name);
  expect(names).toHaveLength(1);
  return `\${aws_security_group.${names[0]}.id}`;
}

/** An estate: the bound resource in segment Store (tier store), an instance in segment Api allowed to it on 5432. */
function estate(testCase: BindingCase, userGroups: string[] | undefined) {
  const app = newApp();
  const stack = awsStack(app, 'shop');
  new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
  const api = new Segment(stack, 'Api', { selector: { tier: 'api' } });
  const store = new Segment(stack, 'Store', { selector: { tier: 'store' } });
  store.allowFrom(api, Port.POSTGRES);
  new Workload(stack, 'ApiVm', { binding: AwsBinding.instance(instance(stack, 'api')), labels: { tier: 'api' } });
  const resource = testCase.make(stack, userGroups);
  new Workload(stack, 'Bound', { binding: testCase.bind(resource), labels: { tier: 'store' } });
  const out = synthApp(app).shop;
  const groupName = Object.entries<any>(resourcesOf(out, 'aws_security_group')).find(([, g]) => g.tags['microseg:segment'] === 'shop/Store')![0];
  return { out, body: resourcesOf(out, testCase.type).res, storeGroup: `\${aws_security_group.${groupName}.id}` };
}

describe('AWS bindings of every resource that carries security groups', () => {
  test('GIVEN the table of cases THEN it covers every supported type but the instance and the network interface', () => {
    expect(CASES.map((c) => c.type).sort()).toEqual(supportedAwsTypes().filter((t) => t !== 'aws_instance' && t !== 'aws_network_interface').sort());
  });

  describe.each(CASES.map((c) => [c.type, c] as const))('%s', (_type, testCase) => {
    test('GIVEN a group of the user\'s own WHEN bound to a segment THEN its own list holds the user\'s group followed by the segment\'s, and no attachment resource', () => {
      const { out, body, storeGroup } = estate(testCase, [USER_GROUP]);
      expect(at(body, testCase.groups)).toEqual([USER_GROUP, storeGroup]);
      expect(resourcesOf(out, 'aws_network_interface_sg_attachment')).toEqual({});
    });

    test('GIVEN no group of the user\'s WHEN bound THEN the list is the segment\'s group only', () => {
      const { body, storeGroup } = estate(testCase, undefined);
      expect(at(body, testCase.groups)).toEqual([storeGroup]);
    });

    test('GIVEN the flow Api -> Store on 5432 WHEN evaluated THEN the flow passes, other ports and other sources do not', () => {
      const { out } = estate(testCase, undefined);
      const model = loadTerraformStacks({ shop: out.json });
      expect(model).toAllowFlow('shop/ApiVm', 'shop/Bound', Port.POSTGRES);
      expect(model).toAllowFlow('shop/Api', 'shop/Store', Port.POSTGRES);
      if (testCase.type === 'aws_eks_cluster') {
        // EKS also attaches the cluster security group it creates, which the JSON does not show
        const verdict = evaluate(model, { from: '10.9.9.9', to: 'shop/Bound', port: 'tcp/443' });
        expect(verdict.allowed).toBe(false);
        expect(verdict.denied).toBe(false);
        expect(JSON.stringify(verdict.layers)).toContain('the EKS cluster security group');
      } else {
        expect(model).toDenyFlow('shop/ApiVm', 'shop/Bound', Port.SSH);
        expect(model).toDenyFlow(Peer.anyIpv4(), 'shop/Bound', Port.POSTGRES);
        expect(model).toDenyFlow('shop/Bound', 'shop/ApiVm', Port.POSTGRES);
      }
    });
  });

  test('GIVEN a launch template with network interfaces WHEN bound THEN every interface gets the segment\'s group after its own, and the top-level list stays unset', () => {
    const app = newApp();
    const stack = awsStack(app, 'shop');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    web.allowFrom(Peer.ipv4('10.1.0.0/16'), Port.HTTPS);
    const template = new LaunchTemplate(stack, 'res', {
      networkInterfaces: [{ deviceIndex: 0, subnetId: 'subnet-1' }, { deviceIndex: 1, subnetId: 'subnet-2', securityGroups: [USER_GROUP] }],
    });
    new Workload(stack, 'Asg', { binding: AwsBinding.launchTemplate(template), labels: { tier: 'web' } });
    const out = synthApp(app).shop;
    const body = resourcesOf(out, 'aws_launch_template').res;
    const group = `\${aws_security_group.${Object.keys(resourcesOf(out, 'aws_security_group'))[0]}.id}`;
    expect(body.vpc_security_group_ids).toBeUndefined();
    expect(body.network_interfaces).toEqual([
      { device_index: 0, subnet_id: 'subnet-1', security_groups: [group] },
      { device_index: 1, subnet_id: 'subnet-2', security_groups: [USER_GROUP, group] },
    ]);
    const model = loadTerraformStacks({ shop: out.json });
    expect(model).toAllowFlow('10.1.2.3', 'shop/Asg', Port.HTTPS);
    expect(model).toDenyFlow('10.2.2.3', 'shop/Asg', Port.HTTPS);
  });

  test('GIVEN a bound resource in no segment WHEN synthesized THEN it carries the empty default-deny group, never nothing', () => {
    const app = newApp();
    const stack = awsStack(app, 'shop');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
    const fn = CASES.find((c) => c.type === 'aws_lambda_function')!;
    new Workload(stack, 'Fn', { binding: fn.bind(fn.make(stack, undefined)), labels: { tier: 'none' } });
    const out = synthApp(app).shop;
    expect(resourcesOf(out, 'aws_lambda_function').res.vpc_config.security_group_ids).toEqual([unsegmentedGroup(out)]);
    expect(loadTerraformStacks({ shop: out.json })).toDenyFlow(Peer.anyIpv4(), 'shop/Fn', Port.HTTPS);
  });
});

describe('AWS binding errors and limits', () => {
  function synthError(build: (stack: TerraformStack) => void): string {
    const app = newApp();
    const stack = awsStack(app, 'shop');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
    build(stack);
    try {
      synthApp(app);
    } catch (error) {
      return String(error);
    }
    throw new Error('synthesis succeeded');
  }

  test('GIVEN a resource that carries no security groups WHEN bound with AwsBinding.fromResource THEN synthesis fails naming it and listing the supported types', () => {
    const message = synthError((stack) => {
      new Workload(stack, 'Bucket', { binding: AwsBinding.fromResource(new S3Bucket(stack, 'bucket', {})), labels: { tier: 'x' } });
    });
    expect(message).toContain("Workload 'shop/Bucket' is bound with AwsBinding.fromResource(...) to 'shop/bucket' of type aws_s3_bucket");
    for (const type of supportedAwsTypes()) expect(message).toContain(type);
  });

  test('GIVEN a supported resource WHEN bound with AwsBinding.fromResource THEN it is bound as with its own factory', () => {
    const app = newApp();
    const stack = awsStack(app, 'shop');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
    const db = CASES.find((c) => c.type === 'aws_db_instance')!.make(stack, undefined);
    const binding = AwsBinding.fromResource(db);
    new Workload(stack, 'Db', { binding, labels: { tier: 'db' } });
    expect(binding.factory).toBe('AwsBinding.dbInstance');
    const out = synthApp(app).shop;
    expect(resourcesOf(out, 'aws_db_instance').res.vpc_security_group_ids).toEqual([unsegmentedGroup(out)]);
  });

  test('GIVEN a factory given a resource of another type THEN synthesis fails naming both types and listing the bindings', () => {
    const message = synthError((stack) => {
      const fn = CASES.find((c) => c.type === 'aws_lambda_function')!.make(stack, undefined);
      new Workload(stack, 'Db', { binding: AwsBinding.dbInstance(fn), labels: { tier: 'db' } });
    });
    expect(message).toContain("to 'shop/res' of type aws_lambda_function, but AwsBinding.dbInstance binds type aws_db_instance");
    expect(message).toContain('AwsBinding.lambdaFunction for aws_lambda_function');
  });

  test('GIVEN a gateway VPC endpoint (the default type) THEN synthesis fails: only interface endpoints take security groups', () => {
    const message = synthError((stack) => {
      const endpoint = new VpcEndpoint(stack, 'S3', { vpcId: 'vpc-0123', serviceName: 'com.amazonaws.eu-west-1.s3' });
      new Workload(stack, 'S3Endpoint', { binding: AwsBinding.vpcEndpoint(endpoint), labels: { tier: 'x' } });
    });
    expect(message).toContain("Workload 'shop/S3Endpoint' is bound to VPC endpoint 'shop/S3', which is a gateway endpoint");
    expect(message).toContain('vpcEndpointType: "Interface"');
  });

  test('GIVEN an interface endpoint in another VPC than the enforcement\'s THEN synthesis fails: it takes only groups of its own VPC; in the same VPC it synthesizes', () => {
    const message = synthError((stack) => {
      const endpoint = new VpcEndpoint(stack, 'sqs', { vpcId: 'vpc-0456', serviceName: 'com.amazonaws.eu-west-1.sqs', vpcEndpointType: 'Interface' });
      new Workload(stack, 'Sqs', { binding: AwsBinding.vpcEndpoint(endpoint), labels: { tier: 'ep' } });
    });
    expect(message).toContain("Workload 'shop/Sqs' is bound to VPC endpoint 'shop/sqs' in VPC \"vpc-0456\", but AwsEnforcement 'shop/Aws' creates the segments' security groups in VPC \"vpc-0123\"");
    const app = newApp();
    const stack = awsStack(app, 'shop');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
    const endpoint = new VpcEndpoint(stack, 'sqs', { vpcId: 'vpc-0123', serviceName: 'com.amazonaws.eu-west-1.sqs', vpcEndpointType: 'Interface' });
    new Workload(stack, 'Sqs', { binding: AwsBinding.vpcEndpoint(endpoint), labels: { tier: 'ep' } });
    expect(resourcesOf(synthApp(app).shop, 'aws_vpc_endpoint').sqs.security_group_ids).toHaveLength(1);
  });

  test('GIVEN an EC2 instance that attaches network interfaces at launch THEN synthesis fails: EC2 takes the groups only on those interfaces', () => {
    const message = synthError((stack) => {
      const withBlocks = new Instance(stack, 'multi', { ami: 'ami-1', instanceType: 't3.micro', networkInterface: [{ networkInterfaceId: 'eni-0a', deviceIndex: 0 }] });
      new Workload(stack, 'Multi', { binding: AwsBinding.instance(withBlocks), labels: { tier: 'x' } });
      const withPrimary = new Instance(stack, 'primary', { ami: 'ami-1', instanceType: 't3.micro', primaryNetworkInterface: { networkInterfaceId: 'eni-0b' } });
      new Workload(stack, 'Primary', { binding: AwsBinding.instance(withPrimary), labels: { tier: 'x' } });
    });
    for (const [workload, resource] of [['Multi', 'multi'], ['Primary', 'primary']]) {
      expect(message).toContain(`Workload 'shop/${workload}' is bound to EC2 instance 'shop/${resource}', which attaches network interfaces of its own`);
    }
    expect(message).toContain('AwsBinding.networkInterface(eni)');
  });

  test('GIVEN an ElastiCache cluster that is a member of a replication group THEN synthesis fails: it takes the group\'s security groups, and the provider rejects its own next to replication_group_id', () => {
    const message = synthError((stack) => {
      const member = new ElasticacheCluster(stack, 'member', { clusterId: 'cache-2', replicationGroupId: 'cache' });
      new Workload(stack, 'Member', { binding: AwsBinding.elasticacheCluster(member), labels: { tier: 'cache' } });
    });
    expect(message).toContain("Workload 'shop/Member' is bound to ElastiCache cluster 'shop/member', which is a member of a replication group (replication_group_id)");
    expect(message).toContain('AwsBinding.elasticacheReplicationGroup(group)');
  });

  test('GIVEN an instance or a launch template that names its groups by name THEN synthesis fails asking for ids', () => {
    const message = synthError((stack) => {
      const vm = new Instance(stack, 'vm', { ami: 'ami-1', instanceType: 't3.micro', securityGroups: ['legacy'] });
      new Workload(stack, 'Vm', { binding: AwsBinding.instance(vm), labels: { tier: 'x' } });
      const template = new LaunchTemplate(stack, 'lt', { imageId: 'ami-1', securityGroupNames: ['web-legacy'] });
      new Workload(stack, 'Asg', { binding: AwsBinding.launchTemplate(template), labels: { tier: 'x' } });
    });
    expect(message).toContain("Workload 'shop/Vm' is bound to EC2 instance 'shop/vm', which names its security groups by name (security_groups)");
    expect(message).toContain("Workload 'shop/Asg' is bound to launch template 'shop/lt', which names its security groups by name (security_group_names)");
    expect(message).toContain('the provider rejects vpc_security_group_ids next to security_group_names');
    expect(message).toContain('Give your groups by id in vpcSecurityGroupIds instead');
  });

  test('GIVEN one instance bound by two workloads THEN synthesis fails naming both: each would write the instance\'s group list over the other\'s', () => {
    const message = synthError((stack) => {
      const vm = new Instance(stack, 'vm', { ami: 'ami-1', instanceType: 't3.micro' });
      new Workload(stack, 'VmWeb', { binding: AwsBinding.instance(vm), labels: { tier: 'web' } });
      new Workload(stack, 'VmAdmin', { binding: AwsBinding.instance(vm), labels: { tier: 'admin' } });
    });
    expect(message).toContain("Workload 'shop/VmAdmin' is bound to 'shop/vm', which workload 'shop/VmWeb' is bound to as well");
    expect(message).not.toContain("Workload 'shop/VmWeb' is bound to 'shop/vm', which");
  });

  test('GIVEN a Lambda function outside the VPC or an ECS service without awsvpc networking THEN synthesis fails saying what to add', () => {
    const message = synthError((stack) => {
      const fn = new LambdaFunction(stack, 'fn', { functionName: 'f', role: 'arn:aws:iam::123456789012:role/f' });
      new Workload(stack, 'Fn', { binding: AwsBinding.lambdaFunction(fn), labels: { tier: 'x' } });
      const service = new EcsService(stack, 'svc', { name: 'svc' });
      new Workload(stack, 'Svc', { binding: AwsBinding.ecsService(service), labels: { tier: 'x' } });
    });
    expect(message).toContain("Workload 'shop/Fn' is bound to Lambda function 'shop/fn', which has no vpc_config");
    expect(message).toContain("Workload 'shop/Svc' is bound to ECS service 'shop/svc', which has no network_configuration");
  });

  test('GIVEN a Lambda function in 5 segments and a group of its own WHEN synthesized THEN the 5-group limit of Lambda fails the synth even with a raised interface quota', () => {
    const app = newApp();
    const stack = awsStack(app, 'shop');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123', maxGroupsPerInterface: 16 });
    const fn = CASES.find((c) => c.type === 'aws_lambda_function')!;
    const segments = [1, 2, 3, 4, 5].map((n) => new Segment(stack, `S${n}`, { selector: { app: 'x' } }));
    new Workload(stack, 'Fn', { binding: fn.bind(fn.make(stack, [USER_GROUP])), labels: { app: 'x' } });
    expect(segments).toHaveLength(5);
    expect(() => synthApp(app)).toThrow("Workload 'shop/Fn' would carry 6 security groups (shop/S1, shop/S2, shop/S3, shop/S4, shop/S5 and 1 of its own); a Lambda function takes at most 5 (vpc_config.security_group_ids)");
  });

  test('GIVEN an RDS instance in 6 segments WHEN synthesized THEN the per-interface quota (5 by default) fails the synth', () => {
    const app = newApp();
    const stack = awsStack(app, 'shop');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
    const db = CASES.find((c) => c.type === 'aws_db_instance')!;
    for (const n of [1, 2, 3, 4, 5, 6]) new Segment(stack, `S${n}`, { selector: { app: 'x' } });
    new Workload(stack, 'Db', { binding: db.bind(db.make(stack, undefined)), labels: { app: 'x' } });
    expect(() => synthApp(app)).toThrow("Workload 'shop/Db' would carry 6 security groups (shop/S1, shop/S2, shop/S3, shop/S4, shop/S5, shop/S6); the quota is 5 per interface");
  });
});

describe('resources without a fixed address: the subnet CIDRs given stand for them', () => {
  /** Api (a Lambda function) in VPC a, Db (an instance) in VPC b: the Db group's rule must name the function by address. */
  function crossVpc(options?: AwsBindingOptions) {
    const app = newApp();
    const front = awsStack(app, 'front');
    const back = awsStack(app, 'back');
    new AwsEnforcement(front, 'Aws', { vpcId: 'vpc-a' });
    new AwsEnforcement(back, 'Aws', { vpcId: 'vpc-b' });
    const api = new Segment(front, 'Api', { selector: { tier: 'api' } });
    const db = new Segment(back, 'Db', { selector: { tier: 'db' } });
    db.allowFrom(api, Port.POSTGRES);
    const fn = CASES.find((c) => c.type === 'aws_lambda_function')!;
    new Workload(front, 'Fn', { binding: AwsBinding.lambdaFunction(fn.make(front, undefined), options), labels: { tier: 'api' } });
    new Workload(back, 'DbVm', { binding: AwsBinding.instance(instance(back, 'db', { privateIp: '10.20.0.5' })), labels: { tier: 'db' }, addresses: ['10.20.0.5'] });
    return app;
  }

  test('GIVEN no subnet CIDRs WHEN a rule must name the function by address THEN synthesis fails naming the flow, the workload and the option', () => {
    expect(() => synthApp(crossVpc())).toThrow(/AllowFlow 'back\/Db\/[^']*' needs the addresses of workload 'front\/Fn' \(in 'front\/Aws', whose security groups the rules of 'back\/Aws' cannot name\), but it has none\. Give the subnets it runs in: AwsBinding\.lambdaFunction\(resource, \{ subnetCidrs: \[subnet\.cidrBlockInput\] \}\)/);
  });

  test('GIVEN the subnet CIDRs WHEN synthesized THEN the rule names the subnets, and the evaluator allows the flow from them only', () => {
    const out = synthApp(crossVpc({ subnetCidrs: ['10.10.1.0/24', '10.10.2.0/24'] }));
    const ingress = Object.values<any>(resourcesOf(out.back, 'aws_vpc_security_group_ingress_rule'));
    expect(ingress.map((rule) => rule.cidr_ipv4).sort()).toEqual(['10.10.1.0/24', '10.10.2.0/24']);
    const model = loadTerraformStacks({ front: out.front.json, back: out.back.json });
    expect(model).toAllowFlow('front/Fn', 'back/DbVm', Port.POSTGRES);
    expect(model).toDenyFlow('10.10.3.7', 'back/DbVm', Port.POSTGRES);
  });
});

describe('resources without a fixed address behind network ACLs', () => {
  /** Db (an instance) in a mapped subnet with a network ACL; Api (a Lambda function) in an unmapped subnet 10.0.1.0/24. */
  function withAcls(options?: AwsBindingOptions) {
    const app = newApp();
    const stack = awsStack(app, 'shop');
    const enforcement = new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123', networkAcls: true });
    const api = new Segment(stack, 'Api', { selector: { tier: 'api' } });
    const db = new Segment(stack, 'Db', { selector: { tier: 'db' } });
    db.allowFrom(api, Port.POSTGRES);
    new Subnet(stack, 'api-subnet', { vpcId: 'vpc-0123', cidrBlock: '10.0.1.0/24' });
    const dbSubnet = new Subnet(stack, 'db-subnet', { vpcId: 'vpc-0123', cidrBlock: '10.0.3.0/24' });
    enforcement.addSubnet({ segment: db, subnetId: dbSubnet.id, cidr: '10.0.3.0/24' });
    const fn = CASES.find((c) => c.type === 'aws_lambda_function')!;
    new Workload(stack, 'Fn', { binding: AwsBinding.lambdaFunction(fn.make(stack, undefined), options), labels: { tier: 'api' } });
    new Workload(stack, 'DbVm', { binding: AwsBinding.instance(instance(stack, 'db', { subnetId: dbSubnet.id })), labels: { tier: 'db' } });
    return app;
  }

  test('GIVEN no subnet CIDRs THEN synthesis fails naming the flow and the workload, and suggesting the option', () => {
    expect(() => synthApp(withAcls())).toThrow(/AllowFlow 'shop\/Db\/[^']*' reaches subnets with network ACLs \(on 'shop\/Aws'\), but workload 'shop\/Fn' is in no mapped subnet.*or give the subnets it runs in: AwsBinding\.lambdaFunction\(resource, \{ subnetCidrs/);
  });

  test('GIVEN the subnet CIDRs THEN the ACL entries name the subnet, and the evaluator allows the flow from it and denies it from elsewhere', () => {
    const out = synthApp(withAcls({ subnetCidrs: ['10.0.1.0/24'] })).shop;
    const entries = Object.values<any>(resourcesOf(out, 'aws_network_acl_rule')).filter((entry) => entry.rule_action === 'allow');
    expect(entries.map((entry) => `${entry.egress ? 'egress' : 'ingress'} ${entry.cidr_block} ${entry.from_port}-${entry.to_port}`).sort())
      .toEqual(['egress 10.0.1.0/24 1024-65535', 'ingress 10.0.1.0/24 5432-5432']);
    const model = loadTerraformStacks({ shop: out.json });
    expect(model).toAllowFlow('shop/Fn', 'shop/DbVm', Port.POSTGRES);
    expect(model).toDenyFlow('10.0.2.7', 'shop/DbVm', Port.POSTGRES);
    // the function is placed in its subnet by the CIDR given, so the database subnet's ACL is evaluated, not skipped
    const points = evaluate(model, { from: 'shop/Fn', to: 'shop/DbVm', port: 'tcp/5432' }).layers.filter((layer) => layer.layer === 'aws-network-acl');
    expect(points.filter((point) => point.status === 'allowed').map((point) => point.point).sort()).toEqual(['egress of subnet aws_subnet.db-subnet (return)', 'ingress of subnet aws_subnet.db-subnet (request)']);
    expect(points.map((point) => point.point)).toContain('egress of subnet aws_subnet.api-subnet');
  });
});

describe('resources without a fixed address in flows across platforms', () => {
  /** The ECS service's tasks (AWS) call an Azure web NIC on 443. */
  function ecsToAzure(options?: AwsBindingOptions) {
    const app = newApp();
    const { aws, az } = awsAndAzureStacks(app);
    const api = new Segment(aws, 'Api', { selector: { tier: 'api' } });
    const web = new Segment(az.stack, 'Web', { selector: { tier: 'web' } });
    const webNic = az.nic('web-nic', '10.1.1.20');
    new Workload(az.stack, 'web', { binding: AzureBinding.networkInterface(webNic), labels: { tier: 'web' }, addresses: ['10.1.1.20'] });
    const service = CASES.find((c) => c.type === 'aws_ecs_service')!.make(aws, undefined);
    new Workload(aws, 'Tasks', { binding: AwsBinding.ecsService(service, options), labels: { tier: 'api' } });
    const flow = new AllowFlow(az.stack, 'ApiToWeb', { from: api, to: web, ports: [Port.HTTPS] });
    return { app, flow };
  }

  test('GIVEN no subnet CIDRs THEN synthesis fails naming the flow, the workload and the option', () => {
    const { app, flow } = ecsToAzure();
    expect(() => synthApp(app)).toThrow(`AllowFlow '${flow.node.path}' needs the addresses of workload 'aws/Tasks' (aws) for the azure rules of its other side, but it has none. Give the subnets it runs in: AwsBinding.ecsService(resource, { subnetCidrs: [subnet.cidrBlockInput] }).`);
  });

  test('GIVEN the subnet CIDRs THEN the Azure rule names them, and the evaluator allows the flow from the tasks and not from elsewhere', () => {
    const { app } = ecsToAzure({ subnetCidrs: ['10.0.10.0/24'] });
    const out = synthApp(app);
    const allows = Object.values<any>(resourcesOf(out.azure, 'azurerm_network_security_rule')).filter((rule) => rule.access === 'Allow' && rule.direction === 'Inbound');
    expect(allows.map((rule) => rule.source_address_prefix ?? rule.source_address_prefixes).filter((source) => source !== 'AzureLoadBalancer')).toEqual(['10.0.10.0/24']);
    const model = loadTerraformStacks({ aws: out.aws.json, azure: out.azure.json });
    expect(model).toAllowFlow('aws/Tasks', 'azure/web', Port.HTTPS);
    expect(model).toDenyFlow('10.0.11.5', 'azure/web', Port.HTTPS);
  });
});

describe('addresses a bound resource\'s own arguments give', () => {
  /** Web (10.0.1.5) may send NFS to 10.0.5.0/24; the EFS mount target (segment Files) accepts NFS from 10.0.1.0/24. */
  function nfs(mountTargetIp: string) {
    const app = newApp();
    const stack = awsStack(app, 'shop');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    const files = new Segment(stack, 'Files', { selector: { tier: 'files' } });
    web.allowTo(Peer.ipv4('10.0.5.0/24'), Port.tcp(2049));
    files.allowFrom(Peer.ipv4('10.0.1.0/24'), Port.tcp(2049));
    new Workload(stack, 'WebVm', { binding: AwsBinding.instance(instance(stack, 'web', { privateIp: '10.0.1.5' })), labels: { tier: 'web' }, addresses: ['10.0.1.5'] });
    const target = new EfsMountTarget(stack, 'mount', { fileSystemId: 'fs-0123', subnetId: 'subnet-1', ipAddress: mountTargetIp });
    new Workload(stack, 'Mount', { binding: AwsBinding.efsMountTarget(target), labels: { tier: 'files' } });
    return loadTerraformStacks({ shop: synthApp(app).shop.json });
  }

  test('GIVEN an EFS mount target with a fixed ip_address, or a network load balancer whose every subnet mapping sets its address, in another VPC THEN the rules name those addresses, no subnetCidrs needed', () => {
    const build = (bind: (stack: TerraformStack) => AwsBinding) => {
      const app = newApp();
      const front = awsStack(app, 'front');
      const back = awsStack(app, 'back');
      new AwsEnforcement(front, 'Aws', { vpcId: 'vpc-a' });
      new AwsEnforcement(back, 'Aws', { vpcId: 'vpc-b' });
      const client = new Segment(front, 'App', { selector: { tier: 'app' } });
      const store = new Segment(back, 'Store', { selector: { tier: 'store' } });
      store.allowFrom(client, Port.tcp(2049));
      new Workload(front, 'AppVm', { binding: AwsBinding.instance(instance(front, 'vm', { privateIp: '10.10.0.5' })), labels: { tier: 'app' }, addresses: ['10.10.0.5'] });
      new Workload(back, 'Store1', { binding: bind(back), labels: { tier: 'store' } });
      const out = synthApp(app);
      const cidrs = [...Object.values<any>(resourcesOf(out.back, 'aws_vpc_security_group_egress_rule')), ...Object.values<any>(resourcesOf(out.front, 'aws_vpc_security_group_egress_rule'))]
        .filter((rule) => rule.from_port === 2049).map((rule) => rule.cidr_ipv4);
      return { cidrs, model: loadTerraformStacks({ front: out.front.json, back: out.back.json }) };
    };
    const efs = build((stack) => AwsBinding.efsMountTarget(new EfsMountTarget(stack, 'mt', { fileSystemId: 'fs-1', subnetId: 'subnet-b', ipAddress: '10.20.0.9' })));
    expect(efs.cidrs).toEqual(['10.20.0.9/32']);
    expect(efs.model).toAllowFlow('front/AppVm', 'back/Store1', Port.tcp(2049));
    const nlb = build((stack) => AwsBinding.loadBalancer(new Lb(stack, 'nlb', {
      loadBalancerType: 'network',
      internal: true,
      subnetMapping: [{ subnetId: 'subnet-b1', privateIpv4Address: '10.20.0.10' }, { subnetId: 'subnet-b2', privateIpv4Address: '10.20.1.10' }],
    })));
    expect(nlb.cidrs.sort()).toEqual(['10.20.0.10/32', '10.20.1.10/32']);
    expect(nlb.model).toAllowFlow('front/AppVm', 'back/Store1', Port.tcp(2049));
    // a mapping without an address leaves that node's address unknown: the subnets must stand for it
    expect(() => build((stack) => AwsBinding.loadBalancer(new Lb(stack, 'nlb', {
      loadBalancerType: 'network',
      internal: true,
      subnetMapping: [{ subnetId: 'subnet-b1', privateIpv4Address: '10.20.0.10' }, { subnetId: 'subnet-b2' }],
    })))).toThrow(/needs the addresses of workload 'back\/Store1'.*but it has none/);
  });

  test('GIVEN an EFS mount target with a fixed ip_address THEN the evaluator matches the CIDR rules against that address', () => {
    expect(nfs('10.0.5.10')).toAllowFlow('shop/WebVm', 'shop/Mount', Port.tcp(2049));
    expect(nfs('10.0.6.10')).toDenyFlow('shop/WebVm', 'shop/Mount', Port.tcp(2049));
  });
});
