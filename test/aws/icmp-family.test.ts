import { App } from 'cdktf';
import { AllowFlow, AwsBinding, AwsEnforcement, Peer, Port, Segment, Workload } from '../../lib';
import '../../lib/verify/jest';
import { awsStack, errorOf, instance, newApp, synthApp } from '../helpers';

// ICMPv4 travels only over IPv4 and ICMPv6 only over IPv6. EC2 takes a rule of ICMPv6 from an
// IPv4 CIDR (or ICMPv4 from an IPv6 one), which never matches and still counts against the rules
// quota: such rules are not written, and a flow with nothing else fails synthesis.

/** An AWS stack with a segment Web (one instance) and what `declare` adds. */
function webEstate(declare: (stack: ReturnType<typeof awsStack>, web: Segment) => void): App {
  const app = newApp();
  const stack = awsStack(app, 'w');
  new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-1' });
  const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
  new Workload(stack, 'WebVm', { binding: AwsBinding.instance(instance(stack, 'vm', { privateIp: '10.0.1.10' })), labels: { tier: 'web' }, addresses: ['10.0.1.10'] });
  declare(stack, web);
  return app;
}

const ingressRules = (app: App) => Object.values<any>(synthApp(app).w.json.resource.aws_vpc_security_group_ingress_rule)
  .map((r) => `${r.ip_protocol} ${r.cidr_ipv4 ?? r.cidr_ipv6} ${r.from_port ?? ''}`.trim()).sort();

describe('ICMP of each IP family', () => {
  test('GIVEN ICMPv4, ICMPv6 and HTTPS from an IPv4 CIDR THEN no ICMPv6 rule names the IPv4 CIDR, and ICMPv4 and HTTPS are allowed', () => {
    const app = webEstate((stack, web) => new AllowFlow(stack, 'Ops', { from: Peer.ipv4('10.42.0.0/24'), to: web, ports: [Port.icmp(), Port.icmpv6(), Port.HTTPS] }));
    expect(ingressRules(app)).toEqual(['icmp 10.42.0.0/24 -1', 'tcp 10.42.0.0/24 443']);
    expect(app).toAllowFlow(Peer.ipv4('10.42.0.7/32'), 'w/WebVm', Port.icmp());
    expect(app).toAllowFlow(Peer.ipv4('10.42.0.7/32'), 'w/WebVm', Port.HTTPS);
  });

  test('GIVEN both from an IPv6 CIDR THEN only the ICMPv6 rule is written', () => {
    const app = webEstate((stack, web) => new AllowFlow(stack, 'Ops', { from: Peer.ipv6('2001:db8::/64'), to: web, ports: [Port.icmp(), Port.icmpv6()] }));
    expect(ingressRules(app)).toEqual(['icmpv6 2001:db8::/64 -1']);
  });

  test('a flow of ICMPv6 only from an IPv4 CIDR fails synthesis, saying what to use', () => {
    const app = webEstate((stack, web) => new AllowFlow(stack, 'Ping6', { from: Peer.ipv4('10.43.0.0/24'), to: web, ports: [Port.icmpv6(128)] }));
    expect(errorOf(() => synthApp(app))).toContain(
      "[w/Ping6] AllowFlow 'w/Ping6' allows only icmpv6/128/-1, but its security group rules would name \"10.43.0.0/24\", IPv4 addresses, which no ICMPv6 packet comes from or goes to. Use Port.icmp() for IPv4");
  });

  test('between two segments the rules name groups, which carry both families: the ICMPv6 rule stays', () => {
    const app = webEstate((stack, web) => {
      const api = new Segment(stack, 'Api', { selector: { tier: 'api' } });
      new Workload(stack, 'ApiVm', { binding: AwsBinding.instance(instance(stack, 'api-vm', { privateIp: '10.0.2.10' })), labels: { tier: 'api' }, addresses: ['10.0.2.10'] });
      new AllowFlow(stack, 'Ping6', { from: web, to: api, ports: [Port.icmpv6(128)] });
    });
    const rules = Object.values<any>(synthApp(app).w.json.resource.aws_vpc_security_group_ingress_rule);
    expect(rules.map((r) => [r.ip_protocol, r.from_port, typeof r.referenced_security_group_id])).toEqual([['icmpv6', 128, 'string']]);
  });

  /** Web and Api, each with an instance in a subnet of its own that the enforcement maps for network ACLs, and a flow Web -> Api on `ports`. */
  function mappedSubnets(ports: Port[]): App {
    const app = newApp();
    const stack = awsStack(app, 'w');
    const enforcement = new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-1', networkAcls: true });
    const [web, api] = [['web', '10.0.1.0/24', '10.0.1.10'], ['api', '10.0.2.0/24', '10.0.2.10']].map(([tier, cidr, ip]) => {
      const segment = new Segment(stack, tier, { selector: { tier } });
      new Workload(stack, `${tier}-vm`, { binding: AwsBinding.instance(instance(stack, `${tier}-instance`, { privateIp: ip })), labels: { tier } });
      enforcement.addSubnet({ segment, subnetId: `subnet-${tier}`, cidr });
      return segment;
    });
    new AllowFlow(stack, 'WebToApi', { from: web, to: api, ports });
    return app;
  }

  test('GIVEN network ACLs between mapped subnets (IPv4 CIDRs) THEN a flow of ICMPv6 only fails synthesis instead of being dropped at the ACLs', () => {
    expect(errorOf(() => synthApp(mappedSubnets([Port.icmpv6(128)])))).toContain(
      "[w/WebToApi] AllowFlow 'w/WebToApi' allows only icmpv6/128/-1, but it crosses network ACLs whose entries for it would name \"10.0.1.0/24\", \"10.0.2.0/24\", IPv4 addresses, which no ICMPv6 packet comes from or goes to, so the ACLs would drop all of its traffic");
  });

  test('GIVEN ICMPv6 and HTTPS between mapped subnets THEN the ACL entries carry HTTPS over IPv4 and name no ICMPv6', () => {
    const app = mappedSubnets([Port.icmpv6(128), Port.HTTPS]);
    const entries = Object.values<any>(synthApp(app).w.json.resource.aws_network_acl_rule)
      .filter((r) => r.rule_action === 'allow')
      .map((r) => `${r.egress ? 'out' : 'in'} ${r.protocol} ${r.cidr_block ?? r.ipv6_cidr_block} ${r.from_port}-${r.to_port}`).sort();
    expect(entries).toEqual([
      'in 6 10.0.1.0/24 443-443', // the api subnet admits web's requests
      'in 6 10.0.2.0/24 1024-65535', // the web subnet admits the replies
      'out 6 10.0.1.0/24 1024-65535', // the api subnet's replies
      'out 6 10.0.2.0/24 443-443', // web's requests
    ]);
    expect(app).toAllowFlow('w/web-vm', 'w/api-vm', Port.HTTPS);
  });
});
