import { Instance } from '@cdktf/provider-aws/lib/instance';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { AwsEnforcement, Peer, Port, Segment, Workload, AwsBinding } from '../../lib';
import { pick, random } from '../random';
import { EstateSize, AWS_NETWORK_ACLS_SIZE } from './size';

/**
 * AWS security groups plus network ACLs in one stack: every segment has its own subnet
 * (`10.<app>.<tier>.0/24`, ten tiers per app), so each flow also becomes request and return
 * entries in the network ACLs of both subnets; one flow in ten comes from an external CIDR.
 */
export function buildAwsNetworkAclsEstate(app: App, size: EstateSize = AWS_NETWORK_ACLS_SIZE): TerraformStack {
  const next = random(7);
  const stack = new TerraformStack(app, 'estate');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  const enforcement = new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0bench', networkAcls: true });
  const segments: Segment[] = [];
  for (let i = 0; i < size.segments; i++) {
    const segment = new Segment(stack, `Seg${i}`, { selector: { app: `app${Math.floor(i / 10)}`, tier: `tier${i % 10}` } });
    segments.push(segment);
    enforcement.addSubnet({ segment, subnetId: `subnet-bench${i}`, cidr: `10.${Math.floor(i / 10)}.${i % 10}.0/24` });
  }
  for (let i = 0; i < size.workloads; i++) {
    const s = i % size.segments;
    const vm = new Instance(stack, `vm${i}`, { ami: 'ami-0abcdef1234567890', instanceType: 't3.micro', subnetId: `subnet-bench${s}` });
    new Workload(stack, `W${i}`, { binding: AwsBinding.instance(vm), labels: { app: `app${Math.floor(s / 10)}`, tier: `tier${s % 10}` } });
  }
  for (let i = 0; i < size.flows; i++) {
    const to = pick(next, segments.length);
    const port = Port.tcp(1024 + pick(next, 2000));
    if (i % 10 === 0) {
      segments[to].allowFrom(Peer.ipv4(`172.${16 + pick(next, 16)}.0.0/16`), port);
    } else {
      const from = Math.floor(to / 10) * 10 + pick(next, 10);
      segments[to].allowFrom(segments[Math.min(from, segments.length - 1)], port);
    }
  }
  return stack;
}
