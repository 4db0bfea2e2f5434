import { Instance } from '@cdktf/provider-aws/lib/instance';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { AwsEnforcement, Workload, AwsBinding } from '../../lib';
import { random } from '../random';
import { appTierLabels, appTierSegments, randomSegmentFlows } from './labelled-segments';
import { EstateSize, AWS_SECURITY_GROUPS_SIZE } from './size';

/**
 * AWS security groups in one stack: each workload is an EC2 instance labelled with an app and a
 * tier; segments select by app and tier (ten tiers per app); flows join random segment pairs on
 * random ports, one in ten from an external CIDR.
 */
export function buildAwsSecurityGroupsEstate(app: App, size: EstateSize = AWS_SECURITY_GROUPS_SIZE): TerraformStack {
  const next = random(42);
  const stack = new TerraformStack(app, 'estate');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0bench' });
  const segments = appTierSegments(stack, size.segments);
  for (let i = 0; i < size.workloads; i++) {
    const s = i % size.segments;
    const vm = new Instance(stack, `vm${i}`, { ami: 'ami-0abcdef1234567890', instanceType: 't3.micro' });
    new Workload(stack, `W${i}`, { binding: AwsBinding.instance(vm), labels: appTierLabels(s) });
  }
  randomSegmentFlows(segments, size.flows, next);
  return stack;
}
