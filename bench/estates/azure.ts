import { NetworkInterface } from '@cdktf/provider-azurerm/lib/network-interface';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { AzureEnforcement, Workload, AzureBinding } from '../../lib';
import { random } from '../random';
import { appTierLabels, appTierSegments, randomSegmentFlows } from './labelled-segments';
import { EstateSize, AZURE_SIZE } from './size';

/** The subnets of the estate's VNet; every one gets the policy's NSG. */
const SUBNETS = 4;

/**
 * Azure application security groups and network security groups in one stack: each workload is a
 * NIC in one of four subnets; segments select by app and tier (ten tiers per app) and become ASGs;
 * flows join random segment pairs on random ports, one in ten from an external CIDR.
 */
export function buildAzureEstate(app: App, size: EstateSize = AZURE_SIZE): TerraformStack {
  const next = random(11);
  const stack = new TerraformStack(app, 'estate');
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  const subnetId = (i: number) => `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/bench-rg/providers/Microsoft.Network/virtualNetworks/bench-vnet/subnets/s${i}`;
  new AzureEnforcement(stack, 'Azure', {
    resourceGroupName: 'bench-rg',
    location: 'westeurope',
    subnetIds: Array.from({ length: SUBNETS }, (_, i) => subnetId(i)),
  });
  const segments = appTierSegments(stack, size.segments);
  for (let i = 0; i < size.workloads; i++) {
    const s = i % size.segments;
    const nic = new NetworkInterface(stack, `nic${i}`, {
      name: `nic${i}`,
      resourceGroupName: 'bench-rg',
      location: 'westeurope',
      ipConfiguration: [{ name: 'primary', subnetId: subnetId(i % SUBNETS), privateIpAddressAllocation: 'Dynamic' }],
    });
    new Workload(stack, `W${i}`, { binding: AzureBinding.networkInterface(nic), labels: appTierLabels(s) });
  }
  randomSegmentFlows(segments, size.flows, next);
  return stack;
}
