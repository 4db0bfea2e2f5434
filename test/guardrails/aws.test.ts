import { Instance } from '@cdktf/provider-aws/lib/instance';
import { NetworkInterface } from '@cdktf/provider-aws/lib/network-interface';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { TerraformStack, TerraformVariable } from 'cdktf';
import { AllowFlow, AwsEnforcement, DenyFlow, GuardrailAllow, MicrosegSuppressions, Peer, Port, Segment, Workload, AwsBinding } from '../../lib';
import '../../lib/verify/jest';
import { awsStack, errorOf, instance, newApp, resourcesOf, synthApp } from '../helpers';

const CIDRS = { prod: '10.0.1.0/24', dev: '10.0.2.0/24', mgmt: '10.0.9.0/24' } as const;
type Env = keyof typeof CIDRS;

/** One VPC, a subnet per environment mapped to that environment's segment, one instance in each. */
function estate(networkAcls = true) {
  const app = newApp();
  const stack = awsStack(app, 'vpc');
  const enforcement = new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123', networkAcls });
  const segments = {} as Record<Env, Segment>;
  const workloads = {} as Record<Env, Workload>;
  for (const env of Object.keys(CIDRS) as Env[]) {
    segments[env] = new Segment(stack, `${env}-tier`, { selector: { app: 'pay', env } });
    const subnet = new Subnet(stack, `${env}-subnet`, { vpcId: 'vpc-0123', cidrBlock: CIDRS[env] });
    enforcement.addSubnet({ segment: segments[env], subnetId: subnet.id, cidr: subnet.cidrBlockInput! });
    const ip = CIDRS[env].replace('0/24', '10');
    const vm = new Instance(stack, `${env}-vm`, { ami: 'ami-0abcdef1234567890', instanceType: 't3.micro', subnetId: subnet.id, privateIp: ip });
    workloads[env] = new Workload(stack, `${env}-workload`, { binding: AwsBinding.instance(vm), labels: { app: 'pay', env } });
  }
  return { app, stack, enforcement, segments, workloads };
}

function aclRulesOf(out: any, env: Env): any[] {
  const association = Object.values<any>(resourcesOf(out, 'aws_network_acl_association')).find((a) => a.subnet_id === `\${aws_subnet.${env}-subnet.id}`);
  return Object.values<any>(resourcesOf(out, 'aws_network_acl_rule')).filter((r) => r.network_acl_id === association.network_acl_id);
}

function prodToDev(stack: TerraformStack): DenyFlow {
  return new DenyFlow(stack, 'ProdToDev', { fromSelector: { app: 'pay', env: 'prod' }, toSelector: { app: 'pay', env: 'dev' }, description: 'no prod to dev' });
}

describe('guardrails on AWS network ACLs', () => {
  test('a DenyFlow renders deny entries numbered 1-99: egress on the source subnets, ingress on the destination subnets', () => {
    // GIVEN
    const { app, stack, segments } = estate();
    segments.dev.allowFrom(segments.mgmt, Port.SSH);
    // WHEN
    const deny = prodToDev(stack);
    // THEN
    const out = synthApp(app).vpc;
    const prodDenies = aclRulesOf(out, 'prod').filter((r) => r.rule_action === 'deny');
    const devDenies = aclRulesOf(out, 'dev').filter((r) => r.rule_action === 'deny');
    expect(prodDenies).toEqual([expect.objectContaining({ egress: true, cidr_block: CIDRS.dev, protocol: '-1' })]);
    expect(devDenies).toEqual([expect.objectContaining({ egress: false, cidr_block: CIDRS.prod, protocol: '-1' })]);
    for (const rule of [...prodDenies, ...devDenies]) {
      expect(rule.rule_number).toBeGreaterThanOrEqual(1);
      expect(rule.rule_number).toBeLessThanOrEqual(99);
      expect(rule['//'].microseg).toEqual({ guardrails: [deny.node.path] });
    }
    expect(aclRulesOf(out, 'mgmt').filter((r) => r.rule_action === 'deny')).toEqual([]);
    // the management flow is untouched, prod -> dev is denied
    expect(stack).toAllowFlow(segments.mgmt, segments.dev, Port.SSH);
    expect(stack).toDenyFlow(segments.prod, segments.dev, Port.HTTPS);
  });

  test('ports narrow the deny entries; a declaration after the workloads and subnets is picked up (order independence)', () => {
    const app = newApp();
    const stack = awsStack(app, 'vpc');
    // the guardrail first, everything else after it
    new DenyFlow(stack, 'NoSshToDev', { toSelector: { app: 'pay', env: 'dev' }, ports: [Port.SSH] });
    const enforcement = new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123', networkAcls: true });
    const dev = new Segment(stack, 'dev-tier', { selector: { app: 'pay', env: 'dev' } });
    const subnet = new Subnet(stack, 'dev-subnet', { vpcId: 'vpc-0123', cidrBlock: CIDRS.dev });
    enforcement.addSubnet({ segment: dev, subnetId: subnet.id, cidr: CIDRS.dev });
    new Workload(stack, 'dev-workload', { binding: AwsBinding.instance(new Instance(stack, 'dev-vm', { ami: 'ami-1', instanceType: 't3.micro', subnetId: subnet.id })), labels: { app: 'pay', env: 'dev' } });
    const out = synthApp(app).vpc;
    const denies = aclRulesOf(out, 'dev').filter((r) => r.rule_action === 'deny');
    expect(denies).toEqual([expect.objectContaining({ egress: false, cidr_block: '0.0.0.0/0', protocol: '6', from_port: 22, to_port: 22 })]);
  });
});

