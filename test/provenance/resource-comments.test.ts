import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { App, Lazy, TerraformStack } from 'cdktf';
import { asPreparation } from '../../lib/private/preparation-pass';
import { ResourceComments, writeHostFirewallProvenance, writeProvenance, writtenProvenance } from '../../lib/provenance/resource-comments';

function rule(stack: TerraformStack, id: string): VpcSecurityGroupIngressRule {
  return new VpcSecurityGroupIngressRule(stack, id, { securityGroupId: 'sg-1', ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '10.0.0.0/8' });
}

function bodyOf(stack: TerraformStack, resource: VpcSecurityGroupIngressRule): any {
  return ResourceComments.of(stack).toTerraform().resource?.aws_vpc_security_group_ingress_rule?.[resource.friendlyUniqueId];
}

describe('ResourceComments', () => {
  test('GIVEN a rule comment THEN its body carries the recorded provenance itself, and no body is kept between passes', () => {
    const stack = new TerraformStack(new App(), 'shop');
    const web = rule(stack, 'Web');
    writeProvenance(web, { flows: ['shop/WebToApi'] });

    const first = bodyOf(stack, web);
    expect(first).toEqual({ '//': { microseg: { flows: ['shop/WebToApi'] } } });
    // the provenance goes in as recorded (cdktf resolves the fragment into a copy), not copied per pass
    expect(first['//'].microseg).toBe(writtenProvenance(web));
    // each pass makes its own body: one kept per resource would hold memory to the end of the synthesis
    const second = bodyOf(stack, web);
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
  });

  test('GIVEN a comment already written WHEN its rule provenance or host rule set changes THEN the next fragment has the new content, rule fields first', () => {
    const stack = new TerraformStack(new App(), 'shop');
    const web = rule(stack, 'Web');
    writeProvenance(web, { flows: ['shop/A'] });
    expect(bodyOf(stack, web)).toEqual({ '//': { microseg: { flows: ['shop/A'] } } });

    writeProvenance(web, { flows: ['shop/A', 'shop/B'] });
    expect(bodyOf(stack, web)).toEqual({ '//': { microseg: { flows: ['shop/A', 'shop/B'] } } });

    const record = { workload: 'shop/Vm', flavor: 'nftables', addresses: ['10.0.0.5/32'], rules: [] };
    writeHostFirewallProvenance(web, record);
    const body = bodyOf(stack, web);
    expect(body).toEqual({ '//': { microseg: { flows: ['shop/A', 'shop/B'], hostFirewall: record } } });
    expect(Object.keys(body['//'].microseg)).toEqual(['flows', 'hostFirewall']);
  });

  test('GIVEN a commented resource a renderer removed THEN the fragment has no body for it', () => {
    const stack = new TerraformStack(new App(), 'shop');
    const web = rule(stack, 'Web');
    const api = rule(stack, 'Api');
    writeProvenance(web, { flows: ['shop/A'] });
    writeProvenance(api, { flows: ['shop/B'] });
    const webId = web.friendlyUniqueId;
    expect(Object.keys(ResourceComments.of(stack).toTerraform().resource.aws_vpc_security_group_ingress_rule)).toEqual([webId, api.friendlyUniqueId]);

    stack.node.tryRemoveChild('Web');
    expect(Object.keys(ResourceComments.of(stack).toTerraform().resource.aws_vpc_security_group_ingress_rule)).toEqual([api.friendlyUniqueId]);
  });

  test('GIVEN rule comments and a host rule set WHEN cdktf prepares the stack THEN only the host rule set (a lazy value) is in the fragment, and every comment after', () => {
    const stack = new TerraformStack(new App(), 'shop');
    const web = rule(stack, 'Web');
    const host = rule(stack, 'Host');
    writeProvenance(web, { flows: ['shop/A'] });
    const record = Lazy.anyValue({ produce: () => ({ workload: 'shop/Vm', flavor: 'nftables', addresses: ['10.0.0.5/32'], rules: [] }) });
    writeHostFirewallProvenance(host, record as any);

    const prepared = asPreparation(stack, () => ResourceComments.of(stack).toTerraform());
    expect(Object.keys(prepared.resource.aws_vpc_security_group_ingress_rule)).toEqual([host.friendlyUniqueId]);
    expect(prepared.resource.aws_vpc_security_group_ingress_rule[host.friendlyUniqueId]['//'].microseg.hostFirewall).toBe(record);

    const synthesized = ResourceComments.of(stack).toTerraform();
    expect(Object.keys(synthesized.resource.aws_vpc_security_group_ingress_rule)).toEqual([web.friendlyUniqueId, host.friendlyUniqueId]);
    expect(bodyOf(stack, web)).toEqual({ '//': { microseg: { flows: ['shop/A'] } } });
  });
});
