import { Instance } from '@cdktf/provider-aws/lib/instance';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { App, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import * as ipaddr from 'ipaddr.js';
import { AllowFlow, AwsEnforcement, DenyFlow, Peer, Port, Segment, Workload, AwsBinding } from '../../lib';
import { NetworkAclRenderer } from '../../lib/aws/network-acl-renderer';
import { PolicyRegistry } from '../../lib/registry';
import '../../lib/verify/jest';
import { evaluate } from '../../lib/verify/evaluate';
import { loadTerraformStacks } from '../../lib/verify/model/load-terraform';
import { SynthesizedStack, awsStack, errorOf, newApp, resourcesOf, synthApp } from '../helpers';

const TIERS = { web: '10.0.1.0/24', app: '10.0.2.0/24', db: '10.0.3.0/24' } as const;
type Tier = keyof typeof TIERS;
const ADMIN = '198.51.100.0/24';

interface Shop {
  readonly app: App;
  readonly stack: TerraformStack;
  readonly enforcement: AwsEnforcement;
  readonly segments: Record<Tier, Segment>;
  readonly subnets: Record<Tier, Subnet>;
}

/** Web, app and db tiers in three subnets of one VPC, each tier's subnet mapped to its segment. */
function shop(options: { extraFlow?: boolean; maxNetworkAclRules?: number; ephemeralPorts?: { from: number; to: number } } = {}): Shop {
  const app = newApp();
  const stack = awsStack(app, 'shop');
  const enforcement = new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123', networkAcls: true, maxNetworkAclRules: options.maxNetworkAclRules, ephemeralPorts: options.ephemeralPorts });
  const segments = {} as Record<Tier, Segment>;
  const subnets = {} as Record<Tier, Subnet>;
  for (const tier of Object.keys(TIERS) as Tier[]) {
    segments[tier] = new Segment(stack, cap(tier), { selector: { tier } });
    subnets[tier] = new Subnet(stack, `${tier}-subnet`, { vpcId: 'vpc-0123', cidrBlock: TIERS[tier] });
    enforcement.addSubnet({ segment: segments[tier], subnetId: subnets[tier].id, cidr: subnets[tier].cidrBlockInput! });
  }
  const managed = new Segment(stack, 'Managed', { selector: { app: 'shop' } });
  segments.web.allowFrom(Peer.anyIpv4(), Port.HTTPS);
  segments.app.allowFrom(segments.web, Port.tcp(8080));
  segments.db.allowFrom(segments.app, Port.POSTGRES);
  segments.db.allowInternally(Port.POSTGRES);
  managed.allowFrom(Peer.ipv4(ADMIN), Port.SSH);
  if (options.extraFlow) segments.db.allowFrom(segments.web, Port.tcp(9187));
  vm({ app, stack, enforcement, segments, subnets }, 'web1', 'web', '10.0.1.10');
  vm({ app, stack, enforcement, segments, subnets }, 'app1', 'app', '10.0.2.10');
  vm({ app, stack, enforcement, segments, subnets }, 'db1', 'db', '10.0.3.10');
  vm({ app, stack, enforcement, segments, subnets }, 'db2', 'db', '10.0.3.11');
  return { app, stack, enforcement, segments, subnets };
}

function vm(s: Shop, name: string, subnet: Tier, ip: string, labels: Record<string, string> = { app: 'shop', tier: subnet }): Instance {
  const instance = new Instance(s.stack, name, { ami: 'ami-0abcdef1234567890', instanceType: 't3.micro', subnetId: s.subnets[subnet].id, privateIp: ip });
  new Workload(s.stack, `${name}-workload`, { binding: AwsBinding.instance(instance), labels });
  return instance;
}

function cap(text: string): string {
  return text[0].toUpperCase() + text.slice(1);
}

/** The ACL rules of one subnet as `in|out cidr protocol ports action` lines (number left out). */
function aclLines(out: SynthesizedStack, tier: Tier): string[] {
  return aclRules(out, tier).map((r) => `${r.egress ? 'out' : 'in'} ${r.cidr_block} ${r.protocol} ${r.from_port ?? r.icmp_type ?? ''}-${r.to_port ?? r.icmp_code ?? ''} ${r.rule_action}`).sort();
}

function aclRules(out: SynthesizedStack, tier: Tier): any[] {
  const association = Object.values<any>(resourcesOf(out, 'aws_network_acl_association')).find((a) => a.subnet_id === `\${aws_subnet.${tier}-subnet.id}`);
  return Object.values<any>(resourcesOf(out, 'aws_network_acl_rule')).filter((r) => r.network_acl_id === association.network_acl_id);
}

function ruleNumbers(out: SynthesizedStack): Record<string, number> {
  return Object.fromEntries(Object.entries<any>(resourcesOf(out, 'aws_network_acl_rule')).map(([name, r]) => [name, r.rule_number]));
}

describe('network ACLs: rendered resources', () => {
  const s = shop();
  const out = synthApp(s.app).shop;

  test('one ACL per mapped subnet, associated with it, in the VPC', () => {
    const acls = resourcesOf(out, 'aws_network_acl');
    expect(Object.keys(acls)).toHaveLength(3);
    for (const acl of Object.values<any>(acls)) {
      expect(acl.vpc_id).toBe('vpc-0123');
      expect(acl.ingress).toBeUndefined(); // rules are separate resources, never inline
      expect(acl.egress).toBeUndefined();
    }
    const associations = Object.values<any>(resourcesOf(out, 'aws_network_acl_association'));
    expect(associations.map((a) => a.subnet_id).sort()).toEqual(['${aws_subnet.app-subnet.id}', '${aws_subnet.db-subnet.id}', '${aws_subnet.web-subnet.id}']);
    for (const association of associations) {
      expect(association.network_acl_id).toMatch(/^\$\{aws_network_acl\.[^.]+\.id\}$/);
      expect(Object.keys(acls)).toContain(association.network_acl_id.split('.')[1]);
    }
  });

  test('the exact fields of a request rule and of its return rule', () => {
    const web = aclRules(out, 'web');
    const request = web.find((r) => !r.egress && r.cidr_block === '0.0.0.0/0');
    expect(request).toEqual(expect.objectContaining({ egress: false, protocol: '6', rule_action: 'allow', cidr_block: '0.0.0.0/0', from_port: 443, to_port: 443 }));
    expect(request.rule_number).toBeGreaterThanOrEqual(100);
    expect(request.rule_number % 10).toBe(0);
    const reply = web.find((r) => r.egress && r.cidr_block === '0.0.0.0/0');
    expect(reply).toEqual(expect.objectContaining({ egress: true, protocol: '6', rule_action: 'allow', cidr_block: '0.0.0.0/0', from_port: 1024, to_port: 65535 }));
    expect(request['//'].microseg.flows).toEqual(['shop/Web/AllowFrom-ipv4-0.0.0.0_0-tcp-443']);
  });

  test('every flow crossing a subnet gets request and return rules on both subnets, and nothing else', () => {
    expect(aclLines(out, 'web')).toEqual([
      'in 0.0.0.0/0 6 443-443 allow', // internet to web (request)
      'in 10.0.2.0/24 6 1024-65535 allow', // web to app (return)
      `in ${ADMIN} 6 22-22 allow`, // admin ssh (request)
      'out 0.0.0.0/0 6 1024-65535 allow', // internet to web (return)
      'out 10.0.2.0/24 6 8080-8080 allow', // web to app (request)
      `out ${ADMIN} 6 1024-65535 allow`, // admin ssh (return)
    ]);
    expect(aclLines(out, 'app')).toEqual([
      'in 10.0.1.0/24 6 8080-8080 allow',
      'in 10.0.3.0/24 6 1024-65535 allow',
      `in ${ADMIN} 6 22-22 allow`,
      'out 10.0.1.0/24 6 1024-65535 allow',
      'out 10.0.3.0/24 6 5432-5432 allow',
      `out ${ADMIN} 6 1024-65535 allow`,
    ]);
  });

  test('a flow within one subnet gets no ACL rule', () => {
    // db.allowInternally(POSTGRES): db1 and db2 share the db subnet
    expect(aclLines(out, 'db').filter((line) => line.includes('10.0.3.0/24'))).toEqual([]);
    expect(reaches(out, instanceHost(out, 'db1'), instanceHost(out, 'db2'), 'tcp', 5432)).toBe(true);
  });

  test('rule numbers are unique per ACL and direction', () => {
    for (const tier of Object.keys(TIERS) as Tier[]) {
      for (const egress of [true, false]) {
        const numbers = aclRules(out, tier).filter((r) => r.egress === egress).map((r) => r.rule_number);
        expect(new Set(numbers).size).toBe(numbers.length);
      }
    }
  });

  test('the inventory names the subnets for the evaluator', () => {
    expect(out.json['//'].microseg.subnets).toEqual({
      '${aws_subnet.app-subnet.id}': '10.0.2.0/24',
      '${aws_subnet.db-subnet.id}': '10.0.3.0/24',
      '${aws_subnet.web-subnet.id}': '10.0.1.0/24',
    });
  });
});

describe('network ACLs: reachability through both layers', () => {
  const s = shop();
  vm(s, 'stray', 'db', '10.0.3.50', { app: 'shop', tier: 'web' }); // a web workload placed in the db subnet
  vm(s, 'batch', 'web', '10.0.1.99', { role: 'batch' }); // no segment, in the web subnet
  const out = synthApp(s.app).shop;
  const host = (name: string) => instanceHost(out, name);

  test('declared flows are allowed through groups and ACLs, including their return traffic', () => {
    expect(reaches(out, outside('203.0.113.9'), host('web1'), 'tcp', 443)).toBe(true);
    expect(reaches(out, host('web1'), host('app1'), 'tcp', 8080)).toBe(true);
    expect(reaches(out, host('app1'), host('db1'), 'tcp', 5432)).toBe(true);
    expect(reaches(out, outside('198.51.100.7'), host('db1'), 'tcp', 22)).toBe(true);
  });

  test('undeclared flows are denied', () => {
    expect(reaches(out, outside('203.0.113.9'), host('app1'), 'tcp', 8080)).toBe(false);
    expect(reaches(out, host('web1'), host('db1'), 'tcp', 5432)).toBe(false);
    expect(reaches(out, host('app1'), host('web1'), 'tcp', 8080)).toBe(false);
    expect(reaches(out, outside('203.0.113.9'), host('db1'), 'tcp', 22)).toBe(false);
    // both layers deny web to db on its own
    expect(securityGroupsAllow(out, host('web1'), host('db1'), 'tcp', 5432)).toBe(false);
    expect(networkAclsAllow(out, host('web1'), host('db1'), 'tcp', 5432)).toBe(false);
  });

  test('allowed by the groups but denied by the ACLs: a web workload placed in the db subnet', () => {
    expect(securityGroupsAllow(out, host('stray'), host('app1'), 'tcp', 8080)).toBe(true);
    expect(networkAclsAllow(out, host('stray'), host('app1'), 'tcp', 8080)).toBe(false);
    expect(reaches(out, host('stray'), host('app1'), 'tcp', 8080)).toBe(false);
  });

  test('such a misplaced workload is reported as a warning with a stable id and the fix', () => {
    const stray = s.stack.node.findChild('stray-workload');
    const warnings = stray.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => m.data);
    expect(warnings).toEqual([
      "[microseg:nacl-placement] Workload 'shop/stray-workload' is in subnet \"${aws_subnet.db-subnet.id}\", but its segments (shop/Managed, shop/Web) "
      + 'are mapped to "${aws_subnet.web-subnet.id}" (10.0.1.0/24); the network ACLs will drop its flows that the security groups allow. '
      + 'Place it in one of those subnets, or map its subnet to its segment with enforcement.addSubnet().',
    ]);
    const web1 = s.stack.node.findChild('web1-workload');
    expect(web1.node.metadata.filter((m) => m.type === '@cdktf/warn')).toEqual([]);
  });

  test('allowed by the ACLs but denied by the groups: a workload of no segment in the web subnet', () => {
    expect(networkAclsAllow(out, host('batch'), host('app1'), 'tcp', 8080)).toBe(true);
    expect(securityGroupsAllow(out, host('batch'), host('app1'), 'tcp', 8080)).toBe(false);
    expect(reaches(out, host('batch'), host('app1'), 'tcp', 8080)).toBe(false);
  });

  test('the ACLs need the return rules: without them the reply is dropped', () => {
    const withoutReturn: SynthesizedStack = {
      text: '',
      json: {
        resource: {
          ...out.json.resource,
          aws_network_acl_rule: Object.fromEntries(Object.entries<any>(resourcesOf(out, 'aws_network_acl_rule')).filter(([, r]) => !(r.from_port === 1024 && r.to_port === 65535))),
        },
      },
    };
    expect(networkAclsAllow(withoutReturn, host('web1'), host('app1'), 'tcp', 8080)).toBe(false);
    expect(aclDecides(withoutReturn, host('web1').subnet, true, '10.0.2.10', 'tcp', 8080)).toBe(true); // the request still passes
  });
});

