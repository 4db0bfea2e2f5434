import { Instance } from '@cdktf/provider-aws/lib/instance';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Node } from 'constructs';
import { AllowFlow, AwsBinding, AwsEnforcement, DenyFlow, Peer, Port, Segment, Workload } from '../../lib';
import { awsStack, errorOf, newApp } from '../helpers';

/**
 * How many times the whole stack is searched for subnets while `count` instances without a literal
 * private IP, half in an `aws_subnet` of the stack and half in a subnet given by id, are placed for
 * a DenyFlow of a range.
 */
function stackSearches(count: number): number {
  const app = newApp();
  const stack = awsStack(app, 's');
  new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-1' });
  const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
  const db = new Segment(stack, 'Db', { selector: { tier: 'db' } });
  const subnet = new Subnet(stack, 'web-subnet', { vpcId: 'vpc-1', cidrBlock: '10.0.1.0/24' });
  for (let i = 0; i < count; i++) {
    const subnetId = i % 2 === 0 ? subnet.id : 'subnet-0123456789abcdef0';
    new Workload(stack, `W${i}`, { binding: AwsBinding.instance(new Instance(stack, `vm${i}`, { ami: 'ami-1', instanceType: 't3.micro', subnetId })), labels: { tier: 'web' } });
  }
  new Workload(stack, 'DbVm', { binding: AwsBinding.instance(new Instance(stack, 'dbvm', { ami: 'ami-1', instanceType: 't3.micro', privateIp: '10.0.2.10' })), labels: { tier: 'db' } });
  new AllowFlow(stack, 'WebToDb', { from: web, to: db, ports: [Port.POSTGRES] });
  new DenyFlow(stack, 'NoWebSubnet', { from: Peer.ipv4('10.0.0.0/16'), to: db });
  const findAll = jest.spyOn(Node.prototype, 'findAll');
  try {
    // the instances of the mapped subnet lie in 10.0.0.0/16: a certain conflict
    expect(errorOf(() => app.synth())).toContain("AllowFlow 's/WebToDb' allows tcp/5432 from workload 's/W0' to workload 's/DbVm', which DenyFlow 's/NoWebSubnet'");
    return findAll.mock.contexts.filter((node) => (node as Node).path === 's').length;
  } finally {
    findAll.mockRestore();
  }
}

describe('placing instances in their subnets', () => {
  test('GIVEN 20, then 200 instances in two subnets THEN the stack is searched for subnets as often: once per subnet text, not once per instance', () => {
    const small = stackSearches(20);
    const large = stackSearches(200);
    expect(small).toBeGreaterThanOrEqual(1);
    expect(large).toBe(small);
  });
});
