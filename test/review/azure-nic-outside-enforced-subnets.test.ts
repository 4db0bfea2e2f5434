import { NetworkInterface } from '@cdktf/provider-azurerm/lib/network-interface';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { AzureEnforcement, Port, Segment, Workload } from '../../lib';
import '../../lib/verify/jest';
import { azureStack } from '../azure/azure-fixtures';
import { newApp, synthApp } from '../helpers';

// Review finding (not fixed): with subnet NSGs only (nicNsgs unset), a workload whose NIC sits in
// a subnet that is not in `subnetIds` is covered by no NSG at all, so Azure allows everything to
// and from it. Synthesis succeeds silently; only the evaluator notices ("a level without NSG
// allows all"). Default deny should hold or synthesis should say why it cannot (an error, or at
// least a warning naming the workload and suggesting subnetIds or nicNsgs: true).
function estate() {
  const app = newApp();
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
  new Workload(az.stack, 'stray', { azureNetworkInterface: nic, labels: { tier: 'a' } });
  new Workload(az.stack, 'covered', { azureNetworkInterface: az.nic('covered-nic'), labels: { tier: 'b' } });
  return { app, stack: az.stack };
}

describe('an Azure workload outside every NSG of its enforcement', () => {
  test('the evaluator sees it wide open (what deploy would give)', () => {
    expect(estate().stack).toAllowFlow('az/stray', '192.0.2.1', Port.tcp(22));
  });

  test.failing('synthesis reports it instead of leaving it open silently', () => {
    const { app, stack } = estate();
    let message = '';
    try { synthApp(app); } catch (e) { message = (e as Error).message; }
    const warnings = stack.node.findAll().flatMap((c) => c.node.metadata).filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
    expect([message, ...warnings].join('\n')).toContain('az/stray');
  });
});
