import * as fs from 'fs';
import * as path from 'path';
import { AwsEnforcement, AwsEnforcementProps, Peer, Port, Segment, Workload, AwsBinding } from '../../lib';
import { awsStack, errorOf, instance, newApp, synthApp } from '../helpers';

/** Stack `shop` with an AWS enforcement (`props` added), segment Web and its instance WebVm. */
function webEstate(props: Partial<AwsEnforcementProps> = {}) {
  const app = newApp();
  const stack = awsStack(app, 'shop');
  new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123', ...props });
  const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
  new Workload(stack, 'WebVm', { binding: AwsBinding.instance(instance(stack, 'web')), labels: { tier: 'web' } });
  return { app, stack, web };
}

describe('AWS quotas are checked at synth', () => {
  test('more than 60 ingress rules on one group is an error naming the segment and the count', () => {
    const app = newApp();
    const stack = awsStack(app, 'shop');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    new Workload(stack, 'WebVm', { binding: AwsBinding.instance(instance(stack, 'web')), labels: { tier: 'web' } });
    for (let i = 0; i < 61; i++) web.allowFrom(Peer.ipv4(`10.${i}.0.0/16`), Port.HTTPS);
    expect(errorOf(() => synthApp(app))).toContain(
      "Segment 'shop/Web': its security group in 'shop/Aws' needs 61 ingress IPv4 rules; the quota is 60 per direction.");
  });

  test('rules are counted per group, direction and address family, and every group over the quota is named, in order', () => {
    const { app, stack, web } = webEstate({ maxRulesPerGroup: 3 });
    const db = new Segment(stack, 'Db', { selector: { tier: 'db' } });
    new Workload(stack, 'DbVm', { binding: AwsBinding.instance(instance(stack, 'db')), labels: { tier: 'db' } });
    // Web: 4 IPv6 and 2 IPv4 ingress peers; a group peer is one rule for each family, on both groups
    for (let i = 0; i < 4; i++) web.allowFrom(Peer.ipv6(`2001:db8:${i}::/48`), Port.HTTPS);
    for (let i = 0; i < 2; i++) web.allowFrom(Peer.ipv4(`10.${i}.0.0/16`), Port.HTTPS);
    web.allowTo(db, Port.tcp(5432), Port.tcp(6379), Port.tcp(9200), Port.tcp(27017));

    const counted = [...errorOf(() => synthApp(app)).matchAll(/Segment '([^']+)': its security group in 'shop\/Aws' needs (\d+) (\w+) (IPv\d) rules; the quota is 3 per direction/g)]
      .map(([, segment, count, direction, family]) => `${segment} ${direction} ${family} ${count}`);
    expect(counted).toEqual([
      'shop/Db ingress IPv4 4',
      'shop/Db ingress IPv6 4',
      'shop/Web egress IPv4 4',
      'shop/Web egress IPv6 4',
      'shop/Web ingress IPv6 4',
    ]);
  });

  test('exactly 60 rules fit; adjacent ports are never merged silently to fit, they count as the rules they are', () => {
    const declare = (peers: number) => {
      const app = newApp();
      const stack = awsStack(app, 'shop');
      new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
      const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
      new Workload(stack, 'WebVm', { binding: AwsBinding.instance(instance(stack, 'web')), labels: { tier: 'web' } });
      for (let i = 0; i < peers; i++) web.allowFrom(Peer.ipv4(`10.${i}.0.0/16`), Port.tcp(8080), Port.tcp(8081));
      return app;
    };
    expect(() => synthApp(declare(30))).not.toThrow();
    expect(errorOf(() => synthApp(declare(31)))).toContain(
      "Segment 'shop/Web': its security group in 'shop/Aws' needs 62 ingress IPv4 rules; the quota is 60 per direction. Merge ports into ranges");
  });

  test('a raised quota is honoured', () => {
    const app = newApp();
    const stack = awsStack(app, 'shop');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123', maxRulesPerGroup: 100 });
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    new Workload(stack, 'WebVm', { binding: AwsBinding.instance(instance(stack, 'web')), labels: { tier: 'web' } });
    for (let i = 0; i < 61; i++) web.allowFrom(Peer.ipv4(`10.${i}.0.0/16`), Port.HTTPS);
    expect(() => synthApp(app)).not.toThrow();
  });

  test('a rule naming a prefix list counts as the list\'s max entries when the peer gives them', () => {
    const declare = (maxEntries?: number) => {
      const { app, web } = webEstate();
      for (let i = 0; i < 59; i++) web.allowFrom(Peer.ipv4(`10.${i}.0.0/16`), Port.HTTPS);
      web.allowFrom(Peer.awsPrefixList('pl-0123456789abcdef0', maxEntries), Port.HTTPS);
      return app;
    };
    // 59 CIDR rules and one prefix-list rule: 60 when the list's size is not given, 59 + 20 with it
    expect(() => synthApp(declare())).not.toThrow();
    expect(() => synthApp(declare(1))).not.toThrow();
    expect(errorOf(() => synthApp(declare(20)))).toContain(
      "Segment 'shop/Web': its security group in 'shop/Aws' needs 79 ingress IPv4 rules; the quota is 60 per direction.");
  });

  test('one prefix list named with different max entries counts as the largest, whichever flow is declared first', () => {
    const declare = (first: number | undefined, second: number | undefined) => {
      const { app, web } = webEstate();
      web.allowFrom(Peer.awsPrefixList('pl-0123456789abcdef0', first), Port.HTTPS);
      web.allowFrom(Peer.awsPrefixList('pl-0123456789abcdef0', second), Port.tcp(8443));
      return app;
    };
    // two rules naming the list, each counted as 59 by AWS
    const message = "Segment 'shop/Web': its security group in 'shop/Aws' needs 118 ingress IPv4 rules; the quota is 60 per direction.";
    expect(errorOf(() => synthApp(declare(59, undefined)))).toContain(message);
    expect(errorOf(() => synthApp(declare(undefined, 59)))).toContain(message);
    expect(errorOf(() => synthApp(declare(5, 59)))).toContain(message);
  });

  test('a prefix list\'s max entries must be a whole number from 1 to 1000', () => {
    const { app, web } = webEstate();
    web.allowFrom(Peer.awsPrefixList('pl-0123456789abcdef0', 0), Port.HTTPS);
    expect(errorOf(() => synthApp(app))).toContain('Peer.awsPrefixList("pl-0123456789abcdef0", 0): maxEntries 0 is not a whole number from 1 to 1000.');
  });

  test.each([
    [200, 6, true], [1000, 1, false], [62, 16, false], [63, 16, true],
  ])('maxRulesPerGroup %d with maxGroupsPerInterface %d: an error when the product exceeds 1000 (%s)', (rules, groups, refused) => {
    const { app } = webEstate({ maxRulesPerGroup: rules, maxGroupsPerInterface: groups });
    const expected = `AwsEnforcement 'shop/Aws': maxRulesPerGroup ${rules} times maxGroupsPerInterface ${groups} is ${rules * groups}; AWS keeps the product of the two quotas at 1000 at most`;
    if (refused) expect(errorOf(() => synthApp(app))).toContain(expected);
    else expect(() => synthApp(app)).not.toThrow();
  });

  test.each([
    ['maxRulesPerGroup', { maxRulesPerGroup: 60.5 }, 'maxRulesPerGroup 60.5 is not a whole number from 1 to 1000. Set your account\'s "Inbound or outbound rules per security group" quota (60 by default).'],
    ['maxRulesPerGroup', { maxRulesPerGroup: 0 }, 'maxRulesPerGroup 0 is not a whole number from 1 to 1000.'],
    ['maxGroupsPerInterface', { maxGroupsPerInterface: 2.5 }, 'maxGroupsPerInterface 2.5 is not a whole number from 1 to 16 (the AWS hard limit is 16). Set your account\'s "Security groups per network interface" quota (5 by default).'],
    ['maxGroupsPerInterface', { maxGroupsPerInterface: 17 }, 'maxGroupsPerInterface 17 is not a whole number from 1 to 16'],
  ])('%s must be a whole number within the AWS limits: %j is refused', (_name, props, expected) => {
    const { app } = webEstate(props);
    const outdir = app.outdir;
    expect(errorOf(() => synthApp(app))).toContain(`AwsEnforcement 'shop/Aws': ${expected}`);
    expect(fs.existsSync(path.join(outdir, 'stacks', 'shop', 'cdk.tf.json'))).toBe(false);
  });

  test('more than 5 groups on one interface is an error naming the workload, its groups and the count', () => {
    const app = newApp();
    const stack = awsStack(app, 'shop');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
    for (let i = 0; i < 5; i++) new Segment(stack, `S${i}`, { selector: { app: 'shop' } });
    new Workload(stack, 'Vm', { binding: AwsBinding.instance(instance(stack, 'vm', { vpcSecurityGroupIds: ['sg-0own'] })), labels: { app: 'shop' } });
    expect(errorOf(() => synthApp(app))).toContain(
      "Workload 'shop/Vm' would carry 6 security groups (shop/S0, shop/S1, shop/S2, shop/S3, shop/S4 and 1 of its own); the quota is 5 per interface.");
  });
});
