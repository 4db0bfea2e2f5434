import { NetworkInterface } from '@cdktf/provider-aws/lib/network-interface';
import { App, TerraformStack, TerraformVariable } from 'cdktf';
import { Node } from 'constructs';
import { AllowFlow, AwsEnforcement, Peer, Port, Segment, Workload, AwsBinding } from '../../lib';
import { awsDescription, azureRuleDescription, mergedDescription } from '../../lib/private/description';
import '../../lib/verify/jest';
import { awsStack, errorOf, instance, newApp, resourcesOf, synthApp } from '../helpers';

function ruleFor(rules: Record<string, any>, predicate: (rule: any) => boolean): any {
  const found = Object.values(rules).filter(predicate);
  expect(found).toHaveLength(1);
  return found[0];
}

describe('AWS security group rendering', () => {
  test('a segment with AWS members gets one default-deny security group with safe lifecycle settings', () => {
    // GIVEN
    const app = newApp();
    const stack = awsStack(app, 'shop');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123', tags: { team: 'shop' } });
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    new Workload(stack, 'WebVm', { binding: AwsBinding.instance(instance(stack, 'web')), labels: { tier: 'web' } });
    web.allowFrom(Peer.anyIpv4(), Port.HTTPS);

    // WHEN
    const out = synthApp(app).shop;

    // THEN
    const groups = Object.values(resourcesOf(out, 'aws_security_group'));
    expect(groups).toEqual([expect.objectContaining({
      name_prefix: 'Web-',
      description: 'microseg segment shop/Web',
      vpc_id: 'vpc-0123',
      // never revoke: a replaced group would silently take rules other stacks own along
      revoke_rules_on_delete: false,
      lifecycle: { create_before_destroy: true },
      tags: { 'team': 'shop', 'Name': 'Web', 'microseg:segment': 'shop/Web' },
    })]);
    // default deny: no inline rules, no legacy rule resources, and no egress rule at all
    expect(groups[0].ingress).toBeUndefined();
    expect(groups[0].egress).toBeUndefined();
    expect(resourcesOf(out, 'aws_security_group_rule')).toEqual({});
    expect(resourcesOf(out, 'aws_vpc_security_group_egress_rule')).toEqual({});
    const ingress = Object.values(resourcesOf(out, 'aws_vpc_security_group_ingress_rule'));
    expect(ingress).toEqual([expect.objectContaining({ ip_protocol: 'tcp', from_port: 443, to_port: 443, cidr_ipv4: '0.0.0.0/0' })]);
  });

  test('a group is replaced only when its VPC changes, and it never revokes rules on delete (they may belong to other stacks)', () => {
    // Decision: name_prefix and description derive from the segment's identity, so only vpc_id (or a
    // new identity, which is another segment) replaces a group. Rules are per-rule resources that
    // Terraform deletes before their group, so teardown needs no revoking; revoke_rules_on_delete
    // would make AWS silently delete the rules other stacks own on a replaced group (and the rules of
    // other groups that reference it). Without it, such a delete fails loudly instead.
    const render = (props: { vpcId: string; id: string; description?: string }) => {
      const app = newApp();
      const shop = awsStack(app, 'shop');
      const team = awsStack(app, 'team');
      new AwsEnforcement(shop, 'Aws', { vpcId: props.vpcId });
      const web = new Segment(shop, props.id, { selector: { tier: 'web' }, stableId: 'shop/Web', description: props.description });
      new Workload(shop, 'WebVm', { binding: AwsBinding.instance(instance(shop, 'web')), labels: { tier: 'web' } });
      new AllowFlow(team, 'Monitoring', { from: Peer.ipv4('10.9.0.0/16'), to: web, ports: [Port.tcp(9100)] });
      const out = synthApp(app);
      return { group: Object.values<any>(resourcesOf(out.shop, 'aws_security_group'))[0], groupName: Object.keys(resourcesOf(out.shop, 'aws_security_group'))[0] };
    };
    const base = render({ vpcId: 'vpc-0123', id: 'Web' });
    expect(base.group).toMatchObject({ revoke_rules_on_delete: false, lifecycle: { create_before_destroy: true } });
    const forceNew = (group: any) => ({ name_prefix: group.name_prefix, description: group.description, vpc_id: group.vpc_id });
    // renamed (stableId kept) and described differently: the same group, nothing to replace
    const renamed = render({ vpcId: 'vpc-0123', id: 'Frontend', description: 'the shop front' });
    expect(renamed.groupName).toBe(base.groupName);
    expect(forceNew(renamed.group)).toEqual(forceNew(base.group));
    // another VPC: replaced, created first, and still without revoking
    const moved = render({ vpcId: 'vpc-0456', id: 'Web' });
    expect(forceNew(moved.group)).toEqual({ ...forceNew(base.group), vpc_id: 'vpc-0456' });
    expect(moved.group).toMatchObject({ revoke_rules_on_delete: false, lifecycle: { create_before_destroy: true } });
  });

  test('a flow between segments renders egress on the source group and ingress on the destination group, by reference', () => {
    const app = newApp();
    const stack = awsStack(app, 'shop');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    const api = new Segment(stack, 'Api', { selector: { tier: 'api' } });
    new Workload(stack, 'WebVm', { binding: AwsBinding.instance(instance(stack, 'web')), labels: { tier: 'web' } });
    new Workload(stack, 'ApiVm', { binding: AwsBinding.instance(instance(stack, 'api')), labels: { tier: 'api' } });
    api.allowFrom(web, Port.tcp(8080));

    const out = synthApp(app).shop;
    const groupNames = Object.keys(resourcesOf(out, 'aws_security_group'));
    const webSg = `\${aws_security_group.${groupNames.find((n) => n.includes('shop-Web'))}.id}`;
    const apiSg = `\${aws_security_group.${groupNames.find((n) => n.includes('shop-Api'))}.id}`;
    const egress = ruleFor(resourcesOf(out, 'aws_vpc_security_group_egress_rule'), () => true);
    expect(egress).toMatchObject({ security_group_id: webSg, referenced_security_group_id: apiSg, ip_protocol: 'tcp', from_port: 8080, to_port: 8080 });
    const ingress = ruleFor(resourcesOf(out, 'aws_vpc_security_group_ingress_rule'), () => true);
    expect(ingress).toMatchObject({ security_group_id: apiSg, referenced_security_group_id: webSg, ip_protocol: 'tcp', from_port: 8080, to_port: 8080 });
    expect(ingress['//'].microseg.flows).toEqual(['shop/Api/AllowFrom-shop-Web-tcp-8080']);
    // each rule names exactly one peer
    for (const rule of [egress, ingress]) {
      const peers = ['cidr_ipv4', 'cidr_ipv6', 'prefix_list_id', 'referenced_security_group_id'].filter((k) => rule[k] !== undefined);
      expect(peers).toHaveLength(1);
    }
  });

  test('peers render as cidr_ipv4, cidr_ipv6, prefix_list_id; all traffic is protocol -1 without ports; ICMP carries type and code', () => {
    const app = newApp();
    const stack = awsStack(app, 'shop');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    new Workload(stack, 'WebVm', { binding: AwsBinding.instance(instance(stack, 'web')), labels: { tier: 'web' } });
    web.allowFrom(Peer.ipv6('2001:db8::/32'), Port.HTTPS);
    web.allowTo(Peer.awsPrefixList('pl-0123456789abcdef0'), Port.HTTPS);
    web.allowFrom(Peer.ipv4('10.9.0.0/16'), Port.allTraffic());
    web.allowFrom(Peer.ipv4('10.8.0.0/16'), Port.icmp(8, 0));

    const out = synthApp(app).shop;
    const ingress = resourcesOf(out, 'aws_vpc_security_group_ingress_rule');
    expect(ruleFor(ingress, (r) => r.cidr_ipv6)).toMatchObject({ cidr_ipv6: '2001:db8::/32', ip_protocol: 'tcp', from_port: 443 });
    const all = ruleFor(ingress, (r) => r.cidr_ipv4 === '10.9.0.0/16');
    expect(all.ip_protocol).toBe('-1');
    expect(all.from_port).toBeUndefined();
    expect(all.to_port).toBeUndefined();
    expect(ruleFor(ingress, (r) => r.cidr_ipv4 === '10.8.0.0/16')).toMatchObject({ ip_protocol: 'icmp', from_port: 8, to_port: 0 });
    expect(ruleFor(resourcesOf(out, 'aws_vpc_security_group_egress_rule'), () => true))
      .toMatchObject({ prefix_list_id: 'pl-0123456789abcdef0', ip_protocol: 'tcp', from_port: 443, to_port: 443 });
  });

  test('GIVEN an Azure service tag towards AWS members WHEN synthesized THEN it fails as on every platform that cannot name the peer (no longer dropped silently)', () => {
    const app = newApp();
    const stack = awsStack(app, 'shop');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    new Workload(stack, 'WebVm', { binding: AwsBinding.instance(instance(stack, 'web')), labels: { tier: 'web' } });
    web.allowFrom(Peer.azureServiceTag('AzureLoadBalancer'), Port.HTTPS);

    const message = errorOf(() => synthApp(app));
    expect(message).toContain("AllowFlow 'shop/Web/AllowFrom-azure-service-tag-AzureLoadBalancer-tcp-443' names Peer.azureServiceTag(\"AzureLoadBalancer\"), which AWS security groups of 'shop/Aws' cannot express (they match security groups, addresses and prefix lists only), so the flow would be dropped there. Use Peer.ipv4() or Peer.ipv6() with the addresses behind it or Peer.awsPrefixList() or Peer.awsSecurityGroup().");
  });

  test('address-bound workloads become host CIDRs; instance groups merge with the groups the user set', () => {
    const app = newApp();
    const stack = awsStack(app, 'shop');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
    const db = new Segment(stack, 'Db', { selector: { tier: 'db' } });
    const vm = instance(stack, 'db', { vpcSecurityGroupIds: ['sg-0aaa'] });
    new Workload(stack, 'DbVm', { binding: AwsBinding.instance(vm), labels: { tier: 'db' } });
    const bastion = new Workload(stack, 'Bastion', { addresses: ['203.0.113.10'] });
    db.allowFrom(bastion, Port.SSH);

    const out = synthApp(app).shop;
    const ids = resourcesOf(out, 'aws_instance').db.vpc_security_group_ids;
    expect(ids[0]).toBe('sg-0aaa');
    expect(ids).toHaveLength(2);
    expect(ids[1]).toMatch(/^\$\{aws_security_group\..*shop-Db.*\.id\}$/);
    expect(ruleFor(resourcesOf(out, 'aws_vpc_security_group_ingress_rule'), () => true))
      .toMatchObject({ cidr_ipv4: '203.0.113.10/32', from_port: 22, to_port: 22, ip_protocol: 'tcp' });
  });

  test('an ENI carries its groups in its own security_groups (merged with the user\'s), so the VPC default group never applies', () => {
    const app = newApp();
    const stack = awsStack(app, 'shop');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
    const eni = new NetworkInterface(stack, 'Eni', { subnetId: 'subnet-1' });
    const ownEni = new NetworkInterface(stack, 'OwnEni', { subnetId: 'subnet-1', securityGroups: ['sg-0own'] });
    new Segment(stack, 'Web', { selector: { tier: 'web' } });
    new Workload(stack, 'WebEni', { binding: AwsBinding.networkInterface(eni), labels: { tier: 'web' } });
    new Workload(stack, 'OwnWebEni', { binding: AwsBinding.networkInterface(ownEni), labels: { tier: 'web' } });

    const out = synthApp(app).shop;
    const web = expect.stringMatching(/^\$\{aws_security_group\..*shop-Web.*\.id\}$/);
    expect(resourcesOf(out, 'aws_network_interface').Eni.security_groups).toEqual([web]);
    expect(resourcesOf(out, 'aws_network_interface').OwnEni.security_groups).toEqual(['sg-0own', web]);
    // attachments cannot remove the default group an interface gets without a list: never used
    expect(resourcesOf(out, 'aws_network_interface_sg_attachment')).toEqual({});
  });

  test('identical permissions render once; adjacent or overlapping ports stay separate rules, one per port entry', () => {
    const app = newApp();
    const stack = awsStack(app, 'shop');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    const webVm = new Workload(stack, 'WebVm', { binding: AwsBinding.instance(instance(stack, 'web')), labels: { tier: 'web' } });
    const admin = Peer.ipv4('10.1.0.0/16');
    const first = web.allowFrom(admin, Port.tcp(8080));
    expect(web.allowFrom(admin, Port.tcp(8080))).toBe(first);
    new AllowFlow(stack, 'AlsoEightyEighty', { from: admin, to: web, ports: [Port.tcp(8080)] });
    web.allowFrom(admin, Port.tcp(8081));
    web.allowFrom(admin, Port.tcpRange(8082, 8090), Port.tcpRange(8085, 8100));
    web.allowFrom(admin, Port.udp(53));

    const out = synthApp(app).shop;
    const rules = Object.values<any>(resourcesOf(out, 'aws_vpc_security_group_ingress_rule'));
    // merging would give one rule whose address and ports change whenever a neighbour comes or goes
    expect(rules.map((r) => `${r.ip_protocol}/${r.from_port}-${r.to_port}`).sort())
      .toEqual(['tcp/8080-8080', 'tcp/8081-8081', 'tcp/8082-8090', 'tcp/8085-8100', 'udp/53-53']);
    // AWS rejects an identical permission twice: tcp/8080 is one rule serving both flows
    const eighty = rules.find((r) => r.from_port === 8080);
    expect(eighty['//'].microseg.flows).toEqual(['shop/AlsoEightyEighty', 'shop/Web/AllowFrom-ipv4-10.1.0.0_16-tcp-8080']);
    expect(stack).toAllowFlow(admin, webVm, Port.tcpRange(8080, 8100));
    expect(stack).toDenyFlow(admin, webVm, Port.tcp(8101));
  });

  test('a workload named directly in a flow gets its own group', () => {
    const app = newApp();
    const stack = awsStack(app, 'shop');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
    const api = new Workload(stack, 'Api', { binding: AwsBinding.instance(instance(stack, 'api')), labels: { tier: 'api' } });
    const db = new Segment(stack, 'Db', { selector: { tier: 'db' } });
    new Workload(stack, 'DbVm', { binding: AwsBinding.instance(instance(stack, 'db')), labels: { tier: 'db' } });
    db.allowFrom(api, Port.POSTGRES);

    const out = synthApp(app).shop;
    const groups = resourcesOf(out, 'aws_security_group');
    expect(Object.values(groups).map((g: any) => g.description).sort()).toEqual(['microseg segment shop/Db', 'microseg workload shop/Api']);
    expect(resourcesOf(out, 'aws_instance').api.vpc_security_group_ids).toHaveLength(1);
    expect(Object.keys(out.json['//'].microseg.segments)).toEqual(['shop/Db']);
  });

  test('a workload in no segment gets the empty unsegmented group (not the VPC default group), dropped once it joins one', () => {
    const app = newApp();
    const stack = awsStack(app, 'shop');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
    new Workload(stack, 'Lonely', { binding: AwsBinding.instance(instance(stack, 'lonely')), labels: { tier: 'none' } });
    const eni = new NetworkInterface(stack, 'Eni', { subnetId: 'subnet-1' });
    new Workload(stack, 'LonelyEni', { binding: AwsBinding.networkInterface(eni), labels: { tier: 'none' } });
    new Workload(stack, 'Joined', { binding: AwsBinding.instance(instance(stack, 'joined')), labels: { tier: 'web' } });
    new Workload(stack, 'Own', { binding: AwsBinding.instance(instance(stack, 'own', { vpcSecurityGroupIds: ['sg-0own'] })), labels: { tier: 'none' } });
    new Segment(stack, 'Web', { selector: { tier: 'web' } }); // declared after its member

    const out = synthApp(app).shop;
    const [name, group] = Object.entries(resourcesOf(out, 'aws_security_group')).find(([n]) => n.startsWith('Aws_Unsegmented'))!;
    const unsegmented = `\${aws_security_group.${name}.id}`;
    expect(group).toMatchObject({
      name_prefix: 'microseg-unsegmented-', vpc_id: 'vpc-0123', revoke_rules_on_delete: false,
    });
    const instances = resourcesOf(out, 'aws_instance');
    expect(instances.lonely.vpc_security_group_ids).toEqual([unsegmented]);
    expect(instances.joined.vpc_security_group_ids).toEqual([expect.stringMatching(/shop-Web/)]);
    expect(instances.own.vpc_security_group_ids).toEqual(['sg-0own']);
    expect(resourcesOf(out, 'aws_network_interface').Eni.security_groups).toEqual([unsegmented]);
    // and nothing allows traffic in or out of the unsegmented group
    const rules = [...Object.values(resourcesOf(out, 'aws_vpc_security_group_ingress_rule')), ...Object.values(resourcesOf(out, 'aws_vpc_security_group_egress_rule'))];
    expect(rules.filter((r: any) => r.security_group_id === unsegmented)).toEqual([]);
  });

  test('GIVEN workloads that all join segments WHEN synthesized THEN no unsegmented group is created and thrown away', () => {
    const app = newApp();
    const stack = awsStack(app, 'shop');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
    new Workload(stack, 'Web1', { binding: AwsBinding.instance(instance(stack, 'web1')), labels: { tier: 'web' } });
    new Workload(stack, 'Web2', { binding: AwsBinding.instance(instance(stack, 'web2')), labels: { tier: 'web' } });
    new Segment(stack, 'Web', { selector: { tier: 'web' } }); // declared after its members
    const removed = jest.spyOn(Node.prototype, 'tryRemoveChild');
    try {
      const out = synthApp(app).shop;
      expect(Object.keys(resourcesOf(out, 'aws_security_group')).filter((n) => n.startsWith('Aws_Unsegmented'))).toEqual([]);
      expect(removed.mock.calls.filter(([id]) => id === 'Unsegmented')).toEqual([]);
    } finally {
      removed.mockRestore();
    }
  });

  test('GIVEN two flows that each read one variable as their CIDR WHEN synthesized THEN the group holds that permission once', () => {
    // each read of an attribute is a new token; AWS refuses a permission twice in one group (InvalidPermission.Duplicate)
    const app = newApp();
    const { stack, api } = webAndApi(app);
    const partner = new TerraformVariable(stack, 'partner_cidr', { type: 'string' });
    new AllowFlow(stack, 'Ops', { from: Peer.ipv4(partner.stringValue), to: api, ports: [Port.SSH] });
    new AllowFlow(stack, 'Audit', { from: Peer.ipv4(partner.stringValue), to: api, ports: [Port.SSH] });

    const out = synthApp(app).shop;

    const ingress = Object.values<any>(resourcesOf(out, 'aws_vpc_security_group_ingress_rule')).filter((rule) => rule.cidr_ipv4 === '${var.partner_cidr}');
    expect(ingress.map((rule) => [rule.ip_protocol, rule.from_port, rule.to_port])).toEqual([['tcp', 22, 22]]);
    expect(ingress[0]['//'].microseg.flows).toEqual(['shop/Audit', 'shop/Ops']);
  });
});

