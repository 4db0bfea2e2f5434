import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule, VpcSecurityGroupIngressRuleConfig } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { App, Lazy, TerraformStack, Token } from 'cdktf';
import { bulkResource } from '../../lib/private/bulk-resource';
import { withLateWrites } from '../../lib/private/late-writes';
import { writeProvenance } from '../../lib/provenance/resource-comments';

/**
 * A stack of rules built in bulk, each holding what cdktf's resolution treats in its own way: a
 * reference, a token number, text that reads as a token number, a lazy value, a plain override, an
 * override naming a token, a nested override with `undefined` and `null` in it, and a provenance
 * comment (which another element writes into the same `"//"`).
 */
function rulesStack() {
  const stack = new TerraformStack(new App(), 'shop');
  const group = new SecurityGroup(stack, 'Group', { name: 'web', vpcId: 'vpc-0123' });
  const rule = (id: string, props: Partial<VpcSecurityGroupIngressRuleConfig> = {}) => bulkResource(new VpcSecurityGroupIngressRule(stack, id, {
    securityGroupId: 'sg-0123', ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '10.0.0.0/8', ...props,
  }));
  const plain = rule('Plain', { description: 'web from the office' });
  const referenced = rule('Referenced', { securityGroupId: group.id, referencedSecurityGroupId: group.id, cidrIpv4: undefined });
  const tokenPort = rule('TokenPort', { fromPort: Token.asNumber(Lazy.numberValue({ produce: () => 8443 })) });
  const numberText = rule('NumberText', { description: `port ${Token.asNumber(Lazy.numberValue({ produce: () => 22 }))}` });
  const lazy = rule('Lazy', { cidrIpv4: Lazy.stringValue({ produce: () => '10.1.0.0/16' }) });
  const overridden = rule('Overridden');
  overridden.addOverride('description', 'set by an override');
  overridden.addOverride('tags', { team: group.name, empty: {}, gone: undefined, nothing: null, list: ['a', undefined, 'b'] });
  const commented = rule('Commented');
  writeProvenance(commented, { flows: ['shop/WebToApi'] });
  return { stack, group, plain, referenced, tokenPort, numberText, lazy, overridden, commented };
}

