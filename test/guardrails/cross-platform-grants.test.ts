import { Instance } from '@cdktf/provider-aws/lib/instance';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { NetworkInterface } from '@cdktf/provider-azurerm/lib/network-interface';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { TerraformStack } from 'cdktf';
import { AllowFlow, AwsBinding, AwsEnforcement, AzureBinding, AzureEnforcement, DenyFlow, GuardrailAllow, IFlowEndpoint, Peer, Port, Workload } from '../../lib';
import { errorOf, newApp, synthApp } from '../helpers';

// A GuardrailAllow that names a CIDR grants only at the ends it names as members: an AWS workload
// merely inside the CIDR is still under the DenyFlow, which its security groups cannot enforce. An
// Azure (or NSX) end denies the traffic itself, but not where a GuardrailAllow is rendered at it.

const SUBNET = '/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s';

/** An Azure NIC workload A (10.10.1.10) and an AWS instance workload B (10.0.1.11) in one stack. */
function estate() {
  const app = newApp();
  const stack = new TerraformStack(app, 'main');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-1' });
  new AzureEnforcement(stack, 'Azure', { resourceGroupName: 'rg', location: 'westeurope', subnetIds: [SUBNET] });
  const nic = new NetworkInterface(stack, 'nicA', { name: 'a', resourceGroupName: 'rg', location: 'westeurope', ipConfiguration: [{ name: 'p', subnetId: SUBNET, privateIpAddressAllocation: 'Static', privateIpAddress: '10.10.1.10' }] });
  const azure = new Workload(stack, 'A', { binding: AzureBinding.networkInterface(nic), addresses: ['10.10.1.10'] });
  const vm = new Instance(stack, 'vmB', { ami: 'ami-1', instanceType: 't3.micro', subnetId: 'subnet-1', privateIp: '10.0.1.11' });
  const aws = new Workload(stack, 'B', { binding: AwsBinding.instance(vm), addresses: ['10.0.1.11'] });
  return { app, stack, azure, aws };
}

describe('GuardrailAllow naming a CIDR across platforms', () => {
  test.each([
    ['the Azure source is granted to anywhere', (e: ReturnType<typeof estate>) => ({ from: e.azure, to: Peer.anyIpv4() }), 'A', 'B'],
    ['the Azure source is granted to a CIDR holding the AWS end', (e: ReturnType<typeof estate>) => ({ from: e.azure, to: Peer.ipv4('10.0.0.0/8') }), 'A', 'B'],
    ['anywhere is granted to the Azure destination', (e: ReturnType<typeof estate>) => ({ from: Peer.anyIpv4(), to: e.azure }), 'B', 'A'],
  ])('GIVEN %s WHEN a flow and a DenyFlow join the two THEN synthesis fails: the AWS end is still under the DenyFlow', (_, grant, from, to) => {
    // GIVEN
    const e = estate();
    const ends: Record<string, IFlowEndpoint> = { A: e.azure, B: e.aws };
    new GuardrailAllow(e.stack, 'Grant', { ...grant(e), ports: [Port.allTraffic()] });
    // WHEN
    new AllowFlow(e.stack, 'AppFlow', { from: ends[from], to: ends[to], ports: [Port.udp(1002)] });
    new DenyFlow(e.stack, 'NoAppFlow', { from: ends[from], to: ends[to] });
    // THEN
    expect(errorOf(() => synthApp(e.app))).toContain(`AllowFlow 'main/AppFlow' allows udp/1002 from workload 'main/${from}' to workload 'main/${to}', which DenyFlow 'main/NoAppFlow'`);
  });

  test('without the grant, the Azure end denies the traffic itself and synthesis succeeds', () => {
    const e = estate();
    new AllowFlow(e.stack, 'AppFlow', { from: e.azure, to: e.aws, ports: [Port.udp(1002)] });
    new DenyFlow(e.stack, 'NoAppFlow', { from: e.azure, to: e.aws });
    expect(() => synthApp(e.app)).not.toThrow();
  });
});
