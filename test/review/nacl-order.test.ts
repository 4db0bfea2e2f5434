import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { TerraformStack } from 'cdktf';
import { AwsEnforcement, DenyFlow, Peer, Port, Segment, Workload, AwsBinding } from '../../lib';
import '../../lib/verify/jest';
import { awsStack, errorOf, instance, newApp, synthApp } from '../helpers';

// Review: the subnet tier under permuted declarations (subnet mappings, flows, workloads,
// guardrails) gives byte-identical output and the intended reachability through both layers.
//
// Finding (fixed in lib/guardrail-overlap.ts): DenyFlow(db -> Peer.anyIpv4(), all traffic) became
// a NACL egress deny of 0.0.0.0/0 on the db subnet, which also dropped the replies of the declared
// flow app -> db 5432, so a declared flow silently did not work. The synth-time check meant to
// catch this (brokenReplies, lib/aws/guardrail-renderer.ts) asked whether the app workload lies in
// 0.0.0.0/0 from its literal addresses only; workloads without literal addresses (the usual case:
// an instance's private IP is known at apply) were never inside, not even inside 0.0.0.0/0.
type Ctx = { stack: TerraformStack; enf: AwsEnforcement; seg: Record<string, Segment>; subnets: Record<string, Subnet> };
const steps: Array<(c: Ctx) => void> = [
  (c) => c.seg.app.allowFrom(c.seg.web, Port.tcp(8080)),
  (c) => c.seg.db.allowFrom(c.seg.app, Port.POSTGRES),
  (c) => c.seg.web.allowFrom(Peer.anyIpv4(), Port.HTTPS),
  (c) => c.enf.addSubnet({ segment: c.seg.web, subnetId: c.subnets.web.id, cidr: '10.0.1.0/24' }),
  (c) => c.enf.addSubnet({ segment: c.seg.app, subnetId: c.subnets.app.id, cidr: '10.0.2.0/24' }),
  (c) => c.enf.addSubnet({ segment: c.seg.db, subnetId: c.subnets.db.id, cidr: '10.0.3.0/24' }),
  (c) => new Workload(c.stack, 'web', { binding: AwsBinding.instance(instance(c.stack, 'web-vm', { subnetId: c.subnets.web.id, privateIp: '10.0.1.10' })), labels: { tier: 'web' } }),
  (c) => new Workload(c.stack, 'app', { binding: AwsBinding.instance(instance(c.stack, 'app-vm', { subnetId: c.subnets.app.id, privateIp: '10.0.2.10' })), labels: { tier: 'app' } }),
  (c) => new Workload(c.stack, 'db', { binding: AwsBinding.instance(instance(c.stack, 'db-vm', { subnetId: c.subnets.db.id, privateIp: '10.0.3.10' })), labels: { tier: 'db' } }),
  // only ports that matter: a deny of all traffic would also drop the replies of app -> db
  (c) => new DenyFlow(c.stack, 'NoDbSmtp', { from: c.seg.db, to: Peer.anyIpv4(), ports: [Port.tcp(25)] }),
];

function build(order: number[]) {
  const app = newApp();
  const stack = awsStack(app, 'nacl');
  const enf = new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123', networkAcls: true });
  const seg = Object.fromEntries(['web', 'app', 'db'].map((t) => [t, new Segment(stack, t[0].toUpperCase() + t.slice(1), { selector: { tier: t } })]));
  const subnets = Object.fromEntries(['web', 'app', 'db'].map((t, i) => [t, new Subnet(stack, `${t}-subnet`, { vpcId: 'vpc-0123', cidrBlock: `10.0.${i + 1}.0/24` })]));
  const c = { stack, enf, seg, subnets };
  for (const i of order) steps[i](c);
  return { app, stack };
}

describe('review: network ACLs are order independent and enforce the intent', () => {
  const forward = steps.map((_, i) => i);
  test('permuted declarations give byte-identical output', () => {
    const a = synthApp(build(forward).app);
    const b = synthApp(build([...forward].reverse()).app);
    const c = synthApp(build([6, 3, 0, 9, 7, 4, 1, 8, 5, 2]).app);
    expect(b.nacl.text).toEqual(a.nacl.text);
    expect(c.nacl.text).toEqual(a.nacl.text);
  });

  test('reachability through both layers', () => {
    const { stack } = build([...forward].reverse());
    expect(stack).toAllowFlow('nacl/web', 'nacl/app', Port.tcp(8080));
    expect(stack).toAllowFlow('nacl/app', 'nacl/db', Port.POSTGRES);
    expect(stack).toAllowFlow('203.0.113.1', 'nacl/web', Port.HTTPS);
    expect(stack).toDenyFlow('nacl/web', 'nacl/db', Port.POSTGRES);
    expect(stack).toDenyFlow('nacl/db', '203.0.113.1', Port.HTTPS);
    expect(stack).toDenyFlow('203.0.113.1', 'nacl/app', Port.tcp(8080));
    expect(stack).toDenyFlow('nacl/db', '203.0.113.1', Port.tcp(25));
  });

  test('a DenyFlow whose NACL entries would drop the replies of a declared flow is a synth error', () => {
    const { app, stack } = build(steps.map((_, i) => i).filter((i) => i !== 9));
    new DenyFlow(stack, 'NoDbOut', { from: stack.node.findChild('Db') as Segment, to: Peer.anyIpv4() });
    expect(errorOf(() => synthApp(app))).toContain(
      "DenyFlow 'nacl/NoDbOut' becomes network ACL deny entries on 'nacl/Aws' that also drop the replies (tcp/1024-65535) of AllowFlow 'nacl/Db/AllowFrom-nacl-App-tcp-5432'");
  });
});
