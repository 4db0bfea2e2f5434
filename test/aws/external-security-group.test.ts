import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { AwsBinding, AwsEnforcement, Peer, Port, Segment, Workload } from '../../lib';
import { describeExternalGroup, evaluate, loadTerraformStacks, segmentMatrix } from '../../lib/verify';
import '../../lib/verify/jest';
import { awsStack, instance, newApp, resourcesOf, synthApp } from '../helpers';

const ADMIN_GROUP = 'sg-0123456789abcdef0';

/** Segment App (one instance) allows SSH from the admin group the platform team owns. */
function adminEstate() {
  const app = newApp();
  const stack = awsStack(app, 'shop');
  new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
  const appTier = new Segment(stack, 'App', { selector: { tier: 'app' } });
  const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
  appTier.allowFrom(Peer.awsSecurityGroup(ADMIN_GROUP), Port.SSH);
  web.allowFrom(Peer.ipv4('10.50.0.0/16'), Port.HTTPS);
  new Workload(stack, 'AppVm', { binding: AwsBinding.instance(instance(stack, 'app', { privateIp: '10.0.2.10' })), labels: { tier: 'app' } });
  new Workload(stack, 'WebVm', { binding: AwsBinding.instance(instance(stack, 'web', { privateIp: '10.0.1.10' })), labels: { tier: 'web' } });
  const out = synthApp(app).shop;
  return { out, web, model: loadTerraformStacks({ shop: out.json }) };
}

describe('Peer.awsSecurityGroup: a security group owned elsewhere', () => {
  test('GIVEN a flow from an existing group WHEN synthesized THEN the ingress rule references the group id, and no rule names an address', () => {
    const { out } = adminEstate();
    const rules = Object.values<any>(resourcesOf(out, 'aws_vpc_security_group_ingress_rule')).filter((rule) => rule.from_port === 22);
    expect(rules).toEqual([expect.objectContaining({ ip_protocol: 'tcp', from_port: 22, to_port: 22, referenced_security_group_id: ADMIN_GROUP })]);
    expect(rules[0].cidr_ipv4).toBeUndefined();
    expect(resourcesOf(out, 'aws_vpc_security_group_egress_rule')).toEqual({});
  });

  test('GIVEN the rule WHEN evaluated THEN the group reaches App on SSH only, and nobody else does: it is a named group, never everyone', () => {
    const { model } = adminEstate();
    expect(model).toAllowFlow(ADMIN_GROUP, 'shop/App', Port.SSH);
    expect(model).toAllowFlow(Peer.awsSecurityGroup(ADMIN_GROUP), 'shop/AppVm', Port.SSH);
    expect(model).toDenyFlow(ADMIN_GROUP, 'shop/App', Port.HTTPS);
    expect(model).toDenyFlow(Peer.anyIpv4(), 'shop/App', Port.SSH);
    expect(model).toDenyFlow('shop/Web', 'shop/App', Port.SSH);
    expect(model).toDenyFlow('sg-0fedcba9876543210', 'shop/App', Port.SSH);
    const verdict = evaluate(model, { from: ADMIN_GROUP, to: 'shop/AppVm', port: 'tcp/22' });
    expect(JSON.stringify(verdict.layers)).toContain(`security group ${ADMIN_GROUP} (owned elsewhere)`);
  });

  test('GIVEN the rule WHEN the segment matrix is built THEN the external group is a row of its own', () => {
    const { model } = adminEstate();
    const cells = segmentMatrix(model).cells.filter((cell) => cell.from === ADMIN_GROUP);
    expect(cells.map((cell) => `${cell.to}: ${cell.allowed.join(' ') || 'denied'}`).sort()).toEqual(['shop/App: tcp/22', 'shop/Web: denied']);
  });

  test('GIVEN the members of the group declared to the evaluator THEN a declared workload matches the rule and the group stands for its addresses', () => {
    const { model } = adminEstate();
    // before: the web workload is not in the group, and the group has no known address
    expect(model).toDenyFlow('shop/WebVm', 'shop/AppVm', Port.SSH);
    expect(model).toDenyFlow(ADMIN_GROUP, 'shop/WebVm', Port.HTTPS);
    describeExternalGroup(model, ADMIN_GROUP, { addresses: ['10.50.0.0/24'], workloads: ['shop/WebVm'] });
    // the web instance's own egress still has no rule to App: the group's ingress rule matches it, its egress does not allow
    const fromWeb = evaluate(model, { from: 'shop/WebVm', to: 'shop/AppVm', port: 'tcp/22' });
    expect(fromWeb.layers.find((layer) => layer.point === 'ingress of shop/AppVm')?.allowed).toBe(true);
    expect(fromWeb.allowed).toBe(false);
    const group = evaluate(model, { from: ADMIN_GROUP, to: 'shop/AppVm', port: 'tcp/22' });
    expect(group.allowed).toBe(true);
    expect(group.paths[0].from).toBe(ADMIN_GROUP);
    // the group now stands for 10.50.0.0/24, which the web segment's CIDR rule covers
    expect(model).toAllowFlow(ADMIN_GROUP, 'shop/WebVm', Port.HTTPS);
  });

  test('GIVEN members that are not addresses, or a group id that is not one WHEN declared THEN the evaluator refuses them quoting the value', () => {
    const { model } = adminEstate();
    expect(() => describeExternalGroup(model, ADMIN_GROUP, { addresses: ['admins'] })).toThrow(`member address "admins" of ${ADMIN_GROUP} is not an IP address or CIDR`);
    expect(() => describeExternalGroup(model, 'admins', {})).toThrow('"admins" is not a security group id');
  });

  test('GIVEN a malformed group id THEN synthesis fails quoting it', () => {
    const app = newApp();
    const stack = awsStack(app, 'shop');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
    const appTier = new Segment(stack, 'App', { selector: { tier: 'app' } });
    appTier.allowFrom(Peer.awsSecurityGroup('admins'), Port.SSH);
    expect(() => synthApp(app)).toThrow('Peer.awsSecurityGroup("admins") is not a security group id. Security group ids look like "sg-0123456789abcdef0".');
  });

  test('GIVEN network ACLs on the subnet of the segment THEN synthesis fails: an ACL cannot reference a group', () => {
    const app = newApp();
    const stack = awsStack(app, 'shop');
    const enforcement = new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123', networkAcls: true });
    const appTier = new Segment(stack, 'App', { selector: { tier: 'app' } });
    const subnet = new Subnet(stack, 'subnet', { vpcId: 'vpc-0123', cidrBlock: '10.0.2.0/24' });
    enforcement.addSubnet({ segment: appTier, subnetId: subnet.id, cidr: '10.0.2.0/24' });
    appTier.allowFrom(Peer.awsSecurityGroup(ADMIN_GROUP), Port.SSH);
    new Workload(stack, 'AppVm', { binding: AwsBinding.instance(instance(stack, 'app', { subnetId: subnet.id })), labels: { tier: 'app' } });
    expect(() => synthApp(app)).toThrow(`names Peer.awsSecurityGroup("${ADMIN_GROUP}"), which AWS network ACLs of 'shop/Aws' cannot express (they match addresses only), so the flow would be dropped there.`);
  });
});
