import { NetworkInterface } from '@cdktf/provider-azurerm/lib/network-interface';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { TerraformVariable } from 'cdktf';
import { AzureEnforcement, Port, Segment, Workload, AzureBinding } from '../../lib';
import '../../lib/verify/jest';
import { errorOf, newApp, synthApp } from '../helpers';
import { azureStack } from './azure-fixtures';

const subnetId = (vnet: string, subnet: string, rg = 'net-rg') =>
  `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/${rg}/providers/Microsoft.Network/virtualNetworks/${vnet}/subnets/${subnet}`;

/** The fixture VNet (a-vnet, with subnet Subnet), a second VNet other-vnet with subnet OtherSubnet, and Web and Api segments. */
function twoVnetsInOneStack() {
  const app = newApp();
  const fixture = azureStack(app, 'a');
  const { stack, rg } = fixture;
  const otherVnet = new VirtualNetwork(stack, 'OtherVnet', { name: 'other-vnet', resourceGroupName: rg.name, location: rg.location, addressSpace: ['10.2.0.0/16'] });
  const otherSubnet = new Subnet(stack, 'OtherSubnet', { name: 'other', resourceGroupName: rg.name, virtualNetworkName: otherVnet.name, addressPrefixes: ['10.2.1.0/24'] });
  const otherNic = (id: string, ip: string) => new NetworkInterface(stack, id, {
    name: id,
    resourceGroupName: rg.name,
    location: rg.location,
    ipConfiguration: [{ name: 'primary', subnetId: otherSubnet.id, privateIpAddressAllocation: 'Static', privateIpAddress: ip }],
  });
  const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
  const api = new Segment(stack, 'Api', { selector: { tier: 'api' } });
  api.allowFrom(web, Port.tcp(8080));
  return { app, ...fixture, otherSubnet, otherNic };
}

