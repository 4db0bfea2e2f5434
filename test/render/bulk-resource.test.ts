import * as path from 'path';
import { NetworkAcl } from '@cdktf/provider-aws/lib/network-acl';
import { NetworkAclAssociation } from '@cdktf/provider-aws/lib/network-acl-association';
import { NetworkAclRule } from '@cdktf/provider-aws/lib/network-acl-rule';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { SsmAssociation } from '@cdktf/provider-aws/lib/ssm-association';
import { SsmDocument } from '@cdktf/provider-aws/lib/ssm-document';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { ApplicationSecurityGroup } from '@cdktf/provider-azurerm/lib/application-security-group';
import { NetworkInterfaceApplicationSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/network-interface-application-security-group-association';
import { NetworkInterfaceSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/network-interface-security-group-association';
import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { NetworkSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-rule';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { VirtualMachineRunCommand } from '@cdktf/provider-azurerm/lib/virtual-machine-run-command';
import { ComputeFirewallPolicy } from '@cdktf/provider-google/lib/compute-firewall-policy';
import { ComputeFirewallPolicyAssociation } from '@cdktf/provider-google/lib/compute-firewall-policy-association';
import { ComputeFirewallPolicyRule } from '@cdktf/provider-google/lib/compute-firewall-policy-rule';
import { ComputeNetworkFirewallPolicy } from '@cdktf/provider-google/lib/compute-network-firewall-policy';
import { ComputeNetworkFirewallPolicyAssociation } from '@cdktf/provider-google/lib/compute-network-firewall-policy-association';
import { ComputeNetworkFirewallPolicyRule } from '@cdktf/provider-google/lib/compute-network-firewall-policy-rule';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { TagsLocationTagBinding } from '@cdktf/provider-google/lib/tags-location-tag-binding';
import { TagsTagKey } from '@cdktf/provider-google/lib/tags-tag-key';
import { TagsTagValue } from '@cdktf/provider-google/lib/tags-tag-value';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { VsphereProvider } from '@cdktf/provider-vsphere/lib/provider';
import { Tag } from '@cdktf/provider-vsphere/lib/tag';
import { TagCategory } from '@cdktf/provider-vsphere/lib/tag-category';
import { App, Lazy, TerraformIterator, TerraformResource, TerraformStack } from 'cdktf';
import { RuleSetData } from '../../lib/host/rule-set-data';
import { bulkResource } from '../../lib/private/bulk-resource';
import { wholeTerraform } from '../../lib/private/light-preparation';
import { PolicyRegistry } from '../../lib/registry';
import { NsxGroupConditionKey, NsxGroupConditionMemberType, NsxGroupConditionOperator, NsxRuleAction, NsxRuleDirection } from '../../lib/vsphere/nsx/enums';
import { NsxtPolicyGroup } from '../../lib/vsphere/nsx/policy-group';
import { NsxtPolicyParentSecurityPolicy } from '../../lib/vsphere/nsx/policy-parent-security-policy';
import { NsxtPolicySecurityPolicyRule } from '../../lib/vsphere/nsx/policy-security-policy-rule';
import { NsxtProvider } from '../../lib/vsphere/nsx/provider';
import { NsxPolicyCategory } from '../../lib/vsphere/policy-category';
import { awsStack, newApp, writtenFiles } from '../helpers';

/** What a resource's provider class builds for cdktf (protected in cdktf's typings). */
function attributesOf(resource: TerraformResource): Record<string, unknown> {
  return (resource as unknown as { synthesizeAttributes(): Record<string, unknown> }).synthesizeAttributes();
}

/** The body a resource hands cdktf for its element's fragment. */
function bodyOf(resource: TerraformResource): Record<string, unknown> {
  return wholeTerraform(resource).resource[resource.terraformResourceType][resource.friendlyUniqueId];
}

/**
 * One resource of every kind the library builds in bulk, with unset attributes, a reference to
 * another stack's group, a lazy value, an override of an unset attribute and an override that
 * removes a set one, a segment's group with tags, a lifecycle and another stack's VPC id, a network
 * ACL and its association, an ASG and a NIC's association with it, an NSG with a subnet's and a
 * NIC's association, a vSphere tag and its category, an NSX group with criteria and an NSX parent
 * policy, Google Cloud's network and hierarchical firewall policies with their associations and
 * rules, a secure tag's key and value and a tag binding, Kubernetes network policies (one whose
 * rules are a lazy list naming another stack's group) and a manifest of lazy content, and a host's
 * delivery resources (an SSM document of lazy content with its association, an Azure run command of
 * a lazy script, a rule set's terraform_data of lazy files), a security group whose rules an
 * iterator makes and a Google Cloud rule with a dynamic block; each made a bulk resource when `bulk`.
 */
function buildResources(app: App, bulk: boolean): void {
  const groups = awsStack(app, 'groups');
  const shared = new SecurityGroup(groups, 'Shared', { name: 'shared', vpcId: 'vpc-0123' });
  const rules = awsStack(app, 'rules');
  const segmentGroup = new SecurityGroup(rules, 'Segment', {
    namePrefix: 'web-',
    description: 'microseg segment app/web',
    vpcId: shared.vpcId,
    revokeRulesOnDelete: false,
    lifecycle: { createBeforeDestroy: true },
    tags: { 'Name': 'web', 'microseg:segment': 'app/web' },
  });
  new AzurermProvider(rules, 'azurerm', { features: [{}] });
  new NsxtProvider(rules, 'nsxt', { host: 'nsx.example.com' });
  new GoogleProvider(rules, 'google', { project: 'shop-prod', region: 'europe-west1' });
  new KubernetesProvider(rules, 'kubernetes', { configPath: '~/.kube/config' });
  new VsphereProvider(rules, 'vsphere', { vsphereServer: 'vcenter.example.com', user: 'terraform', password: 'secret' });
  const local = new SecurityGroup(rules, 'Local', { name: 'local', vpcId: 'vpc-0123' });
  const made: TerraformResource[] = [
    new VpcSecurityGroupIngressRule(rules, 'Cidr', { securityGroupId: local.id, ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '10.0.0.0/8' }),
    new VpcSecurityGroupIngressRule(rules, 'FromShared', { securityGroupId: local.id, ipProtocol: 'tcp', fromPort: 22, toPort: 22, referencedSecurityGroupId: shared.id }),
    new VpcSecurityGroupIngressRule(rules, 'Lazy', {
      securityGroupId: local.id, ipProtocol: 'udp', fromPort: 53, toPort: 53, cidrIpv4: Lazy.stringValue({ produce: () => '10.1.0.0/16' }),
    }),
    new NetworkAclRule(rules, 'Entry', { networkAclId: 'acl-0123', ruleNumber: 100, egress: false, protocol: '6', ruleAction: 'allow', cidrBlock: '10.0.0.0/8', fromPort: 443, toPort: 443 }),
    new NetworkSecurityRule(rules, 'Nsg', {
      name: 'allow-https',
      resourceGroupName: 'rg',
      networkSecurityGroupName: 'nsg',
      priority: 200,
      direction: 'Inbound',
      access: 'Allow',
      protocol: 'Tcp',
      sourcePortRange: '*',
      destinationPortRange: '443',
      sourceAddressPrefixes: ['10.0.1.0/24', '10.0.2.0/24'],
      destinationAddressPrefix: '*',
    }),
    new NsxtPolicySecurityPolicyRule(rules, 'Nsx', {
      displayName: 'allow https',
      policyPath: '/infra/domains/default/security-policies/p',
      sequenceNumber: 10,
      sourceGroups: ['/infra/domains/default/groups/a'],
      destinationGroups: ['/infra/domains/default/groups/b'],
      action: NsxRuleAction.ALLOW,
      direction: NsxRuleDirection.IN_OUT,
      logged: false,
    }),
    segmentGroup,
  ];
  const acl = new NetworkAcl(rules, 'Acl', { vpcId: shared.vpcId });
  const asg = new ApplicationSecurityGroup(rules, 'Asg', { name: 'asg-web', resourceGroupName: 'rg', location: 'westeurope', tags: { 'microseg-segment': 'app/web' } });
  const nsg = new NetworkSecurityGroup(rules, 'SubnetNsg', { name: 'nsg-web', resourceGroupName: 'rg', location: 'westeurope', tags: { 'microseg-enforcement': 'rules/Azure' } });
  const category = new TagCategory(rules, 'Category', { name: 'microseg', description: 'microseg segments', cardinality: 'MULTIPLE', associableTypes: ['VirtualMachine'] });
  made.push(
    acl,
    new NetworkAclAssociation(rules, 'AclAssociation', { networkAclId: acl.id, subnetId: 'subnet-0123' }),
    asg,
    new NetworkInterfaceApplicationSecurityGroupAssociation(rules, 'AsgAssociation', { networkInterfaceId: 'nic-id', applicationSecurityGroupId: asg.id }),
    nsg,
    new SubnetNetworkSecurityGroupAssociation(rules, 'SubnetNsgAssociation', { subnetId: 'subnet-id', networkSecurityGroupId: nsg.id }),
    new NetworkInterfaceSecurityGroupAssociation(rules, 'NicNsgAssociation', { networkInterfaceId: 'nic-id', networkSecurityGroupId: nsg.id }),
    category,
    new Tag(rules, 'Tag', { name: 'web', categoryId: category.id, description: 'microseg segment app/web' }),
    new NsxtPolicyGroup(rules, 'NsxGroup', {
      displayName: 'microseg app/web',
      domain: 'default',
      criteria: [{
        condition: [{
          key: NsxGroupConditionKey.TAG,
          memberType: NsxGroupConditionMemberType.VIRTUAL_MACHINE,
          operator: NsxGroupConditionOperator.EQUALS,
          value: 'microseg|app/web',
        }],
      }],
      lifecycle: { createBeforeDestroy: true },
    }),
    new NsxtPolicyParentSecurityPolicy(rules, 'NsxPolicy', {
      displayName: 'microseg', domain: 'default', category: NsxPolicyCategory.APPLICATION, sequenceNumber: 10, stateful: true, tcpStrict: true,
    }),
  );
  const tagKey = new TagsTagKey(rules, 'TagKey', { parent: 'projects/shop-prod', shortName: 'microseg-web', purpose: 'GCE_FIREWALL', purposeData: { network: 'shop-prod/vpc' } });
  const tagValue = new TagsTagValue(rules, 'TagValue', { parent: tagKey.id, shortName: 'member', description: 'microseg segment app/web' });
  const networkPolicy = new ComputeNetworkFirewallPolicy(rules, 'GcpPolicy', { name: 'microseg', project: 'shop-prod', description: 'cdktf-microseg: the flows of rules/Gcp' });
  const folderPolicy = new ComputeFirewallPolicy(rules, 'GcpGuardrailPolicy', { parent: 'folders/123', shortName: 'microseg-guardrails' });
  made.push(
    tagKey,
    tagValue,
    new TagsLocationTagBinding(rules, 'TagBinding', { parent: '//compute.googleapis.com/projects/shop-prod/zones/europe-west1-b/instances/123', tagValue: tagValue.id, location: 'europe-west1-b' }),
    networkPolicy,
    new ComputeNetworkFirewallPolicyAssociation(rules, 'GcpAssociation', { name: 'microseg-association', project: 'shop-prod', firewallPolicy: networkPolicy.name, attachmentTarget: 'projects/shop-prod/global/networks/vpc' }),
    new ComputeNetworkFirewallPolicyRule(rules, 'GcpRule', {
      firewallPolicy: networkPolicy.name,
      project: 'shop-prod',
      priority: 1000,
      action: 'allow',
      direction: 'INGRESS',
      ruleName: 'ingress-web',
      targetSecureTags: [{ name: tagValue.id }],
      match: { srcSecureTags: [{ name: tagValue.id }], layer4Configs: [{ ipProtocol: 'tcp', ports: ['443'] }] },
    }),
    folderPolicy,
    new ComputeFirewallPolicyAssociation(rules, 'GcpGuardrailAssociation', { name: 'microseg-guardrails', attachmentTarget: 'folders/123', firewallPolicy: folderPolicy.id }),
    new ComputeFirewallPolicyRule(rules, 'GcpGuardrailRule', {
      firewallPolicy: folderPolicy.name,
      priority: 1000,
      action: 'deny',
      direction: 'INGRESS',
      targetResources: ['projects/shop-prod/global/networks/vpc'],
      match: { srcIpRanges: ['10.0.0.0/8'], destIpRanges: ['10.1.0.0/16'], layer4Configs: [{ ipProtocol: 'tcp', ports: ['22'] }] },
    }),
  );
  const sharedName = shared.name;
  const document = new SsmDocument(rules, 'HostDocument', {
    name: 'microseg-host-web', documentType: 'Command', documentFormat: 'JSON', content: Lazy.stringValue({ produce: () => '{"schemaVersion":"2.2"}' }),
  });
  made.push(
    new NetworkPolicyV1(rules, 'NamespaceDeny', {
      metadata: { name: 'microseg-default-deny', namespace: 'shop', labels: { 'app.kubernetes.io/managed-by': 'cdktf-microseg' } },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    }),
    new NetworkPolicyV1(rules, 'PodPolicy', {
      metadata: { name: 'microseg-web', namespace: 'shop' },
      spec: {
        podSelector: { matchLabels: { app: 'web' } },
        policyTypes: ['Ingress'],
        // the rules as the renderer gives them once every flow is known: Terraform's own form, here naming another stack's group
        ingress: Lazy.anyValue({ produce: () => [{ from: [{ ip_block: [{ cidr: sharedName }] }], ports: [{ port: '443', protocol: 'TCP' }] }] }) as any,
      },
    }),
    new Manifest(rules, 'ClusterPolicy', {
      manifest: Lazy.anyValue({ produce: () => ({ apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name: 'microseg-deny' } }) }) as any,
    }),
    document,
    new SsmAssociation(rules, 'HostAssociation', {
      name: document.name,
      associationName: 'microseg-host-web',
      documentVersion: document.latestVersion,
      targets: [{ key: 'InstanceIds', values: ['i-0123'] }],
      scheduleExpression: 'rate(30 minutes)',
    }),
    new VirtualMachineRunCommand(rules, 'HostRunCommand', {
      name: 'microseg-host-db', location: 'westeurope', virtualMachineId: 'vm-id', source: { script: Lazy.stringValue({ produce: () => 'nft -f rules.nft' }) },
    }),
    new SecurityGroup(rules, 'Dynamic', {
      name: 'dynamic',
      vpcId: 'vpc-0123',
      ingress: TerraformIterator.fromList(['10.0.0.0/8', '10.1.0.0/16']).dynamic({ from_port: 443, to_port: 443, protocol: 'tcp', cidr_blocks: ['${each.value}'] }),
    }),
    new ComputeNetworkFirewallPolicyRule(rules, 'GcpDynamic', {
      firewallPolicy: 'microseg',
      priority: 1001,
      action: 'allow',
      direction: 'INGRESS',
      targetSecureTags: TerraformIterator.fromList(['tagValues/1', 'tagValues/2']).dynamic({ name: '${each.value}' }),
      match: { srcIpRanges: ['10.0.0.0/8'], layer4Configs: [{ ipProtocol: 'tcp', ports: ['443'] }] },
    }),
    new RuleSetData(rules, 'HostRuleSet', { input: Lazy.anyValue({ produce: () => ({ 'microseg.nft': 'table inet microseg {}' }) }) as any }),
  );
  // as in an app with policy constructs, the registry marks the stacks' preparation passes
  PolicyRegistry.of(rules);
  made[0].addOverride('description', shared.name);
  made[3].addOverride('cidr_block', undefined);
  made[3].addOverride('ipv6_cidr_block', '2001:db8::/32');
  if (bulk) for (const resource of made) bulkResource(resource);
}

describe('resources built in bulk', () => {
  test('hand cdktf only the attributes they set', () => {
    // GIVEN the same security group rule built plainly and as a bulk resource
    const stack = awsStack(newApp(), 'rules');
    const config = { securityGroupId: 'sg-0123', ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '10.0.0.0/8' };
    const plain = new VpcSecurityGroupIngressRule(stack, 'Plain', config);
    const bulk = bulkResource(new VpcSecurityGroupIngressRule(stack, 'Bulk', config));

    // THEN the plain rule lists its unset arguments, the bulk one only the set ones
    expect(Object.keys(attributesOf(plain)).sort()).toEqual([
      'cidr_ipv4', 'cidr_ipv6', 'description', 'from_port', 'ip_protocol', 'prefix_list_id', 'referenced_security_group_id', 'region',
      'security_group_id', 'tags', 'to_port',
    ]);
    expect(attributesOf(bulk)).toEqual({ cidr_ipv4: '10.0.0.0/8', from_port: 443, ip_protocol: 'tcp', security_group_id: 'sg-0123', to_port: 443 });
    expect('cidr_ipv6' in bodyOf(plain)).toBe(true);
    expect(Object.keys(bodyOf(bulk)).sort()).toEqual(['//', 'cidr_ipv4', 'from_port', 'ip_protocol', 'security_group_id', 'to_port']);
  });

  test('keep an attribute set after they are built', () => {
    // GIVEN a bulk rule whose description is set after it is built, as a flow joining a rule does
    const stack: TerraformStack = awsStack(newApp(), 'rules');
    const rule = bulkResource(new VpcSecurityGroupIngressRule(stack, 'Rule', { securityGroupId: 'sg-0123', ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '10.0.0.0/8' }));
    rule.description = 'ssh from the admin network';

    // THEN it is handed over
    expect(attributesOf(rule).description).toBe('ssh from the admin network');
  });

  test.each([
    ['JSON', false],
    ['HCL', true],
  ])('an app writes the same %s files as with plain resources, references, lazy values and overrides included', (_format, hclOutput) => {
    // GIVEN the same resources built plainly in one app and in bulk in another
    const plain = newApp({ hclOutput });
    const bulk = newApp({ hclOutput });
    buildResources(plain, false);
    buildResources(bulk, true);

    // WHEN both are synthesized
    plain.synth();
    bulk.synth();

    // THEN every file is the same, and the overrides took effect
    const written = writtenFiles(bulk);
    expect(written).toEqual(writtenFiles(plain));
    const rulesFile = Object.keys(written).find((file) => file.startsWith(path.join('stacks', 'rules')) && /cdk\.tf(\.json)?$/.test(file))!;
    expect(written[rulesFile]).toContain('2001:db8::/32');
    expect(written[rulesFile]).toContain('source_address_prefixes');
    if (!hclOutput) {
      const document = JSON.parse(written[rulesFile]);
      expect(document.resource.aws_network_acl_rule.Entry.cidr_block).toBeUndefined();
      expect(document.resource.aws_vpc_security_group_ingress_rule.Cidr.description).toBe('${data.terraform_remote_state.cross-stack-reference-input-groups.outputs.cross-stack-output-aws_security_groupSharedname}');
      expect(document.resource.aws_vpc_security_group_ingress_rule.Lazy.cidr_ipv4).toBe('10.1.0.0/16');
      expect(document.resource.nsxt_policy_security_policy_rule.Nsx.logged).toBe(false);
      expect(document.resource.aws_network_acl.Acl.vpc_id).toBe('${data.terraform_remote_state.cross-stack-reference-input-groups.outputs.cross-stack-output-aws_security_groupSharedvpc_id}');
      expect(document.resource.azurerm_network_interface_application_security_group_association.AsgAssociation.application_security_group_id)
        .toBe('${azurerm_application_security_group.Asg.id}');
      expect(document.resource.vsphere_tag.Tag.category_id).toBe('${vsphere_tag_category.Category.id}');
      expect(document.resource.nsxt_policy_group.NsxGroup.criteria).toEqual([{
        condition: [{ key: 'Tag', member_type: 'VirtualMachine', operator: 'EQUALS', value: 'microseg|app/web' }],
      }]);
      expect(document.resource.nsxt_policy_group.NsxGroup.lifecycle).toEqual({ create_before_destroy: true });
      expect(document.resource.azurerm_network_interface_security_group_association.NicNsgAssociation.network_security_group_id)
        .toBe('${azurerm_network_security_group.SubnetNsg.id}');
      expect(document.resource.nsxt_policy_parent_security_policy.NsxPolicy).toMatchObject({ category: 'Application', sequence_number: 10, tcp_strict: true });
      expect(document.resource.google_compute_network_firewall_policy_rule.GcpRule).toMatchObject({
        firewall_policy: '${google_compute_network_firewall_policy.GcpPolicy.name}',
        target_secure_tags: [{ name: '${google_tags_tag_value.TagValue.id}' }],
        match: { src_secure_tags: [{ name: '${google_tags_tag_value.TagValue.id}' }], layer4_configs: [{ ip_protocol: 'tcp', ports: ['443'] }] },
      });
      expect(document.resource.google_tags_location_tag_binding.TagBinding.tag_value).toBe('${google_tags_tag_value.TagValue.id}');
      expect(document.resource.google_compute_firewall_policy_rule.GcpGuardrailRule.match.dest_ip_ranges).toEqual(['10.1.0.0/16']);
      // the lazy rules ran in the preparation pass: the other stack's group name reached through its remote state
      expect(document.resource.kubernetes_network_policy_v1.PodPolicy.spec.ingress).toEqual([{
        from: [{ ip_block: [{ cidr: '${data.terraform_remote_state.cross-stack-reference-input-groups.outputs.cross-stack-output-aws_security_groupSharedname}' }] }],
        ports: [{ port: '443', protocol: 'TCP' }],
      }]);
      expect(document.resource.kubernetes_manifest.ClusterPolicy.manifest.kind).toBe('AdminNetworkPolicy');
      expect(document.resource.aws_ssm_document.HostDocument.content).toBe('{"schemaVersion":"2.2"}');
      expect(document.resource.azurerm_virtual_machine_run_command.HostRunCommand.source).toEqual({ script: 'nft -f rules.nft' });
      expect(document.resource.terraform_data.HostRuleSet.input).toEqual({ 'microseg.nft': 'table inet microseg {}' });
      // an iterator over a list attribute is a for expression; over a block, a dynamic block (the
      // resource then hands the pass its whole body, which cdktf's own pass turns into one)
      expect(document.resource.aws_security_group.Dynamic.ingress).toMatch(/^\$\{\[ for key, val in toset\(/);
      expect(document.resource.google_compute_network_firewall_policy_rule.GcpDynamic.dynamic.target_secure_tags.content).toEqual({ name: '${each.value}' });
      expect(document.resource.aws_security_group.Segment).toEqual({
        'name_prefix': 'web-',
        'description': 'microseg segment app/web',
        'vpc_id': '${data.terraform_remote_state.cross-stack-reference-input-groups.outputs.cross-stack-output-aws_security_groupSharedvpc_id}',
        'revoke_rules_on_delete': false,
        'lifecycle': { create_before_destroy: true },
        'tags': { 'Name': 'web', 'microseg:segment': 'app/web' },
        '//': expect.anything(),
      });
    }
  });
});
