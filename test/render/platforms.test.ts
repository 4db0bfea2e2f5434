import { Testing } from 'cdktf';
import { AwsBinding, AwsEnforcement, AzureBinding, AzureEnforcement, Peer, Port, Segment, Workload } from '../../lib';
import { NetworkAclRenderer } from '../../lib/aws/network-acl-renderer';
import { SecurityGroupRenderer } from '../../lib/aws/security-group-renderer';
import { NsgRenderer } from '../../lib/azure/nsg-renderer';
import { PolicyRegistry } from '../../lib/registry';
import { ExternalWorkloadRenderer } from '../../lib/render/external-workload-renderer';
import { NsxRenderer } from '../../lib/vsphere/nsx-renderer';
import { azureStack } from '../azure/azure-fixtures';
import { awsStack, instance, newApp } from '../helpers';

describe('an app renders with the renderers of the platforms it uses', () => {
  test('an AWS-only app has the AWS renderers and no Azure or NSX renderer', () => {
    // GIVEN an app with an AWS enforcement and an AWS workload only
    const app = newApp();
    const stack = awsStack(app, 'shop');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
    new Workload(stack, 'Web', { binding: AwsBinding.instance(instance(stack, 'web')) });
    // WHEN it is rendered
    const registry = PolicyRegistry.of(stack);
    // THEN it has the AWS renderers and the platform-free one, and neither Azure's nor NSX's
    expect(registry.rendererOf(SecurityGroupRenderer)).toBeInstanceOf(SecurityGroupRenderer);
    expect(registry.rendererOf(NetworkAclRenderer)).toBeInstanceOf(NetworkAclRenderer);
    expect(registry.rendererOf(ExternalWorkloadRenderer)).toBeInstanceOf(ExternalWorkloadRenderer);
    expect(registry.rendererOf(NsgRenderer)).toBeUndefined();
    expect(registry.rendererOf(NsxRenderer)).toBeUndefined();
  });

  test('an AWS workload alone (its enforcement missing) still loads the AWS renderers, which report it', () => {
    // GIVEN an AWS workload in a stack without AwsEnforcement
    const app = newApp();
    const stack = awsStack(app, 'shop');
    new Workload(stack, 'Web', { binding: AwsBinding.instance(instance(stack, 'web')) });
    // WHEN the stack is synthesized with validations THEN the AWS renderer names the missing enforcement
    expect(() => Testing.synth(stack, true)).toThrow(/Workload 'shop\/Web' is bound to an AWS aws_instance but stack 'shop' has no AwsEnforcement/);
  });

  test('a platform the app starts to use after it was rendered gets its renderer then, which hears every declaration', () => {
    // GIVEN an AWS app that has been rendered already
    const app = newApp();
    const aws = awsStack(app, 'aws');
    new AwsEnforcement(aws, 'Aws', { vpcId: 'vpc-0123' });
    new Workload(aws, 'Web', { binding: AwsBinding.instance(instance(aws, 'web')), labels: { tier: 'web' } });
    const registry = PolicyRegistry.of(aws);
    registry.ensureRendered();
    expect(registry.rendererOf(NsgRenderer)).toBeUndefined();

    // WHEN an Azure segment with a flow, then its enforcement and workload, are declared afterwards
    const { stack, rg, subnet, nic } = azureStack(app, 'azure');
    const db = new Segment(stack, 'Db', { selector: { tier: 'db' } });
    db.allowFrom(Peer.ipv4('192.0.2.0/24'), Port.POSTGRES);
    new AzureEnforcement(stack, 'Azure', { resourceGroupName: rg.name, location: rg.location, subnetIds: [subnet.id] });
    new Workload(stack, 'Db1', { binding: AzureBinding.networkInterface(nic('db-nic')), labels: { tier: 'db' } });

    // THEN the Azure renderer exists and rendered the segment's ASG, the NIC's membership and the flow's rule
    expect(registry.rendererOf(NsgRenderer)).toBeInstanceOf(NsgRenderer);
    const json = JSON.parse(Testing.synth(stack, true));
    expect(Object.keys(json.resource.azurerm_application_security_group)).toHaveLength(1);
    expect(Object.keys(json.resource.azurerm_network_interface_application_security_group_association)).toHaveLength(1);
    const rules = Object.values<any>(json.resource.azurerm_network_security_rule);
    expect(rules.filter((r) => r.access === 'Allow' && r.destination_port_range === '5432' && r.direction === 'Inbound')).toHaveLength(1);
  });
});
