import * as fs from 'fs';
import * as path from 'path';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { App, Lazy, TerraformResource, TerraformStack, Token } from 'cdktf';
import { prepareLightly } from '../../lib/private/light-preparation';
import { asPreparation } from '../../lib/private/preparation-pass';
import { PolicyRegistry } from '../../lib/registry';
import { awsStack, newApp, writtenFiles } from '../helpers';
import { smallEstates } from '../performance/small-estates';
import { benchEstate } from '../performance/synthesize-app';

/**
 * Builds rules of every kind the preparation pass has work in: references to a group of another
 * stack, a lazy value, a token number, an override and an import naming another stack's group.
 */
function buildRules(app: App, light: boolean, produced: string[]): void {
  const groups = awsStack(app, 'groups');
  const shared = new SecurityGroup(groups, 'Shared', { name: 'shared', vpcId: 'vpc-0123' });
  const rules = awsStack(app, 'rules');
  const local = new SecurityGroup(rules, 'Local', { name: 'local', vpcId: 'vpc-0123' });
  const lazyCidr = Lazy.stringValue({ produce: () => { produced.push('cidr'); return '10.1.0.0/16'; } });
  const made = [
    new VpcSecurityGroupIngressRule(rules, 'Plain', { securityGroupId: local.id, ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '10.0.0.0/8' }),
    new VpcSecurityGroupIngressRule(rules, 'FromShared', { securityGroupId: local.id, ipProtocol: 'tcp', fromPort: 22, toPort: 22, referencedSecurityGroupId: shared.id }),
    new VpcSecurityGroupIngressRule(rules, 'LazyOnce', { securityGroupId: local.id, ipProtocol: 'udp', fromPort: 53, toPort: 53, cidrIpv4: lazyCidr }),
    new VpcSecurityGroupIngressRule(rules, 'LazyTwice', { securityGroupId: local.id, ipProtocol: 'tcp', fromPort: 53, toPort: 53, cidrIpv4: lazyCidr }),
    new VpcSecurityGroupIngressRule(rules, 'TokenPort', {
      securityGroupId: local.id, ipProtocol: 'tcp', fromPort: Token.asNumber(shared.revokeRulesOnDelete), toPort: 8080, cidrIpv4: '10.0.0.0/8',
    }),
    new VpcSecurityGroupIngressRule(rules, 'Overridden', { securityGroupId: local.id, ipProtocol: 'tcp', fromPort: 80, toPort: 80, cidrIpv4: '10.0.0.0/8' }),
    new VpcSecurityGroupIngressRule(rules, 'Imported', { securityGroupId: local.id, ipProtocol: 'tcp', fromPort: 81, toPort: 81, cidrIpv4: '10.0.0.0/8' }),
  ];
  // as in an app with policy constructs, the registry marks the stacks' preparation passes
  PolicyRegistry.of(rules);
  made[5].addOverride('description', shared.name);
  made[6].importFrom(shared.ownerId);
  if (light) for (const rule of made) prepareLightly(rule);
}

