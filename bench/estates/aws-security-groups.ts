import { Instance } from '@cdktf/provider-aws/lib/instance';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { AwsEnforcement, Peer, Port, Segment, Workload, AwsBinding } from '../../lib';
import { pick, random } from '../random';
import { EstateSize } from './size';

/** The bench estate: 200 segments, 2,000 EC2 workloads and 5,000 flows. */
export const AWS_SECURITY_GROUPS_SIZE: EstateSize = { segments: 200, workloads: 2000, flows: 5000 };

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
  const segments: Segment[] = [];
  for (let i = 0; i < size.segments; i++) {
    segments.push(new Segment(stack, `Seg${i}`, { selector: { app: `app${Math.floor(i / 10)}`, tier: `tier${i % 10}` } }));
  }
  for (let i = 0; i < size.workloads; i++) {
    const s = i % size.segments;
    const vm = new Instance(stack, `vm${i}`, { ami: 'ami-0abcdef1234567890', instanceType: 't3.micro' });
    new Workload(stack, `W${i}`, { binding: AwsBinding.instance(vm), labels: { app: `app${Math.floor(s / 10)}`, tier: `tier${s % 10}` } });
  }
  for (let i = 0; i < size.flows; i++) {
    const to = segments[pick(next, segments.length)];
    const port = Port.tcp(1024 + pick(next, 2000));
    if (i % 10 === 0) {
      to.allowFrom(Peer.ipv4(`10.${pick(next, 250)}.0.0/16`), port);
    } else {
      to.allowFrom(segments[pick(next, segments.length)], port);
    }
  }
  return stack;
}