describe('guardrails naming a workload directly, with network ACLs', () => {
  test('a DenyFlow from a workload synthesizes (its one-member segment is created once) and denies at both subnet boundaries', () => {
    // GIVEN network ACLs and a management flow into dev
    const { app, stack, segments, workloads } = estate();
    segments.dev.allowFrom(segments.mgmt, Port.SSH);
    // WHEN a guardrail names the prod workload itself (not a segment)
    const deny = new DenyFlow(stack, 'NoProdSsh', { from: workloads.prod, to: segments.dev, ports: [Port.SSH] });
    // THEN synthesis succeeds and the entries cover exactly the prod and dev subnets
    const out = synthApp(app).vpc;
    expect(aclRulesOf(out, 'prod').filter((r) => r.rule_action === 'deny')).toEqual([
      expect.objectContaining({ egress: true, cidr_block: CIDRS.dev, protocol: '6', from_port: 22, to_port: 22 }),
    ]);
    expect(aclRulesOf(out, 'dev').filter((r) => r.rule_action === 'deny')).toEqual([
      expect.objectContaining({ 'egress': false, 'cidr_block': CIDRS.prod, 'protocol': '6', 'from_port': 22, 'to_port': 22, '//': expect.objectContaining({ microseg: { guardrails: [deny.node.path] } }) }),
    ]);
    expect(stack).toDenyFlow(workloads.prod, workloads.dev, Port.SSH);
    expect(stack).toAllowFlow(workloads.mgmt, workloads.dev, Port.SSH);
  });

  test('a DenyFlow to a workload declared before the workload joins its segments synthesizes too', () => {
    const app = newApp();
    const stack = awsStack(app, 'vpc');
    const enforcement = new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123', networkAcls: true });
    const vm = new Instance(stack, 'dev-vm', { ami: 'ami-1', instanceType: 't3.micro', privateIp: '10.0.2.10' });
    const workload = new Workload(stack, 'dev-workload', { binding: AwsBinding.instance(vm), labels: { env: 'dev' } });
    new DenyFlow(stack, 'NoSsh', { to: workload, ports: [Port.SSH] });
    const dev = new Segment(stack, 'dev-tier', { selector: { env: 'dev' } });
    enforcement.addSubnet({ segment: dev, subnetId: 'subnet-dev', cidr: CIDRS.dev });
    const out = synthApp(app).vpc;
    expect(Object.values<any>(resourcesOf(out, 'aws_network_acl_rule')).filter((r) => r.rule_action === 'deny')).toEqual([
      expect.objectContaining({ egress: false, cidr_block: '0.0.0.0/0', protocol: '6', from_port: 22, to_port: 22 }),
    ]);
  });
});

/** Two subnets: web alone in 10.0.1.0/24; api and db share 10.0.2.0/24. `ips` gives each VM its privateIp (none: AWS picks one). */
function sharedSubnetEstate(ips: Partial<Record<'web' | 'other' | 'api' | 'db', string>> = { web: '10.0.1.10', api: '10.0.2.10', db: '10.0.2.20' }) {
  const app = newApp();
  const stack = awsStack(app, 'vpc');
  const enforcement = new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123', networkAcls: true });
  const tiers = { web: '10.0.1.0/24', other: '10.0.1.0/24', api: '10.0.2.0/24', db: '10.0.2.0/24' } as const;
  const subnets: Record<string, Subnet> = {};
  const segments = {} as Record<keyof typeof tiers, Segment>;
  const workloads = {} as Record<keyof typeof tiers, Workload>;
  for (const tier of Object.keys(tiers) as Array<keyof typeof tiers>) {
    segments[tier] = new Segment(stack, tier, { selector: { tier } });
    const cidr = tiers[tier];
    subnets[cidr] = subnets[cidr] ?? new Subnet(stack, `subnet-${cidr.split('.')[2]}`, { vpcId: 'vpc-0123', cidrBlock: cidr });
    enforcement.addSubnet({ segment: segments[tier], subnetId: subnets[cidr].id, cidr });
    if (tier === 'other' && !ips.other) continue;
    const vm = new Instance(stack, `${tier}-vm`, { ami: 'ami-1', instanceType: 't3.micro', subnetId: subnets[cidr].id, privateIp: ips[tier] });
    workloads[tier] = new Workload(stack, `${tier}1`, { binding: AwsBinding.instance(vm), labels: { tier } });
  }
  return { app, stack, segments, workloads };
}

function denyEntries(out: any): string[] {
  return Object.values<any>(resourcesOf(out, 'aws_network_acl_rule')).filter((r) => r.rule_action === 'deny')
    .map((r) => `${r.network_acl_id.match(/Subnet-(\d+-\d+-\d+-\d+-\d+)/)[1]} ${r.egress ? 'egress to' : 'ingress from'} ${r.cidr_block} ${r.protocol} ${r.from_port}-${r.to_port}`).sort();
}