describe('resources prepared lightly', () => {
  test('an app writes the same files as without them, cross-stack references and lazy values included', () => {
    // GIVEN the same rules built plainly in one app and prepared lightly in another
    const plain = newApp();
    const light = newApp();
    const producedPlain: string[] = [];
    const producedLight: string[] = [];
    try {
      buildRules(plain, false, producedPlain);
      buildRules(light, true, producedLight);
      // WHEN both are synthesized
      plain.synth();
      light.synth();
      // THEN every file is the same
      const written = writtenFiles(light);
      expect(written).toEqual(writtenFiles(plain));
      // AND the references to the other stack's group went through its outputs: from the attribute, the override and the import
      const rules = JSON.parse(written[path.join('stacks', 'rules', 'cdk.tf.json')]);
      const ingress = rules.resource.aws_vpc_security_group_ingress_rule;
      expect(ingress.FromShared.referenced_security_group_id).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-groups\.outputs\./);
      expect(ingress.Overridden.description).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-groups\.outputs\./);
      expect(rules.import[0].id).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-groups\.outputs\./);
      expect(ingress.Plain.security_group_id).toBe('${aws_security_group.Local.id}');
      expect(ingress.LazyTwice.cidr_ipv4).toBe('10.1.0.0/16');
      const outputs = Object.keys(JSON.parse(written[path.join('stacks', 'groups', 'cdk.tf.json')]).output).sort();
      expect(outputs).toHaveLength(4);
      // AND the lazy value ran while preparing, once for the two rules that hold it
      expect(producedLight.length).toBeGreaterThan(0);
      expect(producedLight.length).toBeLessThan(producedPlain.length);
    } finally {
      fs.rmSync(plain.outdir, { recursive: true, force: true });
      fs.rmSync(light.outdir, { recursive: true, force: true });
    }
  });

  test('while its stack is prepared, a resource of plain values and token strings gives nothing, any other its whole body', () => {
    // GIVEN rules prepared lightly in one stack
    const app = newApp();
    try {
      buildRules(app, true, []);
      const stack = app.node.findChild('rules') as TerraformStack;
      const bodyOf = (id: string) => (stack.node.findChild(id) as VpcSecurityGroupIngressRule).toTerraform() as { resource?: unknown };
      // WHEN the stack is being prepared
      const preparing = asPreparation(stack, () => Object.fromEntries(
        ['Plain', 'FromShared', 'LazyOnce', 'TokenPort', 'Overridden', 'Imported'].map((id) => [id, Object.keys(bodyOf(id)).length > 0])));
      // THEN the rules of literals, references, lazy strings and overrides give nothing; a token number and an import give their body
      expect(preparing).toEqual({ Plain: false, FromShared: false, LazyOnce: false, TokenPort: true, Overridden: false, Imported: true });
      // AND outside the pass every rule gives its whole body
      expect(bodyOf('Plain').resource).toEqual({ aws_vpc_security_group_ingress_rule: { Plain: expect.objectContaining({ from_port: 443, cidr_ipv4: '10.0.0.0/8' }) } });
    } finally {
      fs.rmSync(app.outdir, { recursive: true, force: true });
    }
  });

  test.each(smallEstates('aws-sg', 'aws-nacl', 'azure', 'nsx', 'mixed'))('the rules and security groups of the %s bench estate give nothing while their stack is prepared', (name, size) => {
    // GIVEN a rendered bench estate
    const app = newApp();
    try {
      benchEstate(name, size)(app);
      const stack = app.node.findChild('estate') as TerraformStack;
      PolicyRegistry.of(stack).ensureRendered();
      const resources = stack.node.findAll().filter(TerraformResource.isTerraformResource);
      // WHEN cdktf's preparation pass asks each resource for its Terraform
      const bodies = asPreparation(stack, () => resources.map((resource) => ({ resource, body: resource.toTerraform() as Record<string, unknown> })));
      // THEN no rule or group the library builds in bulk hands over a body to resolve and throw away
      const ruleTypes = ['aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule', 'aws_security_group', 'aws_network_acl_rule',
        'azurerm_network_security_rule', 'nsxt_policy_security_policy_rule', 'nsxt_policy_vm_tags', 'nsxt_policy_service'];
      const rules = bodies.filter(({ resource }) => ruleTypes.includes(resource.terraformResourceType));
      expect(rules.length).toBeGreaterThan(20);
      expect(rules.filter(({ body }) => Object.keys(body).length > 0).map(({ resource }) => resource.node.path)).toEqual([]);
      // AND out of the pass each one has its body
      expect(rules.filter(({ resource }) => Object.keys(resource.toTerraform()).length === 0)).toEqual([]);
    } finally {
      fs.rmSync(app.outdir, { recursive: true, force: true });
    }
  });
});
