import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { App, TerraformStack } from 'cdktf';
import { AllowFlow, AwsBinding, AwsEnforcement, DenyFlow, Port, Segment, Workload } from '../../lib';
import '../../lib/verify/jest';
import { awsStack, errorOf, instance, newApp, synthApp } from '../helpers';

// Security groups name a workload of another VPC by its addresses. For a Lambda function (or a
// database) those are the subnets it runs in, which other hosts share: an egress to it opens
// the whole subnet, so a DenyFlow to another host of that subnet must fail synthesis, as it does
// for another platform's workloads named by a shared range.

/** A workload Job bound to a Lambda function in the VPC of `stack`, on the subnet `subnet`. */
function jobFunction(stack: TerraformStack, subnet: string): Workload {
  const fn = new LambdaFunction(stack, 'fn', {
    functionName: 'job',
    role: 'arn:aws:iam::111122223333:role/job',
    runtime: 'nodejs20.x',
    handler: 'index.handler',
    filename: 'job.zip',
    vpcConfig: { subnetIds: ['subnet-job'], securityGroupIds: [] },
  });
  return new Workload(stack, 'Job', { binding: AwsBinding.lambdaFunction(fn, { subnetCidrs: [subnet] }) });
}

/** Api (10.1.0.10) in VPC `vpc-a` (stack a); a Lambda Job in `jobVpc` on 10.2.1.0/24 and a host Partner (10.2.1.5) in stack b. */
function estate(jobVpc: string, app: App = newApp()): { app: App; api: Workload; job: Workload; partner: Workload; a: TerraformStack } {
  const a = awsStack(app, 'a');
  new AwsEnforcement(a, 'Aws', { vpcId: 'vpc-a' });
  const api = new Workload(a, 'Api', { binding: AwsBinding.instance(instance(a, 'api-vm', { privateIp: '10.1.0.10' })), addresses: ['10.1.0.10'] });
  const b = awsStack(app, 'b');
  new AwsEnforcement(b, 'Aws', { vpcId: jobVpc });
  const job = jobFunction(b, '10.2.1.0/24');
  const partner = new Workload(b, 'Partner', { addresses: ['10.2.1.5'] });
  new AllowFlow(a, 'ApiToJob', { from: api, to: job, ports: [Port.HTTPS] });
  new DenyFlow(a, 'NoPartner', { from: api, to: partner });
  return { app, api, job, partner, a };
}

describe('a DenyFlow to a host in the subnets of a Lambda function of another VPC', () => {
  test('GIVEN Api -> Job allowed across VPCs WHEN a DenyFlow forbids Api -> Partner, a host of Job\'s subnet THEN synthesis fails saying why', () => {
    const e = estate('vpc-b');
    expect(errorOf(() => synthApp(e.app))).toContain(
      "AllowFlow 'a/ApiToJob' allows tcp/443 from workload 'a/Api' to workload 'b/Partner', which DenyFlow 'a/NoPartner' (\"guardrail: deny Api to Partner all\") forbids: "
      + "the rules of 'a/ApiToJob' name workload 'b/Job' by \"10.2.1.0/24\" (the subnets it runs in, from AwsBinding.lambdaFunction's subnetCidrs), "
      + "which it shares with other hosts, workload 'b/Partner' among them. AWS security groups cannot deny");
  });

  test('in one VPC the egress names the function\'s security group: synthesis succeeds and Partner stays unreachable', () => {
    const e = estate('vpc-a');
    expect(() => synthApp(e.app)).not.toThrow();
    expect(e.app).toAllowFlow(e.api, e.job, Port.HTTPS);
    expect(e.app).toDenyFlow(e.api, e.partner, Port.HTTPS);
  });

  describe('a flow from the function to a segment with members in both VPCs', () => {
    /** Lambda Job (vpc-a, 10.1.5.0/24) -> segment Seg of XA (vpc-a) and XB (vpc-b); a host H (10.1.5.7) in Job's subnet; DenyFlow H -> `denied`. */
    function spanning(denied: 'XA' | 'XB') {
      const app = newApp();
      const a = awsStack(app, 'a');
      new AwsEnforcement(a, 'Aws', { vpcId: 'vpc-a' });
      const b = awsStack(app, 'b');
      new AwsEnforcement(b, 'Aws', { vpcId: 'vpc-b' });
      const seg = new Segment(a, 'Seg', { selector: { tier: 'x' } });
      const xa = new Workload(a, 'XA', { binding: AwsBinding.instance(instance(a, 'xa', { privateIp: '10.1.0.10' })), addresses: ['10.1.0.10'], labels: { tier: 'x' } });
      const xb = new Workload(b, 'XB', { binding: AwsBinding.instance(instance(b, 'xb', { privateIp: '10.2.0.10' })), addresses: ['10.2.0.10'], labels: { tier: 'x' } });
      const job = jobFunction(a, '10.1.5.0/24');
      const h = new Workload(a, 'H', { addresses: ['10.1.5.7'] });
      new AllowFlow(a, 'JobToSeg', { from: job, to: seg, ports: [Port.HTTPS] });
      new DenyFlow(a, 'NoH', { from: h, to: denied === 'XA' ? xa : xb });
      return { app, xa, xb, job, h };
    }

    test('H -> XA, in the function\'s own VPC: XA\'s rules name the function\'s group, so H is dropped and synthesis succeeds', () => {
      const e = spanning('XA');
      expect(() => synthApp(e.app)).not.toThrow();
      expect(e.app).toDenyFlow(e.h, e.xa, Port.HTTPS);
      expect(e.app).toAllowFlow(e.job, e.xa, Port.HTTPS);
      expect(e.app).toAllowFlow(e.job, e.xb, Port.HTTPS);
    });

    test('H -> XB, in the other VPC: XB\'s rules name the function by its subnet, so synthesis fails', () => {
      expect(errorOf(() => synthApp(spanning('XB').app))).toContain(
        "AllowFlow 'a/JobToSeg' allows tcp/443 from workload 'a/H' to workload 'b/XB', which DenyFlow 'a/NoH'");
    });
  });
});