describe('network ACL deny entries are exactly as wide as the DenyFlow', () => {
  test('a subnet shared with other workloads is named by host addresses, so allowed flows between the same subnets keep working', () => {
    // GIVEN web -> api on 8080 is allowed; api and db share a subnet
    const { app, stack, segments, workloads } = sharedSubnetEstate();
    segments.api.allowFrom(segments.web, Port.tcp(8080));
    // WHEN web -> db on 8080 is denied
    const deny = new DenyFlow(stack, 'NoWebToDb', { from: segments.web, to: segments.db, ports: [Port.tcp(8080)] });
    // THEN one entry: egress on web's subnet (which holds web only) to db's host; none on the shared subnet
    const out = synthApp(app).vpc;
    expect(denyEntries(out)).toEqual(['10-0-1-0-24 egress to 10.0.2.20/32 6 8080-8080']);
    const entry = Object.values<any>(resourcesOf(out, 'aws_network_acl_rule')).find((r) => r.rule_action === 'deny');
    expect(entry['//'].microseg).toEqual({ guardrails: [deny.node.path] });
    expect(stack).toAllowFlow(workloads.web, workloads.api, Port.tcp(8080));
    expect(stack).toAllowFlow(segments.web, segments.api, Port.tcp(8080));
    expect(stack).toDenyFlow(workloads.web, workloads.db, Port.tcp(8080));
  });

  test('the same estate declared in another order synthesizes byte-identical output', () => {
    const first = sharedSubnetEstate();
    first.segments.api.allowFrom(first.segments.web, Port.tcp(8080));
    new DenyFlow(first.stack, 'NoWebToDb', { from: first.segments.web, to: first.segments.db, ports: [Port.tcp(8080)] });
    const second = sharedSubnetEstate();
    new DenyFlow(second.stack, 'NoWebToDb', { from: second.segments.web, to: second.segments.db, ports: [Port.tcp(8080)] });
    second.segments.api.allowFrom(second.segments.web, Port.tcp(8080));
    expect(synthApp(second.app).vpc.text).toEqual(synthApp(first.app).vpc.text);
  });

  test('when both subnets hold other workloads, no entry can be that narrow: synthesis fails naming the DenyFlow and the flows it would cut', () => {
    // GIVEN web shares its subnet with other, api shares with db; web -> api and other -> db are allowed
    const { app, stack, segments } = sharedSubnetEstate({ web: '10.0.1.10', other: '10.0.1.11', api: '10.0.2.10', db: '10.0.2.20' });
    segments.api.allowFrom(segments.web, Port.tcp(8080));
    segments.db.allowFrom(segments.other, Port.tcp(8080));
    // WHEN web -> db is denied
    new DenyFlow(stack, 'NoWebToDb', { from: segments.web, to: segments.db, ports: [Port.tcp(8080)] });
    // THEN each possible entry would drop one of the flows
    const message = errorOf(() => app.synth());
    expect(message).toContain("DenyFlow 'vpc/NoWebToDb' cannot be rendered in the network ACLs of 'vpc/Aws' as narrowly as it is declared: subnet 10.0.2.0/24 also holds workload 'vpc/api1'. Its deny entry on subnet 10.0.2.0/24 (ingress from 10.0.1.10/32) would also drop tcp/8080 of AllowFlow 'vpc/api/AllowFrom-vpc-web-tcp-8080' from workload 'vpc/web1' to workload 'vpc/api1'.");
    expect(message).toContain("subnet 10.0.1.0/24 also holds workload 'vpc/other1'. Its deny entry on subnet 10.0.1.0/24 (egress to 10.0.2.20/32) would also drop tcp/8080 of AllowFlow 'vpc/db/AllowFrom-vpc-other-tcp-8080' from workload 'vpc/other1' to workload 'vpc/db1'.");
    // and, every workload having a literal address already, suggests only what can help
    expect(message).toContain('Place the denied workloads in subnets of their own, or narrow the DenyFlow');
    expect(message).not.toContain('literal addresses');
  });

  test('a member without a literal address cannot be named as a host: synthesis fails naming it and the flow it would cut', () => {
    // GIVEN db has no privateIp (AWS picks one), so only its whole subnet names it
    const { app, stack, segments } = sharedSubnetEstate({ web: '10.0.1.10', api: '10.0.2.10' });
    segments.api.allowFrom(segments.web, Port.tcp(8080));
    new DenyFlow(stack, 'NoWebToDb', { from: segments.web, to: segments.db, ports: [Port.tcp(8080)] });
    const message = errorOf(() => app.synth());
    expect(message).toContain("DenyFlow 'vpc/NoWebToDb' cannot be rendered in the network ACLs of 'vpc/Aws' as narrowly as it is declared: workload 'vpc/db1' has no literal address (only a Terraform expression or none), so entries can name it only by the whole subnet, and subnet 10.0.2.0/24 also holds workload 'vpc/api1'. Its deny entry on subnet 10.0.1.0/24 (egress to 10.0.2.0/24) would also drop tcp/8080 of AllowFlow 'vpc/api/AllowFrom-vpc-web-tcp-8080' from workload 'vpc/web1' to workload 'vpc/api1'.");
    expect(message).toContain('Give the workloads literal addresses');
  });

  test('a wider entry that drops no allowed flow is rendered with a warning (the workload without an address is still denied)', () => {
    // GIVEN db has no literal address, and nothing from web reaches the shared subnet on 8080
    const { app, stack, segments, workloads } = sharedSubnetEstate({ web: '10.0.1.10', api: '10.0.2.10' });
    segments.api.allowFrom(Peer.ipv4('198.51.100.0/24'), Port.tcp(8080));
    new DenyFlow(stack, 'NoWebToDb', { from: segments.web, to: segments.db, ports: [Port.tcp(8080)] });
    const out = synthApp(app).vpc;
    expect(denyEntries(out)).toEqual(['10-0-1-0-24 egress to 10.0.2.0/24 6 8080-8080', '10-0-2-0-24 ingress from 10.0.1.0/24 6 8080-8080']);
    // not silently: a warning with a stable id says each entry is wider than the DenyFlow, and why
    const warnings = stack.node.findAll().flatMap((c) => c.node.metadata).filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
    expect(warnings.filter((w) => w.startsWith('[microseg:nacl-deny-wider]'))).toEqual([
      "[microseg:nacl-deny-wider] DenyFlow 'vpc/NoWebToDb': its network ACL deny entry on subnet 10.0.1.0/24 in 'vpc/Aws' (egress to 10.0.2.0/24) is wider than the DenyFlow (workload 'vpc/db1' has no literal address (only a Terraform expression or none), so entries can name it only by the whole subnet, and subnet 10.0.2.0/24 also holds workload 'vpc/api1'). No declared flow crosses it today; a flow declared later that does will fail synthesis. Give the workloads literal addresses or subnets of their own to make it exact.",
      "[microseg:nacl-deny-wider] DenyFlow 'vpc/NoWebToDb': its network ACL deny entry on subnet 10.0.2.0/24 in 'vpc/Aws' (ingress from 10.0.1.0/24) is wider than the DenyFlow (subnet 10.0.2.0/24 also holds workload 'vpc/api1'). No declared flow crosses it today; a flow declared later that does will fail synthesis. Give the denied workloads subnets of their own to make it exact.",
    ]);
    expect(stack).toDenyFlow(workloads.web, workloads.db, Port.tcp(8080));
    expect(stack).toAllowFlow(Peer.ipv4('198.51.100.0/24'), workloads.api, Port.tcp(8080));
  });

  test('a GuardrailAllow declared after the DenyFlow lifts its deny entries', () => {
    const { app, stack, segments, workloads } = estate();
    prodToDev(stack);
    new GuardrailAllow(stack, 'ProdMetrics', { from: segments.prod, to: segments.dev, ports: [Port.tcp(9100)] });
    segments.dev.allowFrom(segments.prod, Port.tcp(9100));
    const out = synthApp(app).vpc;
    expect(denyEntries(out)).toEqual([]);
    expect(stack).toAllowFlow(workloads.prod, workloads.dev, Port.tcp(9100));
    expect(stack).toDenyFlow(workloads.prod, workloads.dev, Port.HTTPS);
  });
});

describe('stateless replies: only traffic that crosses a subnet boundary counts', () => {
  test('a client and a server in one subnet are not reported (no ACL sees their traffic)', () => {
    // GIVEN api and db share a subnet; db -> api HTTPS is allowed; api -> db all traffic is denied
    const { app, stack, segments, workloads } = sharedSubnetEstate();
    segments.api.allowFrom(segments.db, Port.HTTPS);
    new DenyFlow(stack, 'NoApiToDb', { from: segments.api, to: segments.db });
    // THEN it synthesizes: the replies api -> db never cross an ACL
    const out = synthApp(app).vpc;
    expect(denyEntries(out)).toEqual([]);
    expect(stack).toAllowFlow(workloads.db, workloads.api, Port.HTTPS);
  });

  test('a workload talking to itself is not reported', () => {
    const { app, stack, segments, workloads } = sharedSubnetEstate();
    segments.web.allowInternally(Port.HTTPS);
    new DenyFlow(stack, 'NoWebInside', { from: segments.web, to: segments.web });
    expect(() => synthApp(app)).not.toThrow();
    expect(stack).toDenyFlow(workloads.web, workloads.api, Port.HTTPS);
  });
});