describe('network ACLs: reachability by the shared evaluator (lib/verify)', () => {
  const s = shop();
  vm(s, 'stray', 'db', '10.0.3.50', { app: 'shop', tier: 'web' }); // a web workload placed in the db subnet
  vm(s, 'batch', 'web', '10.0.1.99', { role: 'batch' }); // no segment, in the web subnet
  const model = loadTerraformStacks({ shop: synthApp(s.app).shop.json });
  const verdict = (from: string, to: string, port: string) => evaluate(model, { from, to, port });
  /** Whether every enforcement point of one layer on the deciding path lets the traffic through. */
  const layerPasses = (from: string, to: string, port: string, layer: string) =>
    verdict(from, to, port).layers.filter((point) => point.layer === layer).every((point) => point.status !== 'denied');

  test('declared flows are allowed and undeclared ones denied, through both layers', () => {
    expect(verdict('203.0.113.9', 'shop/web1-workload', 'tcp/443').allowed).toBe(true);
    expect(verdict('shop/web1-workload', 'shop/app1-workload', 'tcp/8080').allowed).toBe(true);
    expect(verdict('shop/app1-workload', 'shop/db1-workload', 'tcp/5432').allowed).toBe(true);
    expect(verdict('198.51.100.7', 'shop/db1-workload', 'tcp/22').allowed).toBe(true);
    expect(verdict('shop/db1-workload', 'shop/db2-workload', 'tcp/5432').allowed).toBe(true);
    expect(verdict('203.0.113.9', 'shop/app1-workload', 'tcp/8080').denied).toBe(true);
    expect(verdict('shop/web1-workload', 'shop/db1-workload', 'tcp/5432').denied).toBe(true);
    expect(verdict('shop/app1-workload', 'shop/web1-workload', 'tcp/8080').denied).toBe(true);
  });

  test('the groups allow but the ACLs deny: a web workload placed in the db subnet', () => {
    expect(layerPasses('shop/stray-workload', 'shop/app1-workload', 'tcp/8080', 'aws-security-group')).toBe(true);
    expect(layerPasses('shop/stray-workload', 'shop/app1-workload', 'tcp/8080', 'aws-network-acl')).toBe(false);
    expect(verdict('shop/stray-workload', 'shop/app1-workload', 'tcp/8080').allowed).toBe(false);
  });

  test('the ACLs allow but the groups deny: a workload of no segment in the web subnet', () => {
    expect(layerPasses('shop/batch-workload', 'shop/app1-workload', 'tcp/8080', 'aws-network-acl')).toBe(true);
    expect(layerPasses('shop/batch-workload', 'shop/app1-workload', 'tcp/8080', 'aws-security-group')).toBe(false);
    expect(verdict('shop/batch-workload', 'shop/app1-workload', 'tcp/8080').allowed).toBe(false);
  });
});