describe('the plain arguments of resources built in bulk', () => {
  test('GIVEN rules of every kind WHEN the JSON is made through withLateWrites THEN it is the document cdktf resolves itself, key order included', () => {
    // GIVEN the document cdktf makes on its own (no late writes: every argument resolved by it)
    const { stack } = rulesStack();
    const byCdktf = stack.toTerraform();
    // WHEN the same stack's JSON is made with plain arguments written late
    const document = withLateWrites(stack, () => stack.toTerraform());
    // THEN it is the same document, with its keys in the same order
    expect(document).toEqual(byCdktf);
    expect(JSON.stringify(document)).toBe(JSON.stringify(byCdktf));
  });

  test('GIVEN rules of every kind THEN cdktf is handed only the arguments that hold a token, and the written values are cdktf\'s', () => {
    const { stack, plain, referenced, tokenPort, numberText, lazy, overridden, commented } = rulesStack();
    // GIVEN what each rule hands cdktf while the JSON is made
    const handed = new Map<VpcSecurityGroupIngressRule, any>();
    const document = withLateWrites(stack, () => {
      for (const rule of [plain, referenced, tokenPort, numberText, lazy, overridden, commented]) {
        handed.set(rule, rule.toTerraform().resource.aws_vpc_security_group_ingress_rule[rule.friendlyUniqueId]);
      }
      return stack.toTerraform();
    });
    // THEN a rule of plain values hands nothing, the others only what names a token
    expect(handed.get(plain)).toEqual({});
    expect(Object.keys(handed.get(referenced)).sort()).toEqual(['referenced_security_group_id', 'security_group_id']);
    expect(Object.keys(handed.get(tokenPort))).toEqual(['from_port']);
    expect(Object.keys(handed.get(numberText))).toEqual(['description']);
    expect(Object.keys(handed.get(lazy))).toEqual(['cidr_ipv4']);
    expect(Object.keys(handed.get(overridden))).toEqual(['tags']);
    expect(Object.keys(handed.get(commented))).toEqual([]);
    // AND the written bodies hold every argument as cdktf resolves it
    const bodies = document.resource.aws_vpc_security_group_ingress_rule;
    expect(bodies[plain.friendlyUniqueId]).toEqual({
      'cidr_ipv4': '10.0.0.0/8',
      'description': 'web from the office',
      'from_port': 443,
      'ip_protocol': 'tcp',
      'security_group_id': 'sg-0123',
      'to_port': 443,
      '//': { metadata: { path: 'shop/Plain', uniqueId: plain.friendlyUniqueId } },
    });
    expect(bodies[referenced.friendlyUniqueId].referenced_security_group_id).toBe('${aws_security_group.Group.id}');
    expect(bodies[tokenPort.friendlyUniqueId].from_port).toBe(8443);
    expect(bodies[numberText.friendlyUniqueId].description).toBe('port 22');
    expect(bodies[lazy.friendlyUniqueId].cidr_ipv4).toBe('10.1.0.0/16');
    expect(bodies[overridden.friendlyUniqueId].description).toBe('set by an override');
    expect(bodies[overridden.friendlyUniqueId].tags).toEqual({ team: '${aws_security_group.Group.name}', empty: {}, nothing: null, list: ['a', 'b'] });
    // AND a comment written into the same "//" by another element is merged with the metadata
    expect(bodies[commented.friendlyUniqueId]['//']).toEqual({
      metadata: { path: 'shop/Commented', uniqueId: commented.friendlyUniqueId }, microseg: { flows: ['shop/WebToApi'] },
    });
  });

  test('GIVEN a plain override of its own, undefined and null among them THEN they are written as cdktf writes them', () => {
    const { stack, plain } = rulesStack();
    plain.addOverride('tags', { empty: {}, gone: undefined, nothing: null, list: ['a', undefined, 'b'] });
    const byCdktf = stack.toTerraform();
    const document = withLateWrites(stack, () => stack.toTerraform());
    expect(document).toEqual(byCdktf);
    expect(document.resource.aws_vpc_security_group_ingress_rule[plain.friendlyUniqueId].tags).toEqual({ empty: {}, nothing: null, list: ['a', 'b'] });
    expect(Object.keys(document.resource.aws_vpc_security_group_ingress_rule[plain.friendlyUniqueId].tags)).toEqual(['empty', 'nothing', 'list']);
  });

  test('GIVEN the stack overrides an argument of a rule THEN every argument goes through cdktf and the override wins', () => {
    const { stack, plain } = rulesStack();
    stack.addOverride(`resource.aws_vpc_security_group_ingress_rule.${plain.friendlyUniqueId}.description`, 'set on the stack');
    let handedPlain: any;
    const document = withLateWrites(stack, () => {
      handedPlain = plain.toTerraform().resource.aws_vpc_security_group_ingress_rule[plain.friendlyUniqueId];
      return stack.toTerraform();
    });
    expect(handedPlain.description).toBe('web from the office');
    expect(document).toEqual(stack.toTerraform());
    expect(document.resource.aws_vpc_security_group_ingress_rule[plain.friendlyUniqueId].description).toBe('set on the stack');
  });

  test('GIVEN a written document WHEN its reader changes it THEN the rule keeps its arguments', () => {
    const { stack, overridden } = rulesStack();
    const first = withLateWrites(stack, () => stack.toTerraform());
    first.resource.aws_vpc_security_group_ingress_rule[overridden.friendlyUniqueId].tags.list.push('c');
    first.resource.aws_vpc_security_group_ingress_rule[overridden.friendlyUniqueId].description = 'changed by a reader';
    const second = withLateWrites(stack, () => stack.toTerraform());
    expect(second.resource.aws_vpc_security_group_ingress_rule[overridden.friendlyUniqueId].tags.list).toEqual(['a', 'b']);
    expect(second.resource.aws_vpc_security_group_ingress_rule[overridden.friendlyUniqueId].description).toBe('set by an override');
  });

  test('GIVEN the stack written as HCL THEN the rules hand their whole bodies, as without late writes', () => {
    const stack = new TerraformStack(new App(), 'shop');
    const plain = bulkResource(new VpcSecurityGroupIngressRule(stack, 'Plain', {
      securityGroupId: 'sg-0123', ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '10.0.0.0/8', description: 'web from the office',
    }));
    const hcl = withLateWrites(stack, () => stack.toHclTerraform());
    expect(hcl.hcl).toContain('web from the office');
    expect(hcl.hcl).toContain(`resource "aws_vpc_security_group_ingress_rule" "${plain.friendlyUniqueId}"`);
  });
});