/** What AWS accepts in group and rule descriptions (CreateSecurityGroup API), 1 to 255 characters. */
const AWS_DESCRIPTION = /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]{1,255}$/;

/** Every description of the stack's groups and rules. */
function descriptionsOf(out: any): string[] {
  return ['aws_security_group', 'aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule']
    .flatMap((type) => Object.values<any>(resourcesOf(out, type)).map((r) => r.description));
}

/** Web (tier web) and Api (tier api) with one member each, in VPC vpc-0123. */
function webAndApi(app: App, describeWeb?: string): { stack: TerraformStack; web: Segment; api: Segment; webVm: Workload; apiVm: Workload } {
  const stack = awsStack(app, 'shop');
  new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
  const web = new Segment(stack, 'Web', { selector: { tier: 'web' }, description: describeWeb });
  const api = new Segment(stack, 'Api', { selector: { tier: 'api' } });
  const webVm = new Workload(stack, 'WebVm', { binding: AwsBinding.instance(instance(stack, 'web', { privateIp: '10.0.1.10' })), labels: { tier: 'web' } });
  const apiVm = new Workload(stack, 'ApiVm', { binding: AwsBinding.instance(instance(stack, 'api', { privateIp: '10.0.2.10' })), labels: { tier: 'api' } });
  return { stack, web, api, webVm, apiVm };
}

