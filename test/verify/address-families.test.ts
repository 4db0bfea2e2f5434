import { AllowFlow, AwsBinding, AwsEnforcement, DenyFlow, HostBinding, NsxEnforcement, Peer, Port, Segment, VsphereBinding, Workload } from '../../lib';
import { evaluate, loadTerraformStacks } from '../../lib/verify';
import '../../lib/verify/jest';
import { awsStack, instance, newApp, synthApp } from '../helpers';
import { nsxStack, vm as nsxVm } from '../vsphere/nsx-fixtures';

// A packet has one source and one destination address of one family: a rule of the source's IPv4
// egress and one of the destination's IPv6 ingress never let the same packet through.

/** Dual-stack A and B; A may send tcp/5432 to any IPv4 address, B accepts it from an IPv6 range only. */
function dualStackAws() {
  const app = newApp();
  const stack = awsStack(app, 'e');
  new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-1' });
  const a = new Segment(stack, 'A', { selector: { tier: 'a' } });
  const b = new Segment(stack, 'B', { selector: { tier: 'b' } });
  const vm = (id: string, privateIp: string, ipv6: string) => AwsBinding.instance(instance(stack, id, { privateIp, ipv6Addresses: [ipv6] }));
  const aVm = new Workload(stack, 'AVm', { binding: vm('avm', '10.0.1.10', '2001:db8:0:1::10'), labels: { tier: 'a' } });
  const bVm = new Workload(stack, 'BVm', { binding: vm('bvm', '10.0.1.20', '2001:db8:0:1::20'), labels: { tier: 'b' } });
  return { app, stack, a, b, aVm, bVm };
}

describe('the evaluator takes one address family per packet', () => {
  test('GIVEN egress allowed over IPv4 only and ingress over IPv6 only THEN two dual-stack workloads cannot reach each other, in either query form', () => {
    // GIVEN
    const { app, a, b, aVm, bVm } = dualStackAws();
    a.allowTo(Peer.anyIpv4(), Port.tcp(5432));
    b.allowFrom(Peer.ipv6('2001:db8::/32'), Port.tcp(5432));
    // WHEN
    const model = loadTerraformStacks({ e: synthApp(app).e.json });
    // THEN no family carries it: not the workloads, nor their segments
    expect(model).toDenyFlow(aVm, bVm, Port.tcp(5432));
    expect(evaluate(model, { from: 'e/AVm', to: 'e/BVm', port: 'tcp/5432' }).allowed).toBe(false);
    expect(evaluate(model, { from: 'e/A', to: 'e/B', port: 'tcp/5432' }).allowed).toBe(false);
    // AND each half does what it says: A reaches an IPv4 address, B is reached from the IPv6 range
    expect(model).toAllowFlow(aVm, '203.0.113.9', Port.tcp(5432));
    expect(model).toAllowFlow('2001:db8:9::1', bVm, Port.tcp(5432));
  });

  test('GIVEN both halves allowed over IPv6 THEN the dual-stack workloads reach each other, and the verdict shows the IPv6 rules', () => {
    const { app, a, b, aVm, bVm } = dualStackAws();
    a.allowTo(Peer.ipv6('2001:db8::/32'), Port.tcp(5432));
    b.allowFrom(Peer.ipv6('2001:db8::/32'), Port.tcp(5432));
    const model = loadTerraformStacks({ e: synthApp(app).e.json });
    const verdict = evaluate(model, { from: aVm.node.path, to: bVm.node.path, port: 'tcp/5432' });
    expect(verdict.allowed).toBe(true);
    expect(verdict.layers.flatMap((layer) => layer.decidingRules.map((rule) => rule.summary))).toEqual([
      expect.stringContaining('2001:db8::/32'), expect.stringContaining('2001:db8::/32'),
    ]);
  });

  test('GIVEN host firewalls, an IPv4-only H1 allowed to any IPv6 address and a dual-stack H2 reached from an IPv4 range THEN H1 cannot reach H2', () => {
    const app = newApp();
    const stack = awsStack(app, 'h');
    const h1 = new Workload(stack, 'H1', { binding: HostBinding.linux(['10.123.0.1']) });
    const h2 = new Workload(stack, 'H2', { binding: HostBinding.linux(['10.123.0.2', 'fd00:123::2']) });
    h1.allowTo(Peer.anyIpv6(), Port.allTraffic());
    h2.allowFrom(Peer.ipv4('10.123.0.0/28'), Port.tcp(80));
    const model = loadTerraformStacks({ h: synthApp(app).h.json });
    expect(model).toDenyFlow(h1, h2, Port.tcp(80));
    expect(model).toAllowFlow('10.123.0.5', h2, Port.tcp(80));
  });
});

describe('an address that one AWS interface has stands for that interface', () => {
  test('GIVEN db -> web on 5432 only WHEN queried by the instances\' literal addresses THEN their security groups decide, as when queried by workload', () => {
    // GIVEN
    const app = newApp();
    const stack = awsStack(app, 'e');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-1' });
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    const db = new Segment(stack, 'Db', { selector: { tier: 'db' } });
    new Workload(stack, 'WebVm', { binding: AwsBinding.instance(instance(stack, 'web', { privateIp: '10.0.1.10' })), labels: { tier: 'web' } });
    new Workload(stack, 'DbVm', { binding: AwsBinding.instance(instance(stack, 'db', { privateIp: '10.0.1.20' })), labels: { tier: 'db' } });
    web.allowFrom(db, Port.POSTGRES);
    // WHEN
    const model = loadTerraformStacks({ e: synthApp(app).e.json });
    // THEN SSH is denied by the groups, 5432 allowed, with both interfaces' security groups on the path
    const ssh = evaluate(model, { from: '10.0.1.20', to: '10.0.1.10', port: 'tcp/22' });
    expect([ssh.allowed, ssh.denied]).toEqual([false, true]);
    const postgres = evaluate(model, { from: '10.0.1.20', to: '10.0.1.10', port: 'tcp/5432' });
    expect(postgres.allowed).toBe(true);
    expect(postgres.layers.map((layer) => layer.point)).toEqual(['egress of 10.0.1.20', 'ingress of 10.0.1.10']);
  });
});

describe('a VM whose addresses are literal in both families and known only at apply too', () => {
  test('GIVEN NSX VMs given IPv4 and IPv6 addresses WHEN a DenyFlow forbids A to an IPv6 range THEN A still reaches B over IPv4', () => {
    // GIVEN (the VMs' default_ip_address, known only at apply, is one of those addresses)
    const app = newApp();
    const stack = nsxStack(app, 'st');
    new NsxEnforcement(stack, 'Nsx');
    const a = new Workload(stack, 'A', { binding: VsphereBinding.virtualMachine(nsxVm(stack, 'a')), addresses: ['10.0.0.10', 'fd00::10'] });
    const b = new Workload(stack, 'B', { binding: VsphereBinding.virtualMachine(nsxVm(stack, 'b')), addresses: ['10.0.0.11', 'fd00::11'] });
    new AllowFlow(stack, 'AToB', { from: a, to: b, ports: [Port.udp(1007)] });
    new DenyFlow(stack, 'NoV6', { from: a, to: Peer.ipv6('fd00::/120'), ports: [Port.udp(1007)] });
    // WHEN
    const model = loadTerraformStacks({ st: synthApp(app).st.json });
    // THEN the IPv6 DROP does not decide for IPv4 packets
    const verdict = evaluate(model, { from: a.node.path, to: b.node.path, port: 'udp/1007' });
    expect(verdict.allowed).toBe(true);
    expect(verdict.paths.map((path) => path.status)).toEqual(['allowed']);
  });
});
