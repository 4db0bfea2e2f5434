import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { App, Lazy, TerraformStack, Token } from 'cdktf';
import { withLateWrites } from '../../lib/private/late-writes';
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

  describe('written after cdktf resolves the stack', () => {
    /** A stack with a plain rule comment, a host rule set, a comment naming a token and one whose text could read as a token number. */
    function commentedStack() {
      const stack = new TerraformStack(new App(), 'shop');
      const web = rule(stack, 'Web');
      const host = rule(stack, 'Host');
      const named = rule(stack, 'Named');
      const numeric = rule(stack, 'Numeric');
      writeProvenance(web, { flows: ['shop/WebToApi'], guardrail: true });
      writeProvenance(host, { flows: ['shop/Ssh'] });
      writeHostFirewallProvenance(host, Lazy.anyValue({ produce: () => ({ workload: 'shop/Vm', flavor: 'nftables', addresses: ['10.0.0.5/32'], rules: [] }) }) as any);
      writeProvenance(named, { flows: [Token.asString(Lazy.stringValue({ produce: () => 'shop/Resolved' }))] });
      // the text of a token number: cdktf writes the number in its place
      writeProvenance(numeric, { guardrails: [`shop/Deny${Token.asNumber(Lazy.numberValue({ produce: () => 42 }))}`] });
      // text like a number, not a token's: plain
      const hexLike = rule(stack, 'HexLike');
      writeProvenance(hexLike, { flows: ['shop/e2e-1e5-3ce980de'] });
      const listed = rule(stack, 'Listed');
      writeProvenance(listed, { flows: Token.asList(Lazy.listValue({ produce: () => ['shop/A', 'shop/B'] })) });
      return { stack, web, host, named, numeric, listed, hexLike };
    }

    test('GIVEN plain and other comments WHEN the JSON is made through withLateWrites THEN the fragment leaves out only the plain ones and the document is the one cdktf resolves itself', () => {
      const { stack, web, host, named, numeric, listed, hexLike } = commentedStack();
      let fragment: any;
      const written = withLateWrites(stack, () => {
        fragment = ResourceComments.of(stack).toTerraform();
        return {} as any;
      });
      // the host rule set (a lazy value), the tokens and the number-like text are left to cdktf
      const leftToCdktf = Object.keys(fragment.resource.aws_vpc_security_group_ingress_rule);
      expect(leftToCdktf).toEqual([host, named, numeric, listed].map((r) => r.friendlyUniqueId));
      expect(written.resource.aws_vpc_security_group_ingress_rule).toEqual({
        [web.friendlyUniqueId]: { '//': { microseg: { flows: ['shop/WebToApi'], guardrail: true } } },
        [hexLike.friendlyUniqueId]: { '//': { microseg: { flows: ['shop/e2e-1e5-3ce980de'] } } },
      });

      const resolvedByCdktf = stack.toTerraform();
      const document = withLateWrites(stack, () => stack.toTerraform());
      expect(document).toEqual(resolvedByCdktf);
      const bodies = document.resource.aws_vpc_security_group_ingress_rule;
      expect(bodies[web.friendlyUniqueId]['//']).toEqual({
        metadata: expect.objectContaining({ path: 'shop/Web' }), microseg: { flows: ['shop/WebToApi'], guardrail: true },
      });
      expect(bodies[web.friendlyUniqueId].cidr_ipv4).toBe('10.0.0.0/8');
      expect(bodies[named.friendlyUniqueId]['//'].microseg).toEqual({ flows: ['shop/Resolved'] });
      expect(bodies[host.friendlyUniqueId]['//'].microseg).toEqual({ flows: ['shop/Ssh'], hostFirewall: { workload: 'shop/Vm', flavor: 'nftables', addresses: ['10.0.0.5/32'], rules: [] } });
      expect(bodies[numeric.friendlyUniqueId]['//'].microseg).toEqual({ guardrails: ['shop/Deny42'] });
      expect(bodies[hexLike.friendlyUniqueId]['//'].microseg).toEqual({ flows: ['shop/e2e-1e5-3ce980de'] });
      expect(bodies[listed.friendlyUniqueId]['//'].microseg).toEqual({ flows: ['shop/A', 'shop/B'] });
    });

    test('GIVEN a document with a comment written after resolution WHEN its reader changes it THEN the recorded provenance stays as it was', () => {
      const { stack, web } = commentedStack();
      const document = withLateWrites(stack, () => stack.toTerraform());
      document.resource.aws_vpc_security_group_ingress_rule[web.friendlyUniqueId]['//'].microseg.flows.push('shop/Other');
      expect(writtenProvenance(web)).toEqual({ flows: ['shop/WebToApi'], guardrail: true });
    });

    test('GIVEN a comment whose resource is not in the document THEN it gets a body of its own, as cdktf merges the fragment', () => {
      const { stack, web } = commentedStack();
      const document = withLateWrites(stack, () => {
        ResourceComments.of(stack).toTerraform();
        return { resource: { aws_vpc_security_group_ingress_rule: {} } } as any;
      });
      expect(document.resource.aws_vpc_security_group_ingress_rule[web.friendlyUniqueId]).toEqual({ '//': { microseg: { flows: ['shop/WebToApi'], guardrail: true } } });
    });

    test('GIVEN the stack written as HCL or without the wrapper THEN every comment is in the fragment', () => {
      const { stack, web, host, named, numeric, listed, hexLike } = commentedStack();
      const all = [web, host, named, numeric, hexLike, listed].map((r) => r.friendlyUniqueId);
      expect(Object.keys(ResourceComments.of(stack).toHclTerraform().resource.aws_vpc_security_group_ingress_rule)).toEqual(all);
      expect(Object.keys(ResourceComments.of(stack).toTerraform().resource.aws_vpc_security_group_ingress_rule)).toEqual(all);
    });
  });
});