describe('network ACLs: many-to-many mapping', () => {
  test('a segment spread over two subnets and a subnet serving two segments', () => {
    // GIVEN app also lives in a second subnet, and the web subnet also serves a Proxy segment
    const s = shop();
    const app2 = new Subnet(s.stack, 'app2-subnet', { vpcId: 'vpc-0123', cidrBlock: '10.0.4.0/24' });
    s.enforcement.addSubnet({ segment: s.segments.app, subnetId: app2.id, cidr: '10.0.4.0/24' });
    const proxy = new Segment(s.stack, 'Proxy', { selector: { role: 'proxy' } });
    s.enforcement.addSubnet({ segment: proxy, subnetId: s.subnets.web.id, cidr: TIERS.web });
    proxy.allowTo(Peer.ipv4('192.0.2.0/24'), Port.HTTP);
    // WHEN
    const out = synthApp(s.app).shop;
    // THEN four ACLs, the web one tagged with both segments
    const acls = Object.values<any>(resourcesOf(out, 'aws_network_acl'));
    expect(acls).toHaveLength(4);
    expect(acls.find((a) => a.tags.Name === 'microseg-10.0.1.0/24').tags['microseg:segments']).toBe('shop/Proxy shop/Web');
    // web reaches both app subnets on 8080, and the proxy's flow leaves the shared subnet
    expect(aclLines(out, 'web')).toEqual(expect.arrayContaining([
      'out 10.0.2.0/24 6 8080-8080 allow',
      'out 10.0.4.0/24 6 8080-8080 allow',
      'out 192.0.2.0/24 6 80-80 allow',
      'in 192.0.2.0/24 6 1024-65535 allow',
    ]));
    const app2Rules = Object.values<any>(resourcesOf(out, 'aws_network_acl_rule')).filter((r) => r.network_acl_id.includes('10-0-4-0'));
    expect(app2Rules.map((r) => `${r.egress ? 'out' : 'in'} ${r.cidr_block} ${r.from_port}-${r.to_port}`).sort()).toEqual([
      'in 10.0.1.0/24 8080-8080', 'in 10.0.3.0/24 1024-65535', `in ${ADMIN} 22-22`,
      'out 10.0.1.0/24 1024-65535', 'out 10.0.3.0/24 5432-5432', `out ${ADMIN} 1024-65535`,
    ]); // admin SSH too: the app members of Managed may live in either app subnet
  });
});

describe('network ACLs: IPv6 and references', () => {
  test('an IPv6 peer gets ipv6_cidr_block rules, and ICMPv6 its own protocol number', () => {
    const s = shop();
    s.segments.web.allowFrom(Peer.anyIpv6(), Port.HTTPS);
    s.segments.web.allowFrom(Peer.ipv6('2001:db8::/32'), Port.icmpv6(128));
    const out = synthApp(s.app).shop;
    const web = aclRules(out, 'web');
    const inbound = web.find((r) => r.ipv6_cidr_block === '::/0' && !r.egress);
    expect(inbound).toEqual(expect.objectContaining({ protocol: '6', from_port: 443, to_port: 443, rule_action: 'allow' }));
    expect(inbound.cidr_block).toBeUndefined();
    expect(web.find((r) => r.ipv6_cidr_block === '::/0' && r.egress)).toEqual(expect.objectContaining({ protocol: '6', from_port: 1024, to_port: 65535 }));
    expect(web.find((r) => r.ipv6_cidr_block === '2001:db8::/32' && !r.egress)).toEqual(expect.objectContaining({ protocol: '58', icmp_type: 128, icmp_code: -1 }));
    expect(web.find((r) => r.ipv6_cidr_block === '2001:db8::/32' && r.egress)).toEqual(expect.objectContaining({ protocol: '58', icmp_type: 129, icmp_code: 0 }));
  });

  test('every ${...} of the stack names a resource of the same stack', () => {
    const out = synthApp(shop().app).shop;
    for (const match of out.text.matchAll(/\$\{([a-z0-9_]+)\.([^.}]+)/g)) {
      expect(resourcesOf(out, match[1])[match[2]]).toBeDefined();
    }
  });
});

describe('network ACLs: ICMP', () => {
  test('an echo request is allowed one way, and its echo reply comes back', () => {
    const s = shop();
    s.segments.app.allowFrom(s.segments.web, Port.icmp(8));
    const out = synthApp(s.app).shop;
    expect(aclLines(out, 'app')).toEqual(expect.arrayContaining(['in 10.0.1.0/24 1 8--1 allow', 'out 10.0.1.0/24 1 0-0 allow']));
    expect(aclLines(out, 'web')).toEqual(expect.arrayContaining(['out 10.0.2.0/24 1 8--1 allow', 'in 10.0.2.0/24 1 0-0 allow']));
    expect(networkAclsAllow(out, instanceHost(out, 'web1'), instanceHost(out, 'app1'), 'icmp', 8)).toBe(true);
    expect(networkAclsAllow(out, instanceHost(out, 'app1'), instanceHost(out, 'web1'), 'icmp', 8)).toBe(false);
  });

  test('the evaluator sees ping pass both ACLs: the return entry (type 0 code 0) is exactly the echo reply', () => {
    // GIVEN ping web -> app, and ping with code 0 app -> db
    const s = shop();
    s.segments.app.allowFrom(s.segments.web, Port.icmp(8));
    s.segments.db.allowFrom(s.segments.app, Port.icmp(8, 0));
    // THEN the evaluator agrees with the platform: each works one way only
    expect(s.stack).toAllowFlow(s.segments.web, s.segments.app, Port.icmp(8));
    expect(s.stack).toAllowFlow(s.segments.web, s.segments.app, Port.icmp(8, 0));
    expect(s.stack).toDenyFlow(s.segments.app, s.segments.web, Port.icmp(8));
    expect(s.stack).toAllowFlow(s.segments.app, s.segments.db, Port.icmp(8, 0));
    expect(s.stack).toDenyFlow(s.segments.app, s.segments.db, Port.icmp(8, 3));
    expect(s.stack).toDenyFlow(s.segments.db, s.segments.app, Port.icmp(8, 0));
  });

  test('ICMPv6 echo (128) from an IPv6 peer passes, and its reply goes out as type 129 code 0', () => {
    const s = shop();
    s.segments.web.allowFrom(Peer.ipv6('2001:db8::/32'), Port.icmpv6(128));
    expect(s.stack).toAllowFlow(Peer.ipv6('2001:db8::/32'), s.segments.web, Port.icmpv6(128));
    expect(s.stack).toDenyFlow(Peer.ipv6('2001:db8::/32'), s.segments.web, Port.icmpv6(135));
  });
});