describe('guardrails create no security groups', () => {
  test('DenyFlow selectors and a workload named by a DenyFlow add no group to the interface, so they do not count towards the quota', () => {
    // GIVEN a workload in five segments, each with a flow: exactly the default quota of 5 groups
    const app = newApp();
    const stack = awsStack(app, 'vpc');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
    const segments = [0, 1, 2, 3, 4].map((i) => new Segment(stack, `S${i}`, { selector: { app: 'pay' } }));
    segments.forEach((segment, i) => segment.allowFrom(Peer.ipv4('198.51.100.0/24'), Port.tcp(8000 + i)));
    const vm = new Workload(stack, 'Vm', { binding: AwsBinding.instance(new Instance(stack, 'vm', { ami: 'ami-1', instanceType: 't3.micro' })), labels: { app: 'pay', env: 'prod' } });
    const other = new Workload(stack, 'Other', { binding: AwsBinding.instance(new Instance(stack, 'other', { ami: 'ami-1', instanceType: 't3.micro' })), labels: { app: 'pay', env: 'dev' } });
    // WHEN guardrails select it by labels and name it directly
    new DenyFlow(stack, 'NoTelnet', { toSelector: { app: 'pay' }, ports: [Port.tcp(23)] });
    new DenyFlow(stack, 'NoProdToDev', { fromSelector: { env: 'prod' }, toSelector: { env: 'dev' } });
    new DenyFlow(stack, 'NoRdp', { to: vm, ports: [Port.tcp(3389)] });
    // THEN it synthesizes, the interface carries the five segment groups only, and no group renders a guardrail side
    const out = synthApp(app).vpc;
    const groups = resourcesOf(out, 'aws_security_group');
    expect(Object.values<any>(groups).map((g) => g.tags['microseg:segment']).sort()).toEqual(['vpc/S0', 'vpc/S1', 'vpc/S2', 'vpc/S3', 'vpc/S4']);
    expect(resourcesOf(out, 'aws_instance').vm.vpc_security_group_ids).toHaveLength(5);
    expect(stack).toAllowFlow(Peer.ipv4('198.51.100.0/24'), vm, Port.tcp(8004));
    expect(stack).toDenyFlow(vm, other, Port.tcp(8004));
  });

  test('a workload named by an AllowFlow still gets its own group, also when a DenyFlow named it first', () => {
    const { app, stack, workloads } = estate(false);
    new DenyFlow(stack, 'NoRdp', { to: workloads.dev, ports: [Port.tcp(3389)] });
    new AllowFlow(stack, 'Metrics', { from: workloads.mgmt, to: workloads.dev, ports: [Port.tcp(9100)] });
    const out = synthApp(app).vpc;
    const tags = Object.values<any>(resourcesOf(out, 'aws_security_group')).map((g) => g.tags['microseg:segment']).sort();
    expect(tags).toEqual(['vpc/dev-tier', 'vpc/dev-workload/Self', 'vpc/mgmt-tier', 'vpc/mgmt-workload/Self', 'vpc/prod-tier']);
    expect(stack).toAllowFlow(workloads.mgmt, workloads.dev, Port.tcp(9100));
    expect(stack).toDenyFlow(workloads.prod, workloads.dev, Port.tcp(9100));
  });
});