describe('AWS descriptions', () => {
  test('hostile segment and flow descriptions (unicode, quotes, ?, <>, line breaks) are rewritten into the characters AWS accepts', () => {
    // GIVEN descriptions with every kind of character AWS rejects at apply
    const app = newApp();
    const { stack, web, api, webVm, apiVm } = webAndApi(app, 'Café "frontend" <public>?\nsecond line\t✓ 日本');
    new AllowFlow(stack, 'WebToApi', { from: web, to: api, ports: [Port.tcp(8080)], description: "it's the <checkout> call?\r\nsee ticket #12 — «urgent»" });
    // WHEN
    const out = synthApp(app).shop;
    // THEN the exact texts
    // the group description forces replacement: it derives from the identity; the user's text is a tag
    const groups = Object.values<any>(resourcesOf(out, 'aws_security_group'));
    expect(groups.map((g) => g.description).sort()).toEqual(['microseg segment shop/Api', 'microseg segment shop/Web']);
    const descriptionTags = Object.fromEntries(groups.map((g) => [g.tags['microseg:segment'], g.tags['microseg:description']]));
    expect(descriptionTags).toEqual({ 'shop/Web': 'Cafe frontend public second line', 'shop/Api': undefined });
    const rules = [...Object.values<any>(resourcesOf(out, 'aws_vpc_security_group_ingress_rule')), ...Object.values<any>(resourcesOf(out, 'aws_vpc_security_group_egress_rule'))];
    expect(rules.map((r) => r.description)).toEqual(['it s the checkout call see ticket #12 urgent', 'it s the checkout call see ticket #12 urgent']);
    // and every description of the stack is one AWS accepts
    const descriptions = descriptionsOf(out);
    expect(descriptions).toHaveLength(4);
    for (const description of descriptions) expect(description).toMatch(AWS_DESCRIPTION);
    // and the policy is unchanged
    expect(stack).toAllowFlow(webVm, apiVm, Port.tcp(8080));
    expect(stack).toDenyFlow(apiVm, webVm, Port.tcp(8080));
  });

  test('descriptions are cut to 255 characters, and a segment description with nothing AWS accepts gives no description tag', () => {
    const app = newApp();
    const { stack, web, api } = webAndApi(app, '？？？ «»');
    new AllowFlow(stack, 'WebToApi', { from: web, to: api, ports: [Port.tcp(8080)], description: `${'x'.repeat(254)} yz` });
    const out = synthApp(app).shop;
    const groups = Object.values<any>(resourcesOf(out, 'aws_security_group'));
    expect(groups.map((g) => g.description).sort()).toEqual(['microseg segment shop/Api', 'microseg segment shop/Web']);
    expect(groups.map((g) => g.tags['microseg:description'])).toEqual([undefined, undefined]);
    const ingress = Object.values<any>(resourcesOf(out, 'aws_vpc_security_group_ingress_rule'));
    expect(ingress.map((r) => r.description)).toEqual(['x'.repeat(254)]);
    for (const description of descriptionsOf(out)) expect(description).toMatch(AWS_DESCRIPTION);
  });

  test("a rule carries its flow's description; flows merged into one rule give their descriptions sorted, whatever the declaration order", () => {
    // GIVEN two flows asking for the same ports between the same segments, declared in both orders
    const render = (order: string[]) => {
      const app = newApp();
      const { stack, web, api } = webAndApi(app);
      const text: Record<string, string> = { Checkout: 'checkout calls the api', Search: 'search calls the api' };
      for (const id of order) new AllowFlow(stack, id, { from: web, to: api, ports: [Port.tcp(8080)], description: text[id] });
      return synthApp(app).shop;
    };
    const first = render(['Checkout', 'Search']);
    const second = render(['Search', 'Checkout']);
    // THEN one rule per direction, whose description joins both in sorted order
    for (const type of ['aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule']) {
      const rules = Object.values<any>(resourcesOf(first, type));
      expect(rules.map((r) => r.description)).toEqual(['checkout calls the api; search calls the api']);
      expect(rules[0]['//'].microseg.flows).toEqual(['shop/Checkout', 'shop/Search']);
    }
    expect(second.text).toEqual(first.text);
  });

  test('a merged description AWS would reject entirely drops out instead of leaving an empty part', () => {
    // GIVEN two flows sharing one rule, one described only by characters AWS rejects
    const app = newApp();
    const { stack, web, api } = webAndApi(app);
    new AllowFlow(stack, 'Odd', { from: web, to: api, ports: [Port.tcp(8080)], description: '? «»' });
    new AllowFlow(stack, 'Orders', { from: web, to: api, ports: [Port.tcp(8080)], description: 'web→api «orders»' });
    // THEN the rule carries only the other description, rewritten
    const rules = Object.values<any>(resourcesOf(synthApp(app).shop, 'aws_vpc_security_group_ingress_rule'));
    expect(rules.map((r) => r.description)).toEqual(['web api orders']);
  });

  test('editing a flow description changes only the description field: no rule is renamed or replaced', () => {
    const render = (description: string) => {
      const app = newApp();
      const { stack, web, api } = webAndApi(app);
      new AllowFlow(stack, 'WebToApi', { from: web, to: api, ports: [Port.tcp(8080)], description });
      return synthApp(app).shop;
    };
    const before = render('checkout calls the api');
    const after = render('checkout and refunds call the api');
    for (const type of ['aws_security_group', 'aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule']) {
      expect(Object.keys(resourcesOf(after, type))).toEqual(Object.keys(resourcesOf(before, type)));
    }
    const strip = (rule: any) => ({ ...rule, 'description': undefined, '//': undefined });
    const ingressBefore = Object.values<any>(resourcesOf(before, 'aws_vpc_security_group_ingress_rule'));
    const ingressAfter = Object.values<any>(resourcesOf(after, 'aws_vpc_security_group_ingress_rule'));
    expect(ingressAfter.map(strip)).toEqual(ingressBefore.map(strip));
    expect(ingressAfter.map((r) => r.description)).toEqual(['checkout and refunds call the api']);
    // the group's description (which forces replacement) does not depend on flows
    expect(Object.values<any>(resourcesOf(after, 'aws_security_group')).map((g) => g.description))
      .toEqual(Object.values<any>(resourcesOf(before, 'aws_security_group')).map((g) => g.description));
  });
});