describe('network ACLs: one ACL per subnet', () => {
  /** Two stacks with an enforcement each (network ACLs on), in VPCs `vpcs`; both map the web subnet. */
  function twoOwners(vpcs: [string, string]): string {
    const app = newApp();
    const [platform, team] = [awsStack(app, 'platform'), awsStack(app, 'team')];
    const owners = [new AwsEnforcement(platform, 'Aws', { vpcId: vpcs[0], networkAcls: true }), new AwsEnforcement(team, 'Aws', { vpcId: vpcs[1], networkAcls: true })];
    const web = new Segment(platform, 'web', { selector: { tier: 'web' } });
    const api = new Segment(team, 'api', { selector: { tier: 'api' } });
    owners[0].addSubnet({ segment: web, subnetId: 'subnet-web', cidr: '10.0.1.0/24' });
    owners[1].addSubnet({ segment: api, subnetId: 'subnet-api', cidr: '10.0.2.0/24' });
    owners[1].addSubnet({ segment: web, subnetId: 'subnet-web', cidr: '10.0.1.0/24' });
    new Workload(platform, 'web1', { binding: AwsBinding.instance(new Instance(platform, 'w', { ami: 'ami-1', instanceType: 't3.micro', privateIp: '10.0.1.10' })), labels: { tier: 'web' }, addresses: ['10.0.1.10'] });
    new Workload(team, 'api1', { binding: AwsBinding.instance(new Instance(team, 'a', { ami: 'ami-1', instanceType: 't3.micro', privateIp: '10.0.2.10' })), labels: { tier: 'api' }, addresses: ['10.0.2.10'] });
    api.allowFrom(web, Port.tcp(8080));
    try {
      app.synth();
      return 'synthesized';
    } catch (error) {
      return String(error);
    }
  }

  test('GIVEN two enforcements of one VPC mapping the same subnet with network ACLs THEN synthesis fails: the two associations would take the subnet from each other', () => {
    expect(twoOwners(['vpc-0123', 'vpc-0123'])).toContain("AwsEnforcement 'team/Aws': subnet mapping of segment 'platform/web' maps subnet \"subnet-web\" (10.0.1.0/24), which AwsEnforcement 'platform/Aws' of the same VPC maps with a network ACL of its own");
  });

  test('GIVEN the same CIDR mapped in two VPCs THEN they are two subnets: no error', () => {
    expect(twoOwners(['vpc-0123', 'vpc-0456'])).toBe('synthesized');
  });
});