describe('guardrails on AWS security groups (which cannot deny)', () => {
  const message = /AllowFlow 'vpc\/dev-tier\/AllowFrom-vpc-prod-tier-tcp-443' allows tcp\/443 from workload 'vpc\/prod-workload' to workload 'vpc\/dev-workload', which DenyFlow 'vpc\/ProdToDev' \("no prod to dev"\) forbids\. AWS security groups cannot deny.*Remove the flow or narrow its ports or endpoints, or ask the platform team for a GuardrailAllow/;

  test('an AllowFlow declared after a DenyFlow that forbids it fails synthesis naming both', () => {
    const { app, stack, segments } = estate(false);
    prodToDev(stack);
    segments.dev.allowFrom(segments.prod, Port.HTTPS);
    expect(errorOf(() => app.synth())).toMatch(message);
  });

  test('an AllowFlow declared before the DenyFlow fails the same way', () => {
    const { app, stack, segments } = estate(false);
    segments.dev.allowFrom(segments.prod, Port.HTTPS);
    prodToDev(stack);
    expect(errorOf(() => app.synth())).toMatch(message);
  });

  test('overlap is resolved through membership and ports: a Peer covering a workload, a port range', () => {
    const { app, stack, segments } = estate(false);
    segments.dev.allowFrom(Peer.ipv4('203.0.113.0/24'), Port.tcpRange(20, 25));
    new DenyFlow(stack, 'NoSsh', { to: segments.dev, ports: [Port.SSH] });
    expect(errorOf(() => app.synth())).toMatch(/AllowFlow 'vpc\/dev-tier\/AllowFrom-ipv4-203.0.113.0_24-tcp-20-25' allows tcp\/22 from "203.0.113.0\/24" to workload 'vpc\/dev-workload', which DenyFlow 'vpc\/NoSsh'/);
  });

  test('no overlap, or traffic a GuardrailAllow grants, is not a conflict', () => {
    // GIVEN guardrails: no prod -> dev, SSH to dev only from management (granted)
    const { stack, segments, workloads } = estate(false);
    prodToDev(stack);
    new DenyFlow(stack, 'NoSsh', { to: segments.dev, ports: [Port.SSH] });
    new GuardrailAllow(stack, 'MgmtSsh', { from: segments.mgmt, to: segments.dev, ports: [Port.SSH] });
    // WHEN application flows that do not conflict
    segments.dev.allowFrom(segments.mgmt, Port.SSH); // granted by the GuardrailAllow
    segments.prod.allowFrom(segments.dev, Port.HTTPS); // dev -> prod is not denied
    // THEN the app synthesizes and the flows work
    expect(stack).toAllowFlow(workloads.mgmt, workloads.dev, Port.SSH);
    expect(stack).toAllowFlow(workloads.dev, workloads.prod, Port.HTTPS);
    expect(stack).toDenyFlow(workloads.prod, workloads.dev, Port.HTTPS);
  });

  test('a range of one family carries no ICMP of the other: an allow from ::/0 does not conflict with a deny of ICMPv4, an allow from 0.0.0.0/0 does', () => {
    const { stack, segments, workloads } = estate(false);
    new DenyFlow(stack, 'NoPing', { to: segments.dev, ports: [Port.icmp()] });
    segments.dev.allowFrom(Peer.anyIpv6(), Port.allTraffic());
    expect(stack).toDenyFlow(Peer.ipv4('203.0.113.9/32'), workloads.dev, Port.icmp(8));
    const ipv4 = estate(false);
    new DenyFlow(ipv4.stack, 'NoPing', { to: ipv4.segments.dev, ports: [Port.icmp()] });
    ipv4.segments.dev.allowFrom(Peer.anyIpv4(), Port.allTraffic());
    expect(errorOf(() => ipv4.app.synth())).toMatch(/AllowFlow 'vpc\/dev-tier\/AllowFrom-ipv4-0.0.0.0_0-all' allows icmp\/-1\/-1 from "0.0.0.0\/0" to workload 'vpc\/dev-workload', which DenyFlow 'vpc\/NoPing'/);
  });

  test('only the conflicting flow is reported', () => {
    const { app, stack, segments } = estate(false);
    prodToDev(stack);
    segments.dev.allowFrom(segments.mgmt, Port.SSH);
    segments.dev.allowFrom(segments.prod, Port.icmp(8, 0));
    const error = errorOf(() => app.synth());
    expect(error).toMatch(/AllowFlow 'vpc\/dev-tier\/AllowFrom-vpc-prod-tier-icmp-8-0' allows icmp\/8\/0 from workload 'vpc\/prod-workload' to workload 'vpc\/dev-workload'/);
    expect(error.match(/AWS security groups cannot deny/g)).toHaveLength(1);
  });

  test('a GuardrailAllow of a narrower range grants only that range: an allow from anywhere still conflicts for the addresses outside it', () => {
    // GIVEN SSH to dev denied from anywhere, granted from 10.0.0.0/8, and allowed from anywhere
    const { app, stack, segments } = estate(false);
    new DenyFlow(stack, 'NoSsh', { from: Peer.anyIpv4(), to: segments.dev, ports: [Port.SSH] });
    new GuardrailAllow(stack, 'CorpSsh', { from: Peer.ipv4('10.0.0.0/8'), to: segments.dev, ports: [Port.SSH] });
    segments.dev.allowFrom(Peer.anyIpv4(), Port.SSH);
    // THEN synthesis fails for the addresses outside the grant (its 0.0.0.0/0 rule would admit 192.0.2.9)
    expect(errorOf(() => app.synth())).toMatch(/AllowFlow 'vpc\/dev-tier\/AllowFrom-ipv4-0.0.0.0_0-tcp-22' allows tcp\/22 from "0.0.0.0\/0" outside "10.0.0.0\/8" to workload 'vpc\/dev-workload', which DenyFlow 'vpc\/NoSsh'/);
    // AND a DenyFlow of a range the grant does not touch is named by that range
    const disjoint = estate(false);
    new DenyFlow(disjoint.stack, 'NoSsh', { from: Peer.ipv4('192.0.2.0/25'), to: disjoint.segments.dev, ports: [Port.SSH] });
    new GuardrailAllow(disjoint.stack, 'CorpSsh', { from: Peer.ipv4('10.0.0.0/8'), to: disjoint.segments.dev, ports: [Port.SSH] });
    disjoint.segments.dev.allowFrom(Peer.anyIpv4(), Port.SSH);
    expect(errorOf(() => disjoint.app.synth())).toMatch(/allows tcp\/22 from "192.0.2.0\/25" to workload 'vpc\/dev-workload', which DenyFlow 'vpc\/NoSsh'/);
    // AND an allow within the grant is no conflict
    const within = estate(false);
    new DenyFlow(within.stack, 'NoSsh', { from: Peer.anyIpv4(), to: within.segments.dev, ports: [Port.SSH] });
    new GuardrailAllow(within.stack, 'CorpSsh', { from: Peer.ipv4('10.0.0.0/8'), to: within.segments.dev, ports: [Port.SSH] });
    within.segments.dev.allowFrom(Peer.ipv4('10.20.0.0/16'), Port.SSH);
    expect(within.stack).toAllowFlow(Peer.ipv4('10.20.0.0/16'), within.workloads.dev, Port.SSH);
    expect(within.stack).toDenyFlow(Peer.ipv4('192.0.2.9/32'), within.workloads.dev, Port.SSH);
  });

  test('an instance\'s literal ipv6_addresses place it in IPv6 ranges: an allow from its segment conflicts with a DenyFlow of its IPv6 range', () => {
    // GIVEN A's instance with a literal IPv6 address, and B reached from A
    const app = newApp();
    const stack = awsStack(app, 'v6');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-1' });
    const a = new Segment(stack, 'A', { selector: { tier: 'a' } });
    const b = new Segment(stack, 'B', { selector: { tier: 'b' } });
    new Workload(stack, 'WA', { binding: AwsBinding.instance(instance(stack, 'wa', { privateIp: '10.0.1.10', ipv6Addresses: ['2001:db8:0:1::10'] })), labels: { tier: 'a' } });
    new Workload(stack, 'WB', { binding: AwsBinding.instance(instance(stack, 'wb', { privateIp: '10.0.2.10' })), labels: { tier: 'b' } });
    b.allowFrom(a, Port.SSH);
    // WHEN a DenyFlow forbids SSH from that IPv6 range
    new DenyFlow(stack, 'NoV6Ssh', { from: Peer.ipv6('2001:db8:0:1::/64'), to: b, ports: [Port.SSH] });
    // THEN the group rule (which matches A's IPv6 traffic too) is a conflict
    expect(errorOf(() => app.synth())).toMatch(/AllowFlow 'v6\/B\/AllowFrom-v6-A-tcp-22' allows tcp\/22 from workload 'v6\/WA' to workload 'v6\/WB', which DenyFlow 'v6\/NoV6Ssh'/);
  });

  test('flows of ranges that overlap the DenyFlow\'s range only in part are no conflict when none of them admits its traffic', () => {
    // GIVEN a partner range allowed everything, DNS allowed from anywhere, tcp/20-30 denied from the VPC range
    const { stack, segments, workloads } = estate(false);
    segments.dev.allowFrom(Peer.ipv4('192.0.2.0/24'), Port.allTraffic());
    segments.dev.allowFrom(Peer.anyIpv4(), Port.DNS_UDP);
    new DenyFlow(stack, 'NoFtp', { from: Peer.ipv4('10.0.0.0/16'), to: segments.dev, ports: [Port.tcpRange(20, 30)] });
    // THEN it synthesizes: no rule admits 10.0.0.0/16 on tcp (the all-traffic rule names the partner only)
    expect(stack).toDenyFlow(Peer.ipv4('10.0.5.0/24'), workloads.dev, Port.tcpRange(20, 30));
    expect(stack).toAllowFlow(Peer.ipv4('192.0.2.0/24'), workloads.dev, Port.tcpRange(20, 30));
    expect(stack).toAllowFlow(Peer.ipv4('10.0.5.0/24'), workloads.dev, Port.DNS_UDP);
  });
});

