import { App, Fn, TerraformVariable } from 'cdktf';
import { AwsBinding, AwsEnforcement, Peer, Port, Segment, Workload } from '../../lib';
import { awsStack, instance, newApp, synthApp } from '../helpers';

// A peer CIDR known only at apply (a variable, another resource's attribute) is valid with network
// ACLs on too: its entries name the expression, in the family the flow declared.

function estate(peer: (partner: string) => Peer): App {
  const app = newApp();
  const stack = awsStack(app, 'shop');
  const enforcement = new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123', networkAcls: true });
  const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
  enforcement.addSubnet({ segment: web, subnetId: 'subnet-0123', cidr: '10.0.1.0/24' });
  new Workload(stack, 'WebVm', { binding: AwsBinding.instance(instance(stack, 'vm', { privateIp: '10.0.1.10' })), labels: { tier: 'web' } });
  const partner = new TerraformVariable(stack, 'partner_cidr', { type: 'string' }).stringValue;
  web.allowFrom(peer(partner), Port.HTTPS);
  return app;
}

const entries = (app: App) => Object.values<any>(synthApp(app).shop.json.resource.aws_network_acl_rule)
  .map((rule) => [rule.egress, rule.protocol, rule.cidr_block ?? null, rule.ipv6_cidr_block ?? null, rule.from_port, rule.to_port])
  .sort((a, b) => Number(a[0]) - Number(b[0]));

describe('network ACL entries for a CIDR given as an expression', () => {
  test('Peer.ipv4(variable): HTTPS in and the replies out, naming the variable as cidr_block', () => {
    expect(entries(estate((partner) => Peer.ipv4(partner)))).toEqual([
      [false, '6', '${var.partner_cidr}', null, 443, 443],
      [true, '6', '${var.partner_cidr}', null, 1024, 65535],
    ]);
  });

  test('Peer.ipv6(variable): the same as ipv6_cidr_block', () => {
    expect(entries(estate((partner) => Peer.ipv6(partner)))).toEqual([
      [false, '6', null, '${var.partner_cidr}', 443, 443],
      [true, '6', null, '${var.partner_cidr}', 1024, 65535],
    ]);
  });

  test('the entries\' addresses do not depend on how many tokens the program made before', () => {
    const addresses = (app: App) => Object.keys(synthApp(app).shop.json.resource.aws_network_acl_rule);
    const first = addresses(estate((partner) => Peer.ipv4(partner)));
    const app = newApp();
    for (let i = 0; i < 5; i++) new TerraformVariable(awsStack(app, `other${i}`), 'unrelated', { type: 'string' }).stringValue;
    expect(addresses(estate((partner) => Peer.ipv4(partner)))).toEqual(first);
  });

  test('a helper flow from such a peer is named after the expression, not the token', () => {
    const app = newApp();
    const stack = awsStack(app, 'shop');
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    const partner = new TerraformVariable(stack, 'partner_cidr', { type: 'string' }).stringValue;
    const flow = web.allowFrom(Peer.ipv4(partner), Port.HTTPS);
    expect(flow.node.id).toBe('AllowFrom-ipv4-__var.partner_cidr_-c4259529-tcp-443');
    expect(flow.identity).toBe('shop/Web/AllowFrom-ipv4-__var.partner_cidr_-c4259529');
  });

  test('two expressions that read alike once made fit for an id are two flows', () => {
    const app = newApp();
    const stack = awsStack(app, 'shop');
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    const cidrs = new TerraformVariable(stack, 'partner_cidrs', { type: 'map(string)' });
    const eu = web.allowFrom(Peer.ipv4(Fn.lookup(cidrs.value, 'eu west')), Port.HTTPS);
    const slash = web.allowFrom(Peer.ipv4(Fn.lookup(cidrs.value, 'eu/west')), Port.HTTPS);
    expect(eu).not.toBe(slash);
    expect(new Set([eu.identity, slash.identity]).size).toBe(2);
  });
});