describe('description helpers', () => {
  test.each([
    ['unicode letters lose their accents; other scripts go', 'Zürich café 日本 Ωmega', 'Zurich cafe mega'],
    ['quotes of every kind', '"double" \'single\' `back` “curly”', 'double single back curly'],
    ['question marks, also the full-width one', 'why? really？', 'why really'],
    ['angle brackets, pipes, percent, caret, tilde, backslash', 'a<b>c|d%e^f~g\\h', 'a b c d e f g h'],
    ['line breaks, tabs and other control characters', 'one\r\ntwo\tthree\u0000four\u200bfive', 'one two three four five'],
    ['everything AWS accepts stays as it is', 'a-zA-Z0-9 ._-:/()#,@[]+=&;{}!$*', 'a-zA-Z0-9 ._-:/()#,@[]+=&;{}!$*'],
  ])('awsDescription: %s', (_case, input, expected) => {
    const output = awsDescription(input, 'fallback');
    expect(output).toBe(expected);
    expect(output).toMatch(AWS_DESCRIPTION);
  });

  test('a description holding a Terraform expression is never cut inside it: Terraform could not parse an unclosed ${', () => {
    const app = newApp();
    const stack = awsStack(app, 'shop');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
    const region = new TerraformVariable(stack, 'region', { type: 'string' });
    const [web, api] = ['web', 'api'].map((tier) => new Segment(stack, tier, { selector: { tier } }));
    for (const tier of ['web', 'api']) new Workload(stack, `${tier}-vm`, { binding: AwsBinding.instance(instance(stack, `${tier}-instance`)), labels: { tier } });
    new AllowFlow(stack, 'WebToApi', { from: web, to: api, ports: [Port.HTTPS], description: `${'x'.repeat(250)} ${region.stringValue} traffic` });
    const descriptions = Object.values<any>(resourcesOf(synthApp(app).shop, 'aws_vpc_security_group_ingress_rule')).map((rule) => rule.description);
    // the expression is kept whole and counts nothing (its value is known at apply); the text around it is cut to 255
    expect(descriptions).toEqual([`${'x'.repeat(250)} \${var.region} tra`]);
    // an expression after the cut goes with the rest; one cut into by bytes (Azure) stays whole too
    expect(awsDescription(`${'a'.repeat(260)} ${region.stringValue}`, 'x')).toBe('a'.repeat(255));
    const expression = region.stringValue;
    // 68 two-byte letters, two spaces and "en": Azure's 140 bytes, the expression counting none
    expect(azureRuleDescription(`${'é'.repeat(68)} ${expression} end`)).toBe(`${'é'.repeat(68)} ${expression} en`);
  });

  test('awsDescription: cut to the limit without a trailing space; the fallback when nothing is left', () => {
    expect(awsDescription(`${'a'.repeat(254)} b`, 'x')).toBe('a'.repeat(254));
    expect(awsDescription('b'.repeat(300), 'x')).toHaveLength(255);
    expect(awsDescription('？？ «» 日本', 'microseg segment shop/Web')).toBe('microseg segment shop/Web');
    expect(awsDescription('', 'microseg')).toBe('microseg');
  });

  test('azureRuleDescription: one line, at most 140 UTF-8 bytes, never half a character', () => {
    expect(azureRuleDescription('a\nb\r\n\tc')).toBe('a b c');
    const emoji = azureRuleDescription('🙂'.repeat(40)); // four bytes each
    expect(emoji).toBe('🙂'.repeat(35));
    expect(Buffer.byteLength(azureRuleDescription('é'.repeat(100)), 'utf8')).toBe(140);
  });

  test('mergedDescription: deduplicated, sorted, joined; order of the input does not matter', () => {
    expect(mergedDescription(['search', 'checkout', 'search', ' ', 'api'])).toBe('api; checkout; search');
    expect(mergedDescription(['b', 'a'])).toBe(mergedDescription(['a', 'b']));
  });
});