describe('guardrails on stateless network ACLs', () => {
  test('a DenyFlow whose ACL entries would drop the replies of a declared reverse flow fails synthesis', () => {
    // GIVEN dev -> prod HTTPS is declared; prod -> dev all traffic is denied
    const { app, stack, segments } = estate();
    segments.prod.allowFrom(segments.dev, Port.HTTPS);
    prodToDev(stack);
    // THEN the deny entries (all traffic) would drop the replies prod -> dev on the ephemeral ports
    expect(errorOf(() => app.synth())).toMatch(/DenyFlow 'vpc\/ProdToDev' becomes network ACL deny entries on 'vpc\/Aws' that also drop the replies \(tcp\/1024-65535\) of AllowFlow 'vpc\/prod-tier\/AllowFrom-vpc-dev-tier-tcp-443' from workload 'vpc\/dev-workload' to workload 'vpc\/prod-workload': network ACLs are stateless\. Deny only the ports that matter/);
  });

  test('a deny of one port in the ephemeral range leaves a public flow alone: its wider peer never reaches the denied subnet, so no reply there is dropped', () => {
    // GIVEN dev serves HTTPS to anyone; mgmt reaches prod on PostgreSQL; dev -> prod PostgreSQL is denied
    const { stack, segments, workloads } = estate();
    segments.dev.allowFrom(Peer.anyIpv4(), Port.HTTPS);
    segments.prod.allowFrom(segments.mgmt, Port.POSTGRES);
    new DenyFlow(stack, 'NoDevDb', { fromSelector: { app: 'pay', env: 'dev' }, toSelector: { app: 'pay', env: 'prod' }, ports: [Port.POSTGRES] });
    // THEN it synthesizes (dev's egress deny to prod's subnet on 5432 drops only replies to prod, whose hosts reach dev:443 through no ACL entry)
    expect(stack).toAllowFlow(Peer.ipv4('203.0.113.9/32'), workloads.dev, Port.HTTPS);
    expect(stack).toAllowFlow(workloads.mgmt, workloads.prod, Port.POSTGRES);
    expect(stack).toDenyFlow(workloads.dev, workloads.prod, Port.POSTGRES);
    expect(stack).toDenyFlow(workloads.prod, workloads.dev, Port.HTTPS);
  });

  test('a port deny leaves the replies alone', () => {
    const { stack, segments, workloads } = estate();
    segments.prod.allowFrom(segments.dev, Port.HTTPS);
    new DenyFlow(stack, 'NoSsh', { fromSelector: { app: 'pay', env: 'prod' }, toSelector: { app: 'pay', env: 'dev' }, ports: [Port.SSH] });
    expect(stack).toAllowFlow(workloads.dev, workloads.prod, Port.HTTPS);
    expect(stack).toDenyFlow(workloads.prod, workloads.dev, Port.SSH);
  });
});

/**
 * Stack `s` of one VPC: segments Dev and Db, the dev workload `dev` binds (it may declare the
 * subnet and variables it needs), a db instance at 10.0.2.10, a DenyFlow `denyId` from `denied` to
 * Db and an AllowFlow `s/DevToDb` from Dev to Db on Postgres.
 */
function devToDbEstate(denyId: string, denied: Peer, dev: (stack: TerraformStack) => { binding: AwsBinding; addresses?: string[] }) {
  const app = newApp();
  const stack = awsStack(app, 's');
  new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-1' });
  const devSegment = new Segment(stack, 'Dev', { selector: { tier: 'dev' } });
  const db = new Segment(stack, 'Db', { selector: { tier: 'db' } });
  const devVm = new Workload(stack, 'DevVm', { ...dev(stack), labels: { tier: 'dev' } });
  const dbVm = new Workload(stack, 'DbVm', { binding: AwsBinding.instance(new Instance(stack, 'dbvm', { ami: 'ami-1', instanceType: 't3.micro', privateIp: '10.0.2.10' })), labels: { tier: 'db' } });
  new DenyFlow(stack, denyId, { from: denied, to: db });
  new AllowFlow(stack, 'DevToDb', { from: devSegment, to: db, ports: [Port.POSTGRES] });
  return { app, stack, devVm, dbVm };
}

describe('a DenyFlow from a CIDR against an instance whose configured private_ip lies inside it (security groups only)', () => {
  // The instance sends from its private_ip whatever the Workload's addresses say, so the CIDR holds it.
  function devToDb(privateIp: string) {
    return devToDbEstate('NoDevSubnetToDb', Peer.ipv4('10.0.1.0/24'), (stack) => ({
      binding: AwsBinding.instance(new Instance(stack, 'devvm', { ami: 'ami-1', instanceType: 't3.micro', privateIp })),
    }));
  }

  test('inside: a flow that lets it through fails synthesis, as it does when the Workload names the address', () => {
    const { app } = devToDb('10.0.1.10');
    expect(errorOf(() => app.synth())).toContain("AllowFlow 's/DevToDb' allows tcp/5432 from workload 's/DevVm' to workload 's/DbVm', which DenyFlow 's/NoDevSubnetToDb'");
  });

  test('outside: the flow synthesizes and is allowed', () => {
    const { stack, devVm, dbVm } = devToDb('10.0.3.10');
    expect(stack).toAllowFlow(devVm, dbVm, Port.POSTGRES);
  });
});

describe('a DenyFlow from a CIDR against an instance without a literal private_ip: its subnet places it (security groups only)', () => {
  // The instance takes an address of its subnet at apply: a CIDR covering the subnet holds it whatever that address is.
  function devToDb(denied: string, privateIp?: string) {
    return devToDbEstate('NoDevSubnetToDb', Peer.ipv4(denied), (stack) => {
      const subnet = new Subnet(stack, 'dev-subnet', { vpcId: 'vpc-1', cidrBlock: '10.0.1.0/24' });
      return { binding: AwsBinding.instance(new Instance(stack, 'devvm', { ami: 'ami-1', instanceType: 't3.micro', subnetId: subnet.id, privateIp })) };
    });
  }
  const conflict = "AllowFlow 's/DevToDb' allows tcp/5432 from workload 's/DevVm' to workload 's/DbVm', which DenyFlow 's/NoDevSubnetToDb'";

  test('a DenyFlow of the subnet or a range around it is a certain conflict, with private_ip unset or from a variable', () => {
    expect(errorOf(() => devToDb('10.0.1.0/24').app.synth())).toContain(conflict);
    expect(errorOf(() => devToDb('10.0.0.0/16').app.synth())).toContain(conflict);
    const variable = devToDb('10.0.1.0/24');
    const ip = new TerraformVariable(variable.stack, 'dev_ip', { type: 'string' });
    (variable.devVm.resource as Instance).privateIp = ip.stringValue;
    expect(errorOf(() => variable.app.synth())).toContain(conflict);
  });

  test('a DenyFlow of part of the subnet may be a conflict: MS-GUARDRAIL-UNPROVEN names the workload', () => {
    expect(errorOf(() => devToDb('10.0.1.128/25').app.synth())).toContain("[MS-GUARDRAIL-UNPROVEN] AllowFlow 's/DevToDb' may allow tcp/5432 from workload 's/DevVm' to workload 's/DbVm', which DenyFlow 's/NoDevSubnetToDb'");
    expect(errorOf(() => devToDb('10.0.1.128/25').app.synth())).toContain("forbids: the addresses of workload 's/DevVm' (in subnet \"10.0.1.0/24\") are known only at apply, so synthesis cannot prove");
  });

  test('a DenyFlow of a range outside the subnet is no conflict; nor is one with a literal private_ip outside it', () => {
    const outside = devToDb('10.0.3.0/24');
    expect(outside.stack).toAllowFlow(outside.devVm, outside.dbVm, Port.POSTGRES);
    const literal = devToDb('10.0.1.128/25', '10.0.1.10');
    expect(literal.stack).toAllowFlow(literal.devVm, literal.dbVm, Port.POSTGRES);
  });
});