describe('network ACLs: stable identity', () => {
  test('adding a flow keeps the construct ids and rule numbers of every other rule', () => {
    // GIVEN
    const beforeOut = synthApp(shop().app).shop;
    // WHEN
    const afterOut = synthApp(shop({ extraFlow: true }).app).shop;
    // THEN
    const before = ruleNumbers(beforeOut);
    const after = ruleNumbers(afterOut);
    for (const [name, number] of Object.entries(before)) expect(after[name]).toBe(number);
    expect(Object.keys(after).length).toBe(Object.keys(before).length + 4); // request and return on web and db
    // every argument is unchanged; an association's depends_on (an order, no argument) gains the new entries
    const withoutOrder = ({ depends_on: _order, ...body }: any) => body;
    for (const type of ['aws_network_acl', 'aws_network_acl_association', 'aws_network_acl_rule']) {
      for (const [name, body] of Object.entries<any>(resourcesOf(beforeOut, type))) {
        expect(withoutOrder(resourcesOf(afterOut, type)[name])).toEqual(withoutOrder(body));
      }
    }
    const added = Object.keys(after).filter((name) => !(name in before));
    expect(added.map((name) => resourcesOf(afterOut, 'aws_network_acl_rule')[name]['//'].microseg.flows)).toEqual(added.map(() => ['shop/Db/AllowFrom-shop-Web-tcp-9187']));
  });

  test('each subnet\'s association waits for every entry of its ACL: a new ACL denies everything, so the subnet moves to it only once the entries exist', () => {
    const out = synthApp(shop().app).shop;
    const rules = resourcesOf(out, 'aws_network_acl_rule');
    const associations = Object.values<any>(resourcesOf(out, 'aws_network_acl_association'));
    expect(associations.length).toBeGreaterThan(1);
    for (const association of associations) {
      const acl = /^\$\{(aws_network_acl\.[^.]+)\.id\}$/.exec(association.network_acl_id)![1];
      const entries = Object.entries<any>(rules).filter(([, rule]) => rule.network_acl_id === `\${${acl}.id}`).map(([name]) => `aws_network_acl_rule.${name}`).sort();
      expect(entries.length).toBeGreaterThan(0);
      expect(association.depends_on).toEqual(entries);
    }
  });

  test('declaration order does not change the output (byte-identical)', () => {
    const build = (reverse: boolean) => {
      const app = newApp();
      const stack = awsStack(app, 'shop');
      const steps: Array<() => void> = [];
      const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
      const db = new Segment(stack, 'Db', { selector: { tier: 'db' } });
      const subnet = (tier: Tier) => (stack.node.tryFindChild(`${tier}-subnet`) as Subnet) ?? new Subnet(stack, `${tier}-subnet`, { vpcId: 'vpc-0123', cidrBlock: TIERS[tier] });
      let enforcement: AwsEnforcement | undefined;
      const aws = () => enforcement ?? (enforcement = new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123', networkAcls: true }));
      steps.push(() => aws().addSubnet({ segment: web, subnetId: subnet('web').id, cidr: TIERS.web }));
      steps.push(() => aws().addSubnet({ segment: db, subnetId: subnet('db').id, cidr: TIERS.db }));
      steps.push(() => db.allowFrom(web, Port.POSTGRES));
      steps.push(() => web.allowFrom(Peer.anyIpv4(), Port.HTTPS));
      steps.push(() => new Workload(stack, 'W', { binding: AwsBinding.instance(new Instance(stack, 'w', { ami: 'ami-1', instanceType: 't3.micro', subnetId: subnet('web').id })), labels: { tier: 'web' } }));
      for (const step of reverse ? steps.reverse() : steps) step();
      aws();
      return synthApp(app).shop.text;
    };
    expect(build(true)).toEqual(build(false));
  });
});

describe('network ACLs: quotas', () => {
  test('too many rules in one direction is an error naming the ACL, the count and the fix', () => {
    // GIVEN 20 scattered hosts (no two aggregate) besides web, db's replies and admin: 23 ingress rules on app's ACL
    const s = shop();
    for (let i = 0; i < 20; i++) s.segments.app.allowFrom(Peer.ipv4(`192.0.2.${i * 4}/32`), Port.tcp(9000));
    // THEN
    const message = errorOf(() => synthApp(s.app));
    expect(message).toContain("AwsEnforcement 'shop/Aws': the network ACL of subnet \"${aws_subnet.app-subnet.id}\" (10.0.2.0/24, segments 'shop/App') needs 23 ingress IPv4 rules");
    expect(message).toContain("segments 'shop/App') needs 23 egress IPv4 rules"); // the return rules to the 20 hosts
    expect(message).toContain('the quota is 20 per direction including the default deny, so 19 usable');
    expect(message).toContain('set maxNetworkAclRules');
  });

  test('the quota is configurable up to 40', () => {
    const s = shop({ maxNetworkAclRules: 40 });
    for (let i = 0; i < 20; i++) s.segments.app.allowFrom(Peer.ipv4(`192.0.2.${i * 4}/32`), Port.tcp(9000));
    expect(() => synthApp(s.app)).not.toThrow();
    const bad = shop({ maxNetworkAclRules: 41 });
    expect(errorOf(() => synthApp(bad.app))).toContain("AwsEnforcement 'shop/Aws': maxNetworkAclRules 41 is outside 2-40");
  });

  test('hosts are never aggregated to fit: the overflow is an error, and one CIDR for them fits', () => {
    // GIVEN 20 consecutive hosts: 23 ingress entries (before, they were silently merged into a /28 and a /30,
    // new entries that a later addition could re-merge and replace)
    const s = shop();
    for (let i = 0; i < 20; i++) s.segments.app.allowFrom(Peer.ipv4(`192.0.2.${i}/32`), Port.tcp(9000));
    // THEN the error names the ACL, the direction, the family, the count, the quota and the ways out
    const message = errorOf(() => synthApp(s.app));
    expect(message).toContain("the network ACL of subnet \"${aws_subnet.app-subnet.id}\" (10.0.2.0/24, segments 'shop/App') needs 23 ingress IPv4 rules; the quota is 20 per direction including the default deny, so 19 usable.");
    expect(message).toContain('Entries are never merged to fit');
    expect(message).toContain('fewer peers (one Peer.ipv4() CIDR or a prefix instead of many hosts');
    expect(message).toContain('raise the quota with AWS (up to 40) and set maxNetworkAclRules on the AwsEnforcement');
    expect(s.enforcement.node.metadata.filter((m) => String(m.data).includes('nacl-aggregated'))).toEqual([]);

    // WHEN the hosts are declared as the CIDR they form
    const fixed = shop();
    fixed.segments.app.allowFrom(Peer.ipv4('192.0.2.0/27'), Port.tcp(9000));
    const out = synthApp(fixed.app).shop;
    // THEN one entry, exactly as declared
    expect(aclLines(out, 'app').filter((l) => l.startsWith('in ') && l.includes('9000'))).toEqual(['in 192.0.2.0/27 6 9000-9000 allow']);
    const app1 = instanceHost(out, 'app1');
    expect(reaches(out, outside('192.0.2.19'), app1, 'tcp', 9000)).toBe(true);
    expect(reaches(out, outside('192.0.2.40'), app1, 'tcp', 9000)).toBe(false);
  });
});

describe('network ACLs: hosts known only by their addresses inside a mapped subnet', () => {
  // An appliance at 10.0.3.200 sits in the db subnet; no Workload binding manages it.
  const appliance = { ip: '10.0.3.200', subnet: '${aws_subnet.db-subnet.id}' };
  const baseline = synthApp(shop().app).shop;

  test.each([
    ['a host known only by its addresses', (s: Shop) => new Workload(s.stack, 'Appliance', { addresses: ['10.0.3.200'] })],
    ['a CIDR peer', () => Peer.ipv4('10.0.3.200/32')],
  ])('GIVEN web -> %s in the db subnet THEN the db subnet\'s ACL lets the flow and its replies through, and nothing else', (_, target) => {
    // GIVEN
    const s = shop();
    new AllowFlow(s.stack, 'WebToAppliance', { from: s.segments.web, to: target(s), ports: [Port.tcp(8443)] });
    // WHEN
    const out = synthApp(s.app).shop;
    // THEN the request enters the db subnet and the replies leave it; and the appliance, now a host
    // of the db subnet, may reach web on HTTPS as anywhere may (web's flow from 0.0.0.0/0)
    expect(aclLines(out, 'db')).toEqual([
      ...aclLines(baseline, 'db'),
      'in 10.0.1.0/24 6 8443-8443 allow', 'out 10.0.1.0/24 6 1024-65535 allow',
      'out 10.0.1.0/24 6 443-443 allow', 'in 10.0.1.0/24 6 1024-65535 allow',
    ].sort());
    expect(aclLines(out, 'app')).toEqual(aclLines(baseline, 'app'));
    const web1 = instanceHost(out, 'web1');
    expect(reaches(out, web1, appliance, 'tcp', 8443)).toBe(true);
    expect(reaches(out, web1, appliance, 'tcp', 8444)).toBe(false);
    expect(reaches(out, web1, instanceHost(out, 'db1'), 'tcp', 8443)).toBe(false); // db's own groups still deny
    expect(reaches(out, appliance, web1, 'tcp', 443)).toBe(true);
  });

  test('the shared evaluator (lib/verify) puts a host known by its address behind the ACL of the subnet that contains it', () => {
    const s = shop();
    new AllowFlow(s.stack, 'WebToAppliance', { from: s.segments.web, to: Peer.ipv4('10.0.3.200/32'), ports: [Port.tcp(8443)] });
    const model = loadTerraformStacks({ shop: synthApp(s.app).shop.json });
    expect(evaluate(model, { from: 'shop/web1-workload', to: '10.0.3.200', port: 'tcp/8443' }).allowed).toBe(true);
    // no security group is on this path: the db subnet's ACL decides
    const stray = evaluate(model, { from: '198.51.100.7', to: '10.0.3.200', port: 'tcp/23' });
    expect(stray.denied).toBe(true);
    expect(stray.layers.filter((l) => l.status === 'denied').map((l) => l.layer)).toEqual(['aws-network-acl']);
  });

  test('GIVEN a DenyFlow web -> db next to web -> the appliance THEN its entries name db\'s hosts, not the subnet that also holds the appliance', () => {
    // GIVEN
    const s = shop();
    new Workload(s.stack, 'Appliance', { addresses: ['10.0.3.200'] });
    new AllowFlow(s.stack, 'WebToAppliance', { from: s.segments.web, to: Peer.ipv4('10.0.3.200/32'), ports: [Port.tcp(8443)] });
    // WHEN
    new DenyFlow(s.stack, 'NoWebToDb', { from: s.segments.web, to: s.segments.db, ports: [Port.SSH] });
    const out = synthApp(s.app).shop;
    // THEN
    expect(aclRules(out, 'web').filter((r) => r.rule_action === 'deny').map((r) => `${r.egress ? 'out' : 'in'} ${r.cidr_block}`).sort()).toEqual(['out 10.0.3.10/32', 'out 10.0.3.11/32']);
    expect(aclRules(out, 'db').filter((r) => r.rule_action === 'deny')).toEqual([]);
    const web1 = instanceHost(out, 'web1');
    expect(reaches(out, web1, appliance, 'tcp', 8443)).toBe(true);
    expect(networkAclsAllow(out, web1, instanceHost(out, 'db1'), 'tcp', 22)).toBe(false);
    expect(networkAclsAllow(out, web1, appliance, 'tcp', 22)).toBe(false); // the appliance's ACL entries admit 8443 only
  });

  test('GIVEN the appliance named in the program WHEN web may reach anywhere on a port THEN the db subnet admits it for the appliance, and a DenyFlow web -> db names db\'s hosts', () => {
    // GIVEN
    const s = shop();
    new Workload(s.stack, 'Appliance', { addresses: ['10.0.3.200'] });
    // WHEN
    new AllowFlow(s.stack, 'WebOut', { from: s.segments.web, to: Peer.anyIpv4(), ports: [Port.SSH] });
    new DenyFlow(s.stack, 'NoWebToDb', { from: s.segments.web, to: s.segments.db, ports: [Port.SSH] });
    const out = synthApp(s.app).shop;
    // THEN
    expect(aclLines(out, 'db')).toEqual([
      ...aclLines(baseline, 'db'),
      'in 10.0.1.0/24 6 22-22 allow', 'out 10.0.1.0/24 6 1024-65535 allow',
      'out 10.0.1.0/24 6 443-443 allow', 'in 10.0.1.0/24 6 1024-65535 allow',
    ].sort());
    expect(aclLines(out, 'app')).toEqual(aclLines(baseline, 'app')); // no host named there
    const web1 = instanceHost(out, 'web1');
    expect(reaches(out, web1, appliance, 'tcp', 22)).toBe(true);
    expect(networkAclsAllow(out, web1, instanceHost(out, 'db1'), 'tcp', 22)).toBe(false);
    expect(aclRules(out, 'web').filter((r) => r.rule_action === 'deny').map((r) => r.cidr_block).sort()).toEqual(['10.0.3.10/32', '10.0.3.11/32']);
  });

  test('GIVEN a host named after the app was rendered THEN a wider peer\'s flow reaches its subnet too', () => {
    const s = shop();
    new AllowFlow(s.stack, 'WebOut', { from: s.segments.web, to: Peer.anyIpv4(), ports: [Port.SSH] });
    PolicyRegistry.of(s.stack).ensureRendered();
    new Workload(s.stack, 'Appliance', { addresses: ['10.0.3.200'] });
    const out = synthApp(s.app).shop;
    expect(aclLines(out, 'db')).toContain('in 10.0.1.0/24 6 22-22 allow');
    expect(reaches(out, instanceHost(out, 'web1'), appliance, 'tcp', 22)).toBe(true);
  });

  test('GIVEN a DenyFlow, or a host it names, declared after the app was rendered THEN the deny entries are those of the same program declared at once', () => {
    // GIVEN web -> db on SSH denied, in a shop whose db subnet also holds an appliance (so the entries name db's hosts)
    const program = (renderFirst: 'nothing' | 'deny' | 'host') => {
      const s = shop();
      new Workload(s.stack, 'Appliance', { addresses: ['10.0.3.200'] });
      const deny = () => new DenyFlow(s.stack, 'NoWebToDb', { from: s.segments.web, to: s.segments.db, ports: [Port.SSH] });
      const host = () => vm(s, 'db3', 'db', '10.0.3.12');
      if (renderFirst === 'host') deny();
      if (renderFirst !== 'nothing') PolicyRegistry.of(s.stack).ensureRendered();
      // WHEN the DenyFlow, or a third db host, comes after rendering
      if (renderFirst !== 'host') deny();
      host();
      return synthApp(s.app).shop;
    };
    const atOnce = program('nothing');
    const denyLater = program('deny');
    const hostLater = program('host');
    // THEN web's egress denies SSH to each db host, the late one included
    const denied = (out: SynthesizedStack) => aclRules(out, 'web').filter((r) => r.rule_action === 'deny').map((r) => r.cidr_block).sort();
    expect(denied(atOnce)).toEqual(['10.0.3.10/32', '10.0.3.11/32', '10.0.3.12/32']);
    expect(networkAclsAllow(hostLater, instanceHost(hostLater, 'web1'), instanceHost(hostLater, 'db3'), 'tcp', 22)).toBe(false);
    // AND the late declarations change nothing in any ACL
    for (const tier of Object.keys(TIERS) as Tier[]) {
      expect(aclLines(denyLater, tier)).toEqual(aclLines(atOnce, tier));
      expect(aclLines(hostLater, tier)).toEqual(aclLines(atOnce, tier));
    }
  });

  test('GIVEN a DenyFlow\'s subnet mapped after the app was rendered THEN its ACL gets the deny entries, as when mapped at once', () => {
    const program = (mapLater: boolean) => {
      const app = newApp();
      const stack = awsStack(app, 'shop');
      const enforcement = new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123', networkAcls: true });
      const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
      const db = new Segment(stack, 'Db', { selector: { tier: 'db' } });
      for (const [name, tier, ip] of [['web1', 'web', '10.0.1.10'], ['db1', 'db', '10.0.3.10']]) {
        const host = new Instance(stack, name, { ami: 'ami-0abcdef1234567890', instanceType: 't3.micro', privateIp: ip });
        new Workload(stack, `${name}-workload`, { binding: AwsBinding.instance(host), labels: { tier } });
      }
      db.allowFrom(web, Port.POSTGRES);
      new DenyFlow(stack, 'NoSsh', { from: web, to: db, ports: [Port.SSH] });
      enforcement.addSubnet({ segment: web, subnetId: 'subnet-web', cidr: '10.0.1.0/24' });
      if (mapLater) PolicyRegistry.of(stack).ensureRendered();
      // WHEN the database subnet is mapped, after rendering or with the rest
      enforcement.addSubnet({ segment: db, subnetId: 'subnet-db', cidr: '10.0.3.0/24' });
      const out = synthApp(app).shop;
      return Object.values<any>(resourcesOf(out, 'aws_network_acl_rule'))
        .map((r) => `${r.network_acl_id} ${r.egress ? 'out' : 'in'} ${r.cidr_block} ${r.protocol} ${r.from_port}-${r.to_port} ${r.rule_action} ${r.rule_number}`).sort();
    };
    const later = program(true);
    // THEN the database subnet denies SSH from the web subnet at its ingress
    expect(later.filter((line) => /Subnet-10-0-3-0-24.* in 10\.0\.1\.0\/24 6 22-22 deny/.test(line))).toHaveLength(1);
    // AND every entry is the one mapping at once writes
    expect(later).toEqual(program(false));
  });

  test('a renderer added to the app hears the membership a DenyFlow\'s workload end declares, before rendering ends', () => {
    // GIVEN a DenyFlow from a workload that no flow names, in an app with network ACLs, and a renderer
    // that records what it hears
    const s = shop();
    const device = new Workload(s.stack, 'Appliance', { addresses: ['10.0.3.200'] });
    new DenyFlow(s.stack, 'NoApplianceToWeb', { from: device, to: s.segments.web, ports: [Port.SSH] });
    const heard: string[] = [];
    PolicyRegistry.of(s.stack).addRenderer({
      onWorkload: () => {},
      onFlow: () => {},
      onEnforcement: () => {},
      onMembership: (workload, segment) => heard.push(`${workload.node.path} in ${segment.node.path}`),
      onRendered: () => heard.push('rendered'),
    });
    // WHEN the app is synthesized
    synthApp(s.app);
    // THEN it heard the workload join its own segment, before the end of rendering
    expect(heard.indexOf('shop/Appliance in shop/Appliance/Self')).toBeGreaterThanOrEqual(0);
    expect(heard.indexOf('shop/Appliance in shop/Appliance/Self')).toBeLessThan(heard.indexOf('rendered'));
  });

  test('a wider peer (anywhere) adds nothing to a mapped subnet where the program names no host: the other subnets\' ACLs stay as they were', () => {
    const s = shop();
    new AllowFlow(s.stack, 'AppOut', { from: s.segments.app, to: Peer.anyIpv4(), ports: [Port.tcp(9443)] });
    const out = synthApp(s.app).shop;
    expect(aclLines(out, 'app')).toEqual([...aclLines(baseline, 'app'), 'out 0.0.0.0/0 6 9443-9443 allow', 'in 0.0.0.0/0 6 1024-65535 allow'].sort());
    expect(aclLines(out, 'db')).toEqual(aclLines(baseline, 'db'));
    expect(aclLines(out, 'web')).toEqual(aclLines(baseline, 'web'));
  });
});

describe('network ACLs: guardrail deny entries', () => {
  test('setDenyEntries renders a deny in 1-99, evaluated before the allows', () => {
    // GIVEN app may reach the internet on HTTPS
    const s = shop();
    s.segments.app.allowTo(Peer.anyIpv4(), Port.HTTPS);
    const guardrail = new Construct(s.stack, 'NoTestNet');
    // WHEN
    NetworkAclRenderer.of(s.stack).setDenyEntries(guardrail, s.enforcement, [{ subnetCidr: TIERS.app, egress: true, cidr: '203.0.113.0/24', ports: [Port.allTraffic()] }]);
    const out = synthApp(s.app).shop;
    // THEN
    const deny = aclRules(out, 'app').find((r) => r.rule_action === 'deny');
    expect(deny).toEqual(expect.objectContaining({ egress: true, protocol: '-1', cidr_block: '203.0.113.0/24', rule_action: 'deny' }));
    expect(deny.rule_number).toBeGreaterThanOrEqual(1);
    expect(deny.rule_number).toBeLessThanOrEqual(99);
    expect(deny['//'].microseg.guardrails).toEqual(['shop/NoTestNet']);
    expect(aclRules(out, 'web').some((r) => r.rule_action === 'deny')).toBe(false); // only the app segment's subnet
    const app1 = instanceHost(out, 'app1');
    expect(reaches(out, app1, outside('198.51.100.200'), 'tcp', 443)).toBe(true);
    expect(reaches(out, app1, outside('203.0.113.5'), 'tcp', 443)).toBe(false);
  });
});

describe('network ACLs: problems', () => {
  test('a flow from an AWS workload in no mapped subnet into a mapped one fails with the fix', () => {
    const s = shop();
    const ops = new Segment(s.stack, 'Ops', { selector: { role: 'ops' } });
    new Workload(s.stack, 'OpsVm', { binding: AwsBinding.instance(new Instance(s.stack, 'ops', { ami: 'ami-1', instanceType: 't3.micro' })), labels: { role: 'ops' } });
    s.segments.db.allowFrom(ops, Port.SSH);
    const message = errorOf(() => synthApp(s.app));
    expect(message).toContain("AllowFlow 'shop/Db/AllowFrom-shop-Ops-tcp-22' reaches subnets with network ACLs (on 'shop/Aws'), but workload 'shop/OpsVm' is in no mapped subnet");
    expect(message).toContain('enforcement.addSubnet({ segment, subnetId, cidr })');
  });

  test('the same flow works once the workload has addresses', () => {
    const s = shop();
    const ops = new Segment(s.stack, 'Ops', { selector: { role: 'ops' } });
    new Workload(s.stack, 'OpsVm', { binding: AwsBinding.instance(new Instance(s.stack, 'ops', { ami: 'ami-1', instanceType: 't3.micro' })), labels: { role: 'ops' }, addresses: ['10.0.9.4'] });
    s.segments.db.allowFrom(ops, Port.SSH);
    expect(aclLines(synthApp(s.app).shop, 'db')).toEqual(expect.arrayContaining(['in 10.0.9.4/32 6 22-22 allow', 'out 10.0.9.4/32 6 1024-65535 allow']));
  });

  test('a prefix-list peer cannot be expressed in an ACL', () => {
    const s = shop();
    s.segments.app.allowTo(Peer.awsPrefixList('pl-0123456789abcdef0'), Port.HTTPS);
    const message = errorOf(() => synthApp(s.app));
    // the message every platform gives for a named peer it cannot express (lib/model/capabilities.ts)
    expect(message).toContain("AllowFlow 'shop/App/AllowTo-aws-prefix-list-pl-0123456789abcdef0-tcp-443' names Peer.awsPrefixList(\"pl-0123456789abcdef0\"), which AWS network ACLs of 'shop/Aws' cannot express (they match addresses only), so the flow would be dropped there. Use Peer.ipv4() or Peer.ipv6() with the addresses behind it.");
  });

  test('GIVEN an Azure service tag towards members in mapped subnets WHEN synthesized THEN the ACLs report it as every platform does (no longer dropped silently)', () => {
    const s = shop();
    s.segments.app.allowFrom(Peer.azureServiceTag('AzureLoadBalancer'), Port.HTTPS);
    const message = errorOf(() => synthApp(s.app));
    expect(message).toContain("AllowFlow 'shop/App/AllowFrom-azure-service-tag-AzureLoadBalancer-tcp-443' names Peer.azureServiceTag(\"AzureLoadBalancer\"), which AWS network ACLs of 'shop/Aws' cannot express (they match addresses only), so the flow would be dropped there. Use Peer.ipv4() or Peer.ipv6() with the addresses behind it.");
  });

  test('a subnet cidr given as a Terraform expression is rejected with the fix', () => {
    const app = newApp();
    const stack = awsStack(app, 'shop');
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    const subnet = new Subnet(stack, 'web-subnet', { vpcId: 'vpc-0123', cidrBlock: '10.0.1.0/24' });
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123', networkAcls: true, subnets: [{ segment: web, subnetId: subnet.id, cidr: subnet.cidrBlock }] });
    const message = errorOf(() => Testing.synth(stack, true));
    expect(message).toContain("AwsEnforcement 'shop/Aws': subnet mapping of segment 'shop/Web' has a cidr that is a Terraform expression (\"${aws_subnet.web-subnet.cidr_block}\")");
    expect(message).toContain('subnet.cidrBlockInput');
  });

  test('a subnet cidr with host bits set is rejected with the fix', () => {
    const app = newApp();
    const stack = awsStack(app, 'shop');
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123', networkAcls: true, subnets: [{ segment: web, subnetId: 'subnet-1', cidr: '10.0.1.5/24' }] });
    expect(errorOf(() => Testing.synth(stack, true))).toContain("AwsEnforcement 'shop/Aws': subnet mapping of segment 'shop/Web': cidr \"10.0.1.5/24\" has host bits set. Did you mean \"10.0.1.0/24\"?");
  });

  test('an IPv6 subnet cidr is rejected, saying which cidr a mapping takes', () => {
    const app = newApp();
    const stack = awsStack(app, 'shop');
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123', networkAcls: true, subnets: [{ segment: web, subnetId: 'subnet-1', cidr: '2001:db8:1::/64' }] });
    expect(errorOf(() => Testing.synth(stack, true))).toContain("AwsEnforcement 'shop/Aws': subnet mapping of segment 'shop/Web': cidr \"2001:db8:1::/64\" is an IPv6 CIDR. Give the subnet's IPv4 CIDR (its cidr_block): the network ACL entries between mapped subnets are IPv4.");
  });

  test('overlapping subnet cidrs are rejected', () => {
    const app = newApp();
    const stack = awsStack(app, 'shop');
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    const db = new Segment(stack, 'Db', { selector: { tier: 'db' } });
    new AwsEnforcement(stack, 'Aws', {
      vpcId: 'vpc-0123',
      networkAcls: true,
      subnets: [{ segment: web, subnetId: 'subnet-1', cidr: '10.0.0.0/16' }, { segment: db, subnetId: 'subnet-2', cidr: '10.0.3.0/24' }],
    });
    expect(errorOf(() => Testing.synth(stack, true))).toContain(
      "AwsEnforcement 'shop/Aws': subnet mapping of segment 'shop/Db' has cidr \"10.0.3.0/24\", which overlaps \"10.0.0.0/16\" of another mapped subnet. Subnets of a VPC never overlap: check the cidr.",
    );
  });

  test('an invalid ephemeral range is rejected with the fix', () => {
    const app = newApp();
    const stack = awsStack(app, 'shop');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123', networkAcls: true, ephemeralPorts: { from: 70000, to: 1 } });
    expect(errorOf(() => Testing.synth(stack, true))).toContain("AwsEnforcement 'shop/Aws': ephemeralPorts 70000-1 is not a port range within 1-65535. Use { from: 1024, to: 65535 }");
  });

  test('without networkAcls nothing is rendered, but the subnets are still recorded', () => {
    const app = newApp();
    const stack = awsStack(app, 'shop');
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123', subnets: [{ segment: web, subnetId: 'subnet-1', cidr: '10.0.1.0/24' }] });
    web.allowFrom(Peer.anyIpv4(), Port.HTTPS);
    const out = synthApp(app).shop;
    expect(resourcesOf(out, 'aws_network_acl')).toEqual({});
    expect(resourcesOf(out, 'aws_network_acl_rule')).toEqual({});
    expect(out.json['//'].microseg.subnets).toEqual({ 'subnet-1': '10.0.1.0/24' });
  });
});

// ---------------------------------------------------------------------------------------------
/**
 * A small two-layer reachability oracle for these tests (security groups and network ACLs of one
 * stack, instances with a literal `private_ip`), written from the platform semantics in
 * reference/platforms.md while the shared evaluator (lib/verify) is not available. It reads only
 * the synthesized JSON.
 */
interface Host {
  /** Literal IPv4 address. */
  readonly ip: string;
  /** `${aws_subnet.x.id}` of the host's subnet; undefined for hosts outside the VPC. */
  readonly subnet?: string;
  /** `${aws_security_group.x.id}` of the host's groups; undefined for hosts outside the VPC. */
  readonly groups?: string[];
}

type Protocol = 'tcp' | 'udp' | 'icmp';

const PROTOCOL_NUMBERS: Record<Protocol, string> = { tcp: '6', udp: '17', icmp: '1' };

/** The host of the instance `name` (its `private_ip`, `subnet_id`, `vpc_security_group_ids`). */
function instanceHost(stack: SynthesizedStack, name: string): Host {
  const instance = resourcesOf(stack, 'aws_instance')[name];
  return { ip: instance.private_ip, subnet: instance.subnet_id, groups: instance.vpc_security_group_ids ?? [] };
}

/** An address outside the VPC (the internet, an admin network). */
function outside(ip: string): Host {
  return { ip };
}

/** Whether `from` can open a connection to `to` on `port` (ICMP: type) through both layers. */
function reaches(stack: SynthesizedStack, from: Host, to: Host, protocol: Protocol, port: number): boolean {
  return securityGroupsAllow(stack, from, to, protocol, port) && networkAclsAllow(stack, from, to, protocol, port);
}

/** The security group layer alone (stateful: the request decides). */
function securityGroupsAllow(stack: SynthesizedStack, from: Host, to: Host, protocol: Protocol, port: number): boolean {
  const matches = (rule: any, other: Host) => {
    if (rule.ip_protocol !== '-1' && rule.ip_protocol !== protocol) return false;
    if (rule.ip_protocol !== '-1' && protocol !== 'icmp' && !(rule.from_port <= port && port <= rule.to_port)) return false;
    if (rule.cidr_ipv4) return contains(rule.cidr_ipv4, other.ip);
    if (rule.referenced_security_group_id) return (other.groups ?? []).includes(rule.referenced_security_group_id);
    return false;
  };
  const egressOk = from.groups === undefined || Object.values<any>(resourcesOf(stack, 'aws_vpc_security_group_egress_rule'))
    .some((r) => from.groups!.includes(r.security_group_id) && matches(r, to));
  const ingressOk = to.groups === undefined || Object.values<any>(resourcesOf(stack, 'aws_vpc_security_group_ingress_rule'))
    .some((r) => to.groups!.includes(r.security_group_id) && matches(r, from));
  return egressOk && ingressOk;
}

/**
 * The network ACL layer alone: stateless, so the request (egress of the source subnet, ingress of
 * the destination subnet) and the reply (the reverse, to ephemeral port 49152; echo reply for an
 * echo request) must both pass. Traffic within one subnet is not filtered; a subnet without a
 * rendered ACL keeps the default ACL, which allows everything.
 */
function networkAclsAllow(stack: SynthesizedStack, from: Host, to: Host, protocol: Protocol, port: number): boolean {
  if (from.subnet !== undefined && from.subnet === to.subnet) return true;
  const replyPort = protocol === 'icmp' ? (port === 8 ? 0 : port) : 49152;
  return aclDecides(stack, from.subnet, true, to.ip, protocol, port)
    && aclDecides(stack, to.subnet, false, from.ip, protocol, port)
    && aclDecides(stack, to.subnet, true, from.ip, protocol, replyPort)
    && aclDecides(stack, from.subnet, false, to.ip, protocol, replyPort);
}

/** First match by ascending rule number, implicit deny; true when no custom ACL guards the subnet. */
function aclDecides(
  stack: SynthesizedStack, subnet: string | undefined, egress: boolean, otherIp: string, protocol: Protocol, port: number,
): boolean {
  if (subnet === undefined) return true;
  const association = Object.values<any>(resourcesOf(stack, 'aws_network_acl_association')).find((a) => a.subnet_id === subnet);
  if (!association) return true;
  const rules = Object.values<any>(resourcesOf(stack, 'aws_network_acl_rule'))
    .filter((r) => r.network_acl_id === association.network_acl_id && r.egress === egress)
    .sort((a, b) => a.rule_number - b.rule_number);
  for (const rule of rules) {
    if (!contains(rule.cidr_block, otherIp)) continue;
    if (rule.protocol !== '-1' && rule.protocol !== PROTOCOL_NUMBERS[protocol]) continue;
    if (rule.protocol === '6' || rule.protocol === '17') {
      if (!(rule.from_port <= port && port <= rule.to_port)) continue;
    }
    if (rule.protocol === '1' && rule.icmp_type !== -1 && rule.icmp_type !== port) continue;
    return rule.rule_action === 'allow';
  }
  return false;
}

function contains(cidr: string | undefined, ip: string): boolean {
  if (!cidr) return false;
  const [network, prefix] = ipaddr.parseCIDR(cidr);
  const address = ipaddr.parse(ip);
  return address.kind() === network.kind() && (address as ipaddr.IPv4).match(network as ipaddr.IPv4, prefix);
}

describe('declared ephemeral ports and the evaluator', () => {
  test('GIVEN an enforcement declaring 49152-65535 WHEN evaluated THEN its clients use that range: cross-subnet flows are allowed, and the inventory records it', () => {
    const { app, stack } = shop({ ephemeralPorts: { from: 49152, to: 65535 } });
    const out = synthApp(app).shop;
    // the return entries are rendered for the declared range, which Linux's 32768-60999 only partly meets
    expect(Object.values<any>(resourcesOf(out, 'aws_network_acl_rule')).filter((r) => r.to_port === 65535).map((r) => `${r.protocol}:${r.from_port}`)).toEqual(expect.arrayContaining(['6:49152']));
    expect(out.json['//'].microseg.ephemeralPorts).toEqual({
      '${aws_subnet.app-subnet.id}': '49152-65535', '${aws_subnet.db-subnet.id}': '49152-65535', '${aws_subnet.web-subnet.id}': '49152-65535',
    });
    expect(stack).toAllowFlow('shop/web1-workload', 'shop/app1-workload', Port.tcp(8080));
    expect(stack).toDenyFlow('shop/web1-workload', 'shop/db1-workload', Port.POSTGRES);
    // a client range the user gives still decides
    const model = loadTerraformStacks({ shop: out.json });
    const linux = evaluate(model, { from: 'shop/web1-workload', to: 'shop/app1-workload', port: 'tcp/8080' }, { ephemeralPorts: [32768, 60999] });
    expect(linux.denied).toBe(true);
    expect(JSON.stringify(linux.layers)).toContain('ephemeral ports 32768-60999');
  });

  test('GIVEN the default range THEN the inventory records none and the evaluator takes Linux clients', () => {
    const { app } = shop();
    const out = synthApp(app).shop;
    expect(out.json['//'].microseg.ephemeralPorts).toBeUndefined();
    const verdict = evaluate(loadTerraformStacks({ shop: out.json }), { from: 'shop/web1-workload', to: 'shop/app1-workload', port: 'tcp/8080' });
    expect(verdict.allowed).toBe(true);
    expect(JSON.stringify(verdict.layers)).toContain('ephemeral ports 32768-60999');
  });
});
