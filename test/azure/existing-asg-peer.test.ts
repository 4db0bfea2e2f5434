import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { AzureBinding, AzureEnforcement, Peer, Port, Segment, Workload } from '../../lib';
import '../../lib/verify/jest';
import { evaluate } from '../../lib/verify/evaluate';
import { loadTerraformStacks } from '../../lib/verify/model/load-terraform';
import { newApp, synthApp } from '../helpers';
import { azureStack, fields } from './azure-fixtures';
import { linuxScaleSet } from './binding-fixtures';

const OPS = '/subscriptions/0000/resourceGroups/ops/providers/Microsoft.Network/applicationSecurityGroups/bastions';

/** Stack `az`: enforcement on its subnet, segment Web with one NIC, SSH allowed from the ops team's ASG. */
function estate(withOpsMembers: boolean) {
  const app = newApp();
  const az = azureStack(app, 'az');
  new AzureEnforcement(az.stack, 'Azure', { resourceGroupName: az.rg.name, location: az.rg.location, subnetIds: [az.subnet.id] });
  const web = new Segment(az.stack, 'Web', { selector: { tier: 'web' } });
  const flow = web.allowFrom(Peer.azureApplicationSecurityGroup(OPS), Port.SSH);
  const webVm = new Workload(az.stack, 'WebVm', { binding: AzureBinding.networkInterface(az.nic('web-nic')), labels: { tier: 'web' } });
  if (withOpsMembers) {
    // the ops team's bastion scale set, in a subnet of its own without NSG, not managed by this app
    const opsSubnet = new Subnet(az.stack, 'OpsSubnet', { name: 'ops', resourceGroupName: az.rg.name, virtualNetworkName: az.vnet.name, addressPrefixes: ['10.1.3.0/24'] });
    linuxScaleSet(az.stack, 'bastions', { rg: az.rg, subnet: opsSubnet }, { asgIds: [OPS] });
  }
  return { app, flow, webVm, json: synthApp(app).az.json };
}

describe('Peer.azureApplicationSecurityGroup: an ASG owned elsewhere as a peer', () => {
  test('GIVEN an invalid id WHEN synthesized THEN the flow fails quoting it and showing the id form', () => {
    const app = newApp();
    const az = azureStack(app, 'az');
    new AzureEnforcement(az.stack, 'Azure', { resourceGroupName: az.rg.name, location: az.rg.location, subnetIds: [az.subnet.id] });
    const web = new Segment(az.stack, 'Web', { selector: { tier: 'web' } });
    web.allowFrom(Peer.azureApplicationSecurityGroup('bastions'), Port.SSH);
    new Workload(az.stack, 'WebVm', { binding: AzureBinding.networkInterface(az.nic('web-nic')), labels: { tier: 'web' } });
    expect(() => app.synth()).toThrow('Peer.azureApplicationSecurityGroup("bastions") is not an application security group id. Ids look like "/subscriptions/<subscription>/resourceGroups/<group>/providers/Microsoft.Network/applicationSecurityGroups/<name>"');
  });

  describe('GIVEN Web allows SSH from the ops ASG', () => {
    const { flow, webVm, json } = estate(false);
    const rules = Object.values<any>(json.resource.azurerm_network_security_rule).filter((rule) => rule['//']?.microseg?.flows?.includes(flow.node.path));

    test('THEN one inbound rule names the ASG id as its source and Web\'s ASG as its destination', () => {
      expect(rules.map(fields)).toEqual([{
        name: expect.stringMatching(/^ms-in-Web-AllowFrom-azure-application-security-group-[^ ]*-[0-9a-f]{8}$/),
        resource_group_name: '${azurerm_resource_group.Rg.name}',
        network_security_group_name: expect.stringMatching(/^\$\{azurerm_network_security_group\.[^.]+\.name\}$/),
        priority: expect.any(Number),
        direction: 'Inbound',
        access: 'Allow',
        protocol: 'Tcp',
        source_port_range: '*',
        destination_port_range: '22',
        source_application_security_group_ids: [OPS],
        destination_application_security_group_ids: [expect.stringMatching(/^\$\{azurerm_application_security_group\.[^.]+\.id\}$/)],
        description: expect.any(String),
      }]);
    });

    test('THEN the evaluator allows SSH from the ASG, nothing else from it, and SSH from no other VNet host', () => {
      expect(json).toAllowFlow(Peer.azureApplicationSecurityGroup(OPS), webVm, Port.SSH);
      expect(json).toAllowFlow(`asg:${OPS}`, 'az/Web', Port.SSH);
      expect(json).toDenyFlow(Peer.azureApplicationSecurityGroup(OPS), webVm, Port.HTTPS);
      expect(json).toDenyFlow('10.1.1.77', webVm, Port.SSH);
      expect(json).toDenyFlow(webVm, Peer.azureApplicationSecurityGroup(OPS), Port.SSH);
    });

    test('THEN, its members unknown to the JSON, it stays a named peer outside the estate', () => {
      const verdict = evaluate(loadTerraformStacks({ az: json }), { from: `asg:${OPS}`, to: 'az/WebVm', port: 'tcp/22' });
      expect(verdict.allowed).toBe(true);
      expect(verdict.layers.map((layer) => layer.point)).toEqual([expect.stringMatching(/^inbound NSG .* at subnet of az\/WebVm$/)]);
    });
  });

  test('GIVEN a resource of the JSON joins the ASG THEN the evaluator asks about it where it sits', () => {
    const { webVm, json } = estate(true);
    const verdict = evaluate(loadTerraformStacks({ az: json }), { from: `asg:${OPS}`, to: 'az/WebVm', port: 'tcp/22' });
    expect(verdict.allowed).toBe(true);
    expect(verdict.layers.map((layer) => `${layer.status} ${layer.point}`)).toEqual([
      expect.stringMatching(/^skipped outbound of /),
      expect.stringMatching(/^allowed inbound NSG .* at subnet of az\/WebVm$/),
    ]);
    expect(json).toDenyFlow(`asg:${OPS}`, webVm, Port.HTTPS);
  });
});