describe('a DenyFlow from an IPv6 CIDR against an instance whose IPv6 address AWS assigns: its subnet\'s IPv6 CIDR places it', () => {
  // The instance has a literal private IPv4 address; its IPv6 address comes from its subnet's IPv6
  // CIDR at apply, and the group rule that lets its segment in lets that address in too.
  interface Ipv6Options {
    readonly assigns?: boolean;
    readonly count?: number;
    readonly ipv6?: string;
    readonly countFromVariable?: boolean;
    readonly assignsFromVariable?: boolean;
    readonly enablePrimaryIpv6?: boolean;
    readonly blockFromVariable?: boolean;
    readonly addressFromVariable?: boolean;
    readonly prefixCount?: number;
  }
  function devToDb(denied: string, options: Ipv6Options = {}) {
    return devToDbEstate('NoDevV6ToDb', Peer.ipv6(denied), (stack) => {
      if (options.countFromVariable) options = { ...options, count: new TerraformVariable(stack, 'ipv6_count', { type: 'number' }).numberValue };
      if (options.assignsFromVariable) options = { ...options, assigns: new TerraformVariable(stack, 'assign_ipv6', { type: 'bool' }).booleanValue as unknown as boolean };
      const ipv6CidrBlock = options.blockFromVariable ? new TerraformVariable(stack, 'ipv6_block', { type: 'string' }).stringValue : '2001:db8:0:1::/64';
      const subnet = new Subnet(stack, 'dev-subnet', { vpcId: 'vpc-1', cidrBlock: '10.0.1.0/24', ipv6CidrBlock, assignIpv6AddressOnCreation: options.assigns });
      const ipv6Addresses = options.ipv6 ? [options.ipv6] : undefined;
      const binding = options.prefixCount === undefined
        ? AwsBinding.instance(new Instance(stack, 'devvm', {
          ami: 'ami-1', instanceType: 't3.micro', subnetId: subnet.id, privateIp: '10.0.1.10', ipv6AddressCount: options.count, ipv6Addresses, enablePrimaryIpv6: options.enablePrimaryIpv6,
        }))
        : AwsBinding.networkInterface(new NetworkInterface(stack, 'deveni', { subnetId: subnet.id, privateIps: ['10.0.1.10'], ipv6PrefixCount: options.prefixCount }));
      const addresses = options.addressFromVariable ? [new TerraformVariable(stack, 'dev_ip', { type: 'string' }).stringValue] : undefined;
      return { binding, addresses };
    });
  }
  const conflict = "AllowFlow 's/DevToDb' allows tcp/5432 from workload 's/DevVm' to workload 's/DbVm', which DenyFlow 's/NoDevV6ToDb'";

  test('GIVEN a subnet that assigns IPv6 addresses, or an instance that asks for one THEN a DenyFlow of the IPv6 CIDR or a range around it is a certain conflict', () => {
    expect(errorOf(() => devToDb('2001:db8:0:1::/64', { assigns: true }).app.synth())).toContain(conflict);
    expect(errorOf(() => devToDb('2001:db8::/48', { count: 1 }).app.synth())).toContain(conflict);
    expect(errorOf(() => devToDb('::/0', { assigns: true }).app.synth())).toContain(conflict);
  });

  test('a DenyFlow of part of the IPv6 CIDR may be a conflict: MS-GUARDRAIL-UNPROVEN names the subnet\'s IPv6 CIDR', () => {
    const error = errorOf(() => devToDb('2001:db8:0:1::/80', { count: 2 }).app.synth());
    expect(error).toContain("[MS-GUARDRAIL-UNPROVEN] AllowFlow 's/DevToDb' may allow tcp/5432 from workload 's/DevVm' to workload 's/DbVm', which DenyFlow 's/NoDevV6ToDb'");
    expect(error).toContain('(in subnet "2001:db8:0:1::/64")');
  });

  test('GIVEN the IPv6 address count or the subnet\'s assignment from a variable THEN a DenyFlow overlapping the subnet\'s IPv6 CIDR may be a conflict, one outside it is not', () => {
    const perhaps = 'perhaps with an address in "2001:db8:0:1::/64", decided at apply';
    for (const [denied, options] of [
      ['2001:db8::/48', { countFromVariable: true }], ['::/0', { countFromVariable: true }],
      ['2001:db8:0:1::/80', { countFromVariable: true }], ['2001:db8:0:1::/64', { assignsFromVariable: true }],
    ] as const) {
      const error = errorOf(() => devToDb(denied, options).app.synth());
      expect(error).toContain("[MS-GUARDRAIL-UNPROVEN] AllowFlow 's/DevToDb' may allow tcp/5432 from workload 's/DevVm' to workload 's/DbVm', which DenyFlow 's/NoDevV6ToDb'");
      expect(error).toContain(`the addresses of workload 's/DevVm' (${perhaps}) are known only at apply`);
    }
    const outside = devToDb('2001:db8:0:2::/64', { countFromVariable: true });
    expect(outside.stack).toAllowFlow(outside.devVm, outside.dbVm, Port.POSTGRES);
    // a literal count decides, whatever the subnet's switch
    const literal = devToDb('2001:db8:0:1::/64', { assignsFromVariable: true, count: 1 });
    expect(errorOf(() => literal.app.synth())).toContain(conflict);
  });

  test('GIVEN a delegated IPv6 prefix, or an IPv4 address from a variable THEN the IPv6 range still places the workload: a certain conflict', () => {
    expect(errorOf(() => devToDb('2001:db8:0:1::/64', { prefixCount: 1 }).app.synth())).toContain(conflict);
    expect(errorOf(() => devToDb('2001:db8:0:1::/64', { assigns: true, addressFromVariable: true }).app.synth())).toContain(conflict);
  });

  test('GIVEN the subnet\'s IPv6 CIDR from a variable THEN any IPv6 DenyFlow may be a conflict; enable_primary_ipv6 alone asks for no address', () => {
    const error = errorOf(() => devToDb('2001:db8:0:1::/64', { assigns: true, blockFromVariable: true }).app.synth());
    expect(error).toContain("[MS-GUARDRAIL-UNPROVEN] AllowFlow 's/DevToDb' may allow tcp/5432");
    expect(error).toContain('the addresses of workload \'s/DevVm\' (perhaps with an address in "::/0", decided at apply) are known only at apply');
    const primaryOnly = devToDb('2001:db8:0:1::/64', { enablePrimaryIpv6: true });
    expect(primaryOnly.stack).toAllowFlow(primaryOnly.devVm, primaryOnly.dbVm, Port.POSTGRES);
  });

  test('no conflict when the instance gets no IPv6 address, when its IPv6 address is literal and outside the range, or when the range is outside the subnet', () => {
    const none = devToDb('2001:db8:0:1::/64');
    expect(none.stack).toAllowFlow(none.devVm, none.dbVm, Port.POSTGRES);
    const zero = devToDb('2001:db8:0:1::/64', { count: 0 });
    expect(zero.stack).toAllowFlow(zero.devVm, zero.dbVm, Port.POSTGRES);
    const literal = devToDb('2001:db8:0:1::/80', { assigns: true, ipv6: '2001:db8:0:1:8000::10' });
    expect(literal.stack).toAllowFlow(literal.devVm, literal.dbVm, Port.POSTGRES);
    const outside = devToDb('2001:db8:0:2::/64', { assigns: true });
    expect(outside.stack).toAllowFlow(outside.devVm, outside.dbVm, Port.POSTGRES);
  });
});