describe('one VNet per AzureEnforcement', () => {
  test('literal subnet ids of two VNets in subnetIds are a synth error naming both', () => {
    const app = newApp();
    const { stack, rg } = azureStack(app, 'lit');
    new AzureEnforcement(stack, 'Azure', { resourceGroupName: rg.name, location: rg.location, subnetIds: [subnetId('hub', 'web'), subnetId('spoke', 'db')] });
    expect(errorOf(() => app.synth())).toContain(
      "AzureEnforcement 'lit/Azure' spans two VNets: subnetIds[0] is in VNet \"hub\" (resource group \"net-rg\") and subnetIds[1] is in VNet \"spoke\" (resource group \"net-rg\"). An enforcement is one VNet");
  });

  test('one VNet name in two resource groups is two VNets; case does not matter', () => {
    const app = newApp();
    const { stack, rg } = azureStack(app, 'rgs');
    new AzureEnforcement(stack, 'Azure', { resourceGroupName: rg.name, location: rg.location, subnetIds: [subnetId('hub', 'web', 'rg-1'), subnetId('hub', 'db', 'rg-2')] });
    expect(errorOf(() => app.synth())).toContain("AzureEnforcement 'rgs/Azure' spans two VNets: subnetIds[0] is in VNet \"hub\" (resource group \"rg-1\") and subnetIds[1] is in VNet \"hub\" (resource group \"rg-2\")");

    const same = newApp();
    const other = azureStack(same, 'same');
    new AzureEnforcement(other.stack, 'Azure', { resourceGroupName: other.rg.name, location: other.rg.location, subnetIds: [subnetId('hub', 'web'), subnetId('HUB', 'db', 'NET-RG')] });
    expect(() => synthApp(same)).not.toThrow();
  });

  test('a NIC in a subnet of another VNet (azurerm_subnet references) is a synth error naming the NIC, the workload and both VNets', () => {
    const { app, stack, rg, subnet, nic, otherNic } = twoVnetsInOneStack();
    new AzureEnforcement(stack, 'Azure', { resourceGroupName: rg.name, location: rg.location, subnetIds: [subnet.id], nicNsgs: true });
    new Workload(stack, 'WebVm', { binding: AzureBinding.networkInterface(nic('web-nic')), labels: { tier: 'web' } });
    new Workload(stack, 'ApiVm', { binding: AzureBinding.networkInterface(otherNic('api-nic', '10.2.1.10')), labels: { tier: 'api' } });
    const message = errorOf(() => app.synth());
    expect(message).toContain(
      "AzureEnforcement 'a/Azure' spans two VNets: subnetIds[0] is in VNet \"a-vnet\" (resource group \"a-rg\") and NIC 'a/api-nic' of workload 'a/ApiVm' (ip_configuration \"primary\") is in VNet \"other-vnet\" (resource group \"a-rg\").");
    expect(message).toContain('Declare each VNet\'s workloads in a stack of their own with its own AzureEnforcement');
  });

  test('NICs of two VNets with NIC NSGs only: the error names both NICs, whatever the declaration order', () => {
    const messages = [false, true].map((reversed) => {
      const { app, stack, rg, nic, otherNic } = twoVnetsInOneStack();
      new AzureEnforcement(stack, 'Azure', { resourceGroupName: rg.name, location: rg.location, nicNsgs: true });
      const declare = [
        () => new Workload(stack, 'WebVm', { binding: AzureBinding.networkInterface(nic('web-nic')), labels: { tier: 'web' } }),
        () => new Workload(stack, 'ApiVm', { binding: AzureBinding.networkInterface(otherNic('api-nic', '10.2.1.10')), labels: { tier: 'api' } }),
      ];
      for (const step of reversed ? declare.reverse() : declare) step();
      return errorOf(() => app.synth());
    });
    expect(messages[0]).toContain(
      "AzureEnforcement 'a/Azure' spans two VNets: NIC 'a/api-nic' of workload 'a/ApiVm' (ip_configuration \"primary\") is in VNet \"other-vnet\" (resource group \"a-rg\") and NIC 'a/web-nic' of workload 'a/WebVm' (ip_configuration \"primary\") is in VNet \"a-vnet\" (resource group \"a-rg\").");
    expect(messages[1]).toEqual(messages[0]);
  });

  test('two subnets of one VNet synthesize, and the policy holds', () => {
    const app = newApp();
    const { stack, rg, vnet, subnet, nic } = azureStack(app, 'one');
    const second = new Subnet(stack, 'Second', { name: 'second', resourceGroupName: rg.name, virtualNetworkName: vnet.name, addressPrefixes: ['10.1.2.0/24'] });
    const apiNic = new NetworkInterface(stack, 'api-nic', {
      name: 'api-nic',
      resourceGroupName: rg.name,
      location: rg.location,
      ipConfiguration: [{ name: 'primary', subnetId: second.id, privateIpAddressAllocation: 'Static', privateIpAddress: '10.1.2.10' }],
    });
    new AzureEnforcement(stack, 'Azure', { resourceGroupName: rg.name, location: rg.location, subnetIds: [subnet.id, second.id] });
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    const api = new Segment(stack, 'Api', { selector: { tier: 'api' } });
    api.allowFrom(web, Port.tcp(8080));
    const webVm = new Workload(stack, 'WebVm', { binding: AzureBinding.networkInterface(nic('web-nic')), labels: { tier: 'web' } });
    const apiVm = new Workload(stack, 'ApiVm', { binding: AzureBinding.networkInterface(apiNic), labels: { tier: 'api' } });
    expect(() => synthApp(app)).not.toThrow();
    expect(stack).toAllowFlow(webVm, apiVm, Port.tcp(8080));
    expect(stack).toDenyFlow(apiVm, webVm, Port.tcp(8080));
  });

  test('what cannot be told at synth (a subnet id from a variable) is not reported', () => {
    const app = newApp();
    const { stack, rg, subnet, nic } = azureStack(app, 'var');
    const external = new TerraformVariable(stack, 'external_subnet', { type: 'string' });
    new AzureEnforcement(stack, 'Azure', { resourceGroupName: rg.name, location: rg.location, subnetIds: [subnet.id, external.stringValue] });
    new Workload(stack, 'WebVm', { binding: AzureBinding.networkInterface(nic('web-nic')), labels: { tier: 'web' } });
    expect(() => synthApp(app)).not.toThrow();
  });
});
