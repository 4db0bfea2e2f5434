import { Instance } from '@cdktf/provider-aws/lib/instance';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { App, TerraformStack } from 'cdktf';

/**
 * Builds, with plain cdktf, the same resources that the library synthesized into `reference`
 * (one stack's parsed cdk.tf.json): the baseline the library's overhead is measured against.
 */
export function buildPlain(app: App, reference: any): TerraformStack {
  const stack = new TerraformStack(app, 'estate');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  const groups = new Map<string, SecurityGroup>();
  for (const [name, sg] of Object.entries<any>(reference.resource.aws_security_group)) {
    groups.set(name, new SecurityGroup(stack, name, {
      namePrefix: sg.name_prefix, description: sg.description, vpcId: sg.vpc_id,
      revokeRulesOnDelete: true, lifecycle: { createBeforeDestroy: true }, tags: sg.tags,
    }));
  }
  const groupId = (ref: string | undefined) => (ref === undefined ? undefined : groups.get(/aws_security_group\.([^.]+)\.id/.exec(ref)![1])!.id);
  for (const [name, vm] of Object.entries<any>(reference.resource.aws_instance)) {
    new Instance(stack, name, { ami: vm.ami, instanceType: vm.instance_type, vpcSecurityGroupIds: vm.vpc_security_group_ids.map(groupId) });
  }
  for (const [type, Rule] of [['aws_vpc_security_group_ingress_rule', VpcSecurityGroupIngressRule], ['aws_vpc_security_group_egress_rule', VpcSecurityGroupEgressRule]] as const) {
    for (const [name, rule] of Object.entries<any>(reference.resource[type] ?? {})) {
      new Rule(stack, name, {
        securityGroupId: groupId(rule.security_group_id)!, ipProtocol: rule.ip_protocol, fromPort: rule.from_port, toPort: rule.to_port,
        cidrIpv4: rule.cidr_ipv4, referencedSecurityGroupId: groupId(rule.referenced_security_group_id), description: rule.description,
      });
    }
  }
  return stack;
}
