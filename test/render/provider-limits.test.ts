import { App, TerraformStack } from 'cdktf';
import { AllowFlow, AwsBinding, AwsEnforcement, AzureBinding, AzureEnforcement, DenyFlow, Peer, Port, Segment, Workload } from '../../lib';
import '../../lib/verify/jest';
import { azureStack } from '../azure/azure-fixtures';
import { gcpEstate, vmWorkload } from '../gcp/gcp-fixtures';
import { awsStack, errorOf, instance, newApp, synthApp } from '../helpers';

// Values the providers or the clouds refuse at plan or apply, which synthesis must never write.

/** An AWS stack whose segment `name` (tier web) has one instance and is open to 10.9.0.0/16 on 443. */
function awsSegment(name: string): { app: App; stack: TerraformStack } {
  const app = newApp();
  const stack = awsStack(app, 'w');
  new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-1' });
  const segment = new Segment(stack, name, { selector: { tier: 'web' } });
  new Workload(stack, 'WebVm', { binding: AwsBinding.instance(instance(stack, 'vm')), labels: { tier: 'web' } });
  segment.allowFrom(Peer.ipv4('10.9.0.0/16'), Port.HTTPS);
  return { app, stack };
}

const groupsOf = (app: App): any[] => Object.values<any>(synthApp(app).w.json.resource.aws_security_group);

describe('AWS security groups', () => {
  test('a segment named sg-... gets a group name EC2 takes (it refuses names that start like group ids)', () => {
    const group = groupsOf(awsSegment('sg-web').app).find((g) => g.tags['microseg:segment'] === 'w/sg-web');
    expect(group.name_prefix).toBe('ms-sg-web-');
    // other names are unchanged: a name prefix forces the group's replacement
    expect(groupsOf(awsSegment('web').app).find((g) => g.tags['microseg:segment'] === 'w/web').name_prefix).toBe('web-');
    expect(groupsOf(awsSegment('Sg-web').app).find((g) => g.tags['microseg:segment'] === 'w/Sg-web').name_prefix).toBe('Sg-web-');
  });

  test('tags of a segment with a long name stay within the 256 characters of an EC2 tag value, and apart', () => {
    const name = `Payments${'Tier'.repeat(70)}`;
    const group = groupsOf(awsSegment(name).app).find((g) => g.tags['microseg:segment'].startsWith('w/Payments'));
    expect(group.tags.Name).toHaveLength(256);
    expect(group.tags.Name).toMatch(/^PaymentsTier.*~[0-9a-f]{8}$/);
    expect(group.tags['microseg:segment']).toHaveLength(256);
    expect(group.tags['microseg:segment']).toMatch(/^w\/PaymentsTier.*~[0-9a-f]{8}$/);
  });
});

describe('Azure', () => {
  test('the ASG and NSG tags of long construct paths stay within Azure\'s 256 bytes of a tag value', () => {
    const app = newApp();
    const { stack, rg, subnet, nic } = azureStack(app, 'az');
    new AzureEnforcement(stack, `Azure${'Enforcement'.repeat(25)}`, { resourceGroupName: rg.name, location: rg.location, subnetIds: [subnet.id] });
    const web = new Segment(stack, `Web${'Frontend'.repeat(33)}`, { selector: { tier: 'web' } });
    new Workload(stack, 'WebVm', { binding: AzureBinding.networkInterface(nic('web-nic')), labels: { tier: 'web' } });
    web.allowFrom(Peer.ipv4('10.9.0.0/16'), Port.HTTPS);
    const resources = synthApp(app).az.json.resource;
    const asg = Object.values<any>(resources.azurerm_application_security_group)[0];
    const nsg = Object.values<any>(resources.azurerm_network_security_group)[0];
    expect(Buffer.byteLength(asg.tags['microseg-segment'])).toBe(256);
    expect(asg.tags['microseg-segment']).toMatch(/^az\/WebFrontend.*~[0-9a-f]{8}$/);
    expect(Buffer.byteLength(nsg.tags['microseg-enforcement'])).toBe(256);
    expect(nsg.tags['microseg-enforcement']).toMatch(/^az\/AzureEnforcement.*~[0-9a-f]{8}$/);
  });
});

describe('GCP', () => {
  /** A network under folder 123 whose enforcement is named `policyName`, with a DenyFlow between two VMs. */
  function folderEstate(policyName: string): App {
    const app = newApp();
    const { stack } = gcpEstate(app, 'gcp', { folder: 'folders/123', policyName });
    const web = vmWorkload(stack, 'web');
    const db = vmWorkload(stack, 'db');
    new DenyFlow(stack, 'NoWebDb', { from: web, to: db });
    new AllowFlow(stack, 'DbToWeb', { from: db, to: web, ports: [Port.HTTPS] });
    return app;
  }

  test('a policyName too long to name the folder\'s guardrail policy too fails synthesis, saying how long it may be', () => {
    const name = `shop-${'a'.repeat(50)}`; // 55 characters: a valid network policy name
    expect(errorOf(() => synthApp(folderEstate(name)))).toContain(
      `has policyName "${name}" (55 characters), which names the hierarchical firewall policy of folders/123 "${name}-guardrails": 66 characters, and Google takes at most 63. Shorten policyName to at most 52 characters.`);
  });

  test('at 52 characters the guardrail policy\'s short name is 63', () => {
    const name = `shop-${'a'.repeat(47)}`;
    const policies = Object.values<any>(synthApp(folderEstate(name)).gcp.json.resource.google_compute_firewall_policy);
    expect(policies.map((p) => p.short_name)).toEqual([`${name}-guardrails`]);
    expect(policies[0].short_name).toHaveLength(63);
  });
});