describe('an instance in an IPv6-only subnet has no IPv4 address', () => {
  function devToDb(denied: Peer) {
    return devToDbEstate('NoneToDb', denied, (stack) => {
      const subnet = new Subnet(stack, 'v6-subnet', { vpcId: 'vpc-1', ipv6CidrBlock: '2001:db8:0:6::/64', ipv6Native: true, assignIpv6AddressOnCreation: true });
      return { binding: AwsBinding.instance(new Instance(stack, 'devvm', { ami: 'ami-1', instanceType: 't3.micro', subnetId: subnet.id })) };
    });
  }

  test('GIVEN a DenyFlow from every IPv4 address THEN an allow from the IPv6-only instance is no conflict; from every IPv6 address it is', () => {
    const ipv4 = devToDb(Peer.anyIpv4());
    expect(ipv4.stack).toAllowFlow(ipv4.devVm, ipv4.dbVm, Port.POSTGRES);
    expect(errorOf(() => devToDb(Peer.anyIpv6()).app.synth()))
      .toContain("AllowFlow 's/DevToDb' allows tcp/5432 from workload 's/DevVm' to workload 's/DbVm', which DenyFlow 's/NoneToDb'");
  });
});

describe('named peers (prefix lists, groups owned elsewhere) against ranges, on security groups', () => {
  const PL = 'pl-0123456789abcdef0';
  const SG = 'sg-0123456789abcdef0';

  test('a DenyFlow from a prefix list beside an allow from every IPv4 address fails synthesis: the allow admits the list\'s addresses', () => {
    const { app, stack, segments } = estate(false);
    new DenyFlow(stack, 'NoBad', { from: Peer.awsPrefixList(PL), to: segments.dev, ports: [Port.HTTPS], description: 'no partner' });
    segments.dev.allowFrom(Peer.anyIpv4(), Port.HTTPS);
    expect(errorOf(() => app.synth())).toMatch(/\[MS-GUARDRAIL-UNPROVEN\] AllowFlow 'vpc\/dev-tier\/AllowFrom-ipv4-0.0.0.0_0-tcp-443' may allow tcp\/443 from Peer.awsPrefixList\("pl-0123456789abcdef0"\) to workload 'vpc\/dev-workload', which DenyFlow 'vpc\/NoBad' \("no partner"\) forbids: the addresses of Peer.awsPrefixList\("pl-0123456789abcdef0"\) are not known at synth/);
  });

  test('an allow from a prefix list or a group owned elsewhere beside a DenyFlow from a range fails synthesis the same way', () => {
    for (const [peer, written] of [[Peer.awsPrefixList(PL), `Peer.awsPrefixList("${PL}")`], [Peer.awsSecurityGroup(SG), `Peer.awsSecurityGroup("${SG}")`]] as const) {
      const { app, stack, segments } = estate(false);
      new DenyFlow(stack, 'NoPublic', { from: Peer.ipv4('192.0.2.0/24'), to: segments.dev, ports: [Port.SSH], description: 'no public ssh' });
      segments.dev.allowFrom(peer, Port.SSH);
      const error = errorOf(() => app.synth());
      expect(error).toContain('[MS-GUARDRAIL-UNPROVEN] AllowFlow \'vpc/dev-tier/');
      expect(error).toContain(`which DenyFlow 'vpc/NoPublic' ("no public ssh") forbids: the addresses of ${written} are not known at synth`);
    }
  });

  test('the same named peer on both sides is a certain conflict; a suppression with a reason lets an unproven one synthesize', () => {
    const same = estate(false);
    new DenyFlow(same.stack, 'NoList', { from: Peer.awsPrefixList(PL), to: same.segments.dev, ports: [Port.SSH] });
    same.segments.dev.allowFrom(Peer.awsPrefixList(PL), Port.allTcp());
    expect(errorOf(() => same.app.synth())).toMatch(/AllowFlow 'vpc\/dev-tier\/AllowFrom-[^']*' allows tcp\/22 from Peer.awsPrefixList\("pl-0123456789abcdef0"\) to workload 'vpc\/dev-workload', which DenyFlow 'vpc\/NoList'.*AWS security groups cannot deny/);
    const suppressed = estate(false);
    new DenyFlow(suppressed.stack, 'NoPublic', { from: Peer.ipv4('192.0.2.0/24'), to: suppressed.segments.dev, ports: [Port.SSH] });
    const flow = suppressed.segments.dev.allowFrom(Peer.awsPrefixList(PL), Port.SSH);
    MicrosegSuppressions.addSuppressions(flow, [{ id: 'MS-GUARDRAIL-UNPROVEN', reason: 'the list holds only 198.51.100.0/24' }]);
    expect(suppressed.stack).toAllowFlow(Peer.awsPrefixList(PL), suppressed.workloads.dev, Port.SSH);
  });

  test('ports or ends that do not meet are no conflict: a named peer is never taken for a managed workload', () => {
    const { stack, segments, workloads } = estate(false);
    new DenyFlow(stack, 'NoList', { from: Peer.awsPrefixList(PL), to: segments.dev, ports: [Port.SSH] });
    new DenyFlow(stack, 'NoGroup', { from: Peer.awsSecurityGroup(SG), to: segments.dev, ports: [Port.SSH] });
    segments.dev.allowFrom(Peer.anyIpv4(), Port.HTTPS); // another port
    segments.prod.allowFrom(Peer.anyIpv4(), Port.SSH); // another destination
    segments.dev.allowFrom(segments.mgmt, Port.SSH); // a managed workload
    expect(stack).toAllowFlow(workloads.mgmt, workloads.dev, Port.SSH);
    expect(stack).toAllowFlow(Peer.ipv4('192.0.2.9/32'), workloads.dev, Port.HTTPS);
  });
});
