import { Instance } from '@cdktf/provider-aws/lib/instance';
import { App, Fn, TerraformStack, TerraformVariable } from 'cdktf';
import { AwsBinding, AwsEnforcement, NsxEnforcement, Peer, Port, Segment, VsphereBinding, Workload } from '../../lib';
import { gcpEstate, vmWorkload } from '../gcp/gcp-fixtures';
import { awsStack, instance, newApp, resourcesOf, synthApp } from '../helpers';
import { nsxStack, one, vm as vsphereVm } from '../vsphere/nsx-fixtures';

// A workload address given as a Terraform expression is known only at apply, yet each rule must
// pick its family's field at synth: an expression whose text names IPv6 is an IPv6 host address.

/** An AWS estate with network ACLs whose Api segment allows HTTPS from a partner host addressed by `address`. */
function awsEstate(address: (stack: TerraformStack) => string): App {
  const app = newApp();
  const stack = awsStack(app, 'shop');
  const enforcement = new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123', networkAcls: true });
  const api = new Segment(stack, 'Api', { selector: { tier: 'api' } });
  enforcement.addSubnet({ segment: api, subnetId: 'subnet-0123', cidr: '10.0.2.0/24' });
  new Workload(stack, 'ApiVm', { binding: AwsBinding.instance(instance(stack, 'api', { privateIp: '10.0.2.10' })), labels: { tier: 'api' } });
  const partner = new Workload(stack, 'Partner', { addresses: [address(stack)] });
  api.allowFrom(partner, Port.HTTPS);
  return app;
}

const otherHost = (stack: TerraformStack) => new Instance(stack, 'other', { ami: 'ami-0abcdef1234567890', instanceType: 't3.micro', ipv6AddressCount: 1 });

describe('a workload address given as an expression', () => {
  test('naming IPv6: the host CIDR ends in /128 and AWS security group rules and ACL entries name it as IPv6', () => {
    const out = synthApp(awsEstate((stack) => Fn.element(otherHost(stack).ipv6Addresses, 0))).shop;

    const address = '${element(aws_instance.other.ipv6_addresses, 0)}/128';
    const ingress = Object.values<any>(resourcesOf(out, 'aws_vpc_security_group_ingress_rule'));
    expect(ingress.map((rule) => [rule.ip_protocol, rule.from_port, rule.cidr_ipv4 ?? null, rule.cidr_ipv6 ?? null])).toEqual([['tcp', 443, null, address]]);
    const entries = Object.values<any>(resourcesOf(out, 'aws_network_acl_rule'))
      .map((rule) => [rule.egress, rule.from_port, rule.to_port, rule.cidr_block ?? null, rule.ipv6_cidr_block ?? null])
      .sort((a, b) => Number(a[0]) - Number(b[0]));
    expect(entries).toEqual([[false, 443, 443, null, address], [true, 1024, 65535, null, address]]);
  });

  test('naming a variable called after IPv6: the same', () => {
    const out = synthApp(awsEstate((stack) => new TerraformVariable(stack, 'partner_ipv6', { type: 'string' }).stringValue)).shop;

    const ingress = Object.values<any>(resourcesOf(out, 'aws_vpc_security_group_ingress_rule'));
    expect(ingress.map((rule) => [rule.cidr_ipv4 ?? null, rule.cidr_ipv6 ?? null])).toEqual([[null, '${var.partner_ipv6}/128']]);
  });

  test('naming no IPv6: an IPv4 host, /32, in the IPv4 fields', () => {
    const out = synthApp(awsEstate((stack) => otherHost(stack).privateIp)).shop;

    const address = '${aws_instance.other.private_ip}/32';
    const ingress = Object.values<any>(resourcesOf(out, 'aws_vpc_security_group_ingress_rule'));
    expect(ingress.map((rule) => [rule.cidr_ipv4 ?? null, rule.cidr_ipv6 ?? null])).toEqual([[address, null]]);
    const entries = Object.values<any>(resourcesOf(out, 'aws_network_acl_rule')).map((rule) => [rule.cidr_block ?? null, rule.ipv6_cidr_block ?? null]);
    expect(entries).toEqual([[address, null], [address, null]]);
  });

  test('on NSX, an IPv6 expression inside a function call goes bare into the IPv6 criteria', () => {
    const app = newApp();
    const stack = nsxStack(app, 'dc');
    new NsxEnforcement(stack, 'Nsx', {});
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    new Workload(stack, 'WebVm', { binding: VsphereBinding.virtualMachine(vsphereVm(stack, 'web')), labels: { tier: 'web' }, addresses: ['10.0.0.10'] });
    const clients = new Segment(stack, 'Clients', { selector: { role: 'client' } });
    new Workload(stack, 'V4Client', { addresses: ['192.0.2.10'], labels: { role: 'client' } });
    const clientAddresses = new TerraformVariable(stack, 'client_ipv6_addresses', { type: 'list(string)' }).listValue;
    new Workload(stack, 'V6Client', { addresses: [Fn.element(clientAddresses, 0)], labels: { role: 'client' } });
    web.allowFrom(clients, Port.HTTPS);

    const group = one(synthApp(app).dc, 'nsxt_policy_group', 'Clients');

    expect(group.criteria).toEqual([
      { ipaddress_expression: { ip_addresses: ['192.0.2.10/32'] } },
      { ipaddress_expression: { ip_addresses: ['${element(var.client_ipv6_addresses, 0)}'] } },
    ]);
  });

  test('on Google Cloud, Peer.ipv6(expression) and an IPv6 expression address go into the IPv6 rule, never the IPv4 one', () => {
    const app = newApp();
    const { stack } = gcpEstate(app, 'gcp');
    vmWorkload(stack, 'web');
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    const partner = new TerraformVariable(stack, 'partner_cidr', { type: 'string' }).stringValue;
    web.allowFrom(Peer.ipv6(partner), Port.HTTPS);
    const monitor = new Workload(stack, 'Monitor', { addresses: [new TerraformVariable(stack, 'monitor_ipv6', { type: 'string' }).stringValue] });
    web.allowFrom(monitor, Port.tcp(9100));

    const rules = Object.values<any>(resourcesOf(synthApp(app).gcp, 'google_compute_network_firewall_policy_rule'))
      .filter((rule) => rule.action === 'allow' && rule.direction === 'INGRESS')
      .map((rule) => [rule.match.layer4_configs[0].ports[0], rule.match.src_ip_ranges]);

    expect(rules.sort()).toEqual([['443', ['${var.partner_cidr}']], ['9100', ['${var.monitor_ipv6}/128']]]);
  });
});
