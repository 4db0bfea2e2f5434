import { NetworkInterface } from '@cdktf/provider-azurerm/lib/network-interface';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { App } from 'cdktf';
import { AzureEnforcement, Port, Segment, Workload, AzureBinding } from '../../lib';
import '../../lib/verify/jest';
import { azureStack } from '../azure/azure-fixtures';
import { errorOf, newApp, synthApp } from '../helpers';

// With subnet NSGs only (nicNsgs unset), a workload whose NIC sits in a subnet that is not in
// `subnetIds` is covered by no NSG at all, so Azure would allow everything to and from it.
// Synthesis fails with an error naming the workload and suggesting subnetIds or nicNsgs: true.
function estate(skipValidation = false) {
  const app = skipValidation ? new App({ outdir: newApp().outdir, skipValidation: true }) : newApp();
  const az = azureStack(app, 'az');
  new AzureEnforcement(az.stack, 'Azure', { resourceGroupName: az.rg.name, location: az.rg.location, subnetIds: [az.subnet.id] });
  const other = new Subnet(az.stack, 'Other', { name: 'other', resourceGroupName: az.rg.name, virtualNetworkName: az.vnet.name, addressPrefixes: ['10.1.2.0/24'] });
  const nic = new NetworkInterface(az.stack, 'stray-nic', {
    name: 'stray',
    resourceGroupName: az.rg.name,
    location: az.rg.location,
    ipConfiguration: [{ name: 'p', subnetId: other.id, privateIpAddressAllocation: 'Static', privateIpAddress: '10.1.2.5' }],
  });
  new Segment(az.stack, 'A', { selector: { tier: 'a' } });
  new Workload(az.stack, 'stray', { binding: AzureBinding.networkInterface(nic), labels: { tier: 'a' } });
  new Workload(az.stack, 'covered', { binding: AzureBinding.networkInterface(az.nic('covered-nic')), labels: { tier: 'b' } });
  return { app, stack: az.stack };
}

describe('an Azure workload outside every NSG of its enforcement', () => {
  test('the evaluator sees it wide open (what deploy would give if the check were skipped)', () => {
    const { app } = estate(true);
    const out = synthApp(app);
    expect(out.az.json).toAllowFlow('az/stray', '192.0.2.1', Port.tcp(22));
  });

  test('synthesis fails instead of leaving it open silently', () => {
    const { app } = estate();
    expect(errorOf(() => synthApp(app))).toContain(
      "Workload 'az/stray': NIC 'az/stray-nic' is in subnet \"${azurerm_subnet.Other.id}\", which has no NSG of AzureEnforcement 'az/Azure', and nicNsgs is off: no NSG would filter its traffic, and Azure allows everything without one. Add the subnet to subnetIds, or set nicNsgs: true.");
  });

  test('a NIC in an enforced subnet is fine', () => {
    const app = newApp();
    const az = azureStack(app, 'az');
    new AzureEnforcement(az.stack, 'Azure', { resourceGroupName: az.rg.name, location: az.rg.location, subnetIds: [az.subnet.id] });
    new Workload(az.stack, 'covered', { binding: AzureBinding.networkInterface(az.nic('covered-nic')), labels: { tier: 'b' } });
    expect(() => synthApp(app)).not.toThrow();
  });
});
