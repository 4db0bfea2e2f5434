import { Instance } from '@cdktf/provider-aws/lib/instance';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { NetworkInterface } from '@cdktf/provider-azurerm/lib/network-interface';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { VsphereProvider } from '@cdktf/provider-vsphere/lib/provider';
import { App, TerraformResource, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import {
  AwsBinding, AwsEnforcement, AzureBinding, AzureEnforcement, DenyFlow, GuardrailAllow, NsxEnforcement, Peer, Port,
  Segment, VsphereBinding, Workload, WorkloadBinding, nsxt,
} from '../../lib';
import { pick, random } from '../random';
import { benchVirtualMachine } from './nsx';
import { EstateSize, MIXED_SIZE } from './size';

/** The platforms of the mixed estate, in the order segments and workloads take them. */
const PLATFORMS: Array<{ name: string; bind: (scope: Construct, i: number, ip: string) => WorkloadBinding }> = [
  {
    name: 'aws',
    bind: (scope, i, ip) => AwsBinding.instance(new Instance(scope, `vm${i}`, { ami: 'ami-0abcdef1234567890', instanceType: 't3.micro', privateIp: ip })),
  },
  {
    name: 'azure',
    bind: (scope, i, ip) => AzureBinding.networkInterface(new NetworkInterface(scope, `nic${i}`, {
      name: `nic${i}`,
      resourceGroupName: 'bench-rg',
      location: 'westeurope',
      ipConfiguration: [{ name: 'primary', subnetId: SUBNET_ID, privateIpAddressAllocation: 'Static', privateIpAddress: ip }],
    }) as TerraformResource),
  },
  {
    name: 'nsx',
    bind: (scope, i) => VsphereBinding.virtualMachine(benchVirtualMachine(scope, i)),
  },
];

const SUBNET_ID = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/bench-rg/providers/Microsoft.Network/virtualNetworks/bench-vnet/subnets/mixed';

/**
 * AWS security groups, Azure ASG/NSG and NSX in one stack. Segments and workloads take the three
 * platforms in turn (a segment selects workloads of its own platform); every workload has a static
 * address (`10.<platform>.x.y`), so one flow in three crosses platforms and is enforced by
 * addresses on the other side; one flow in ten comes from an external CIDR. Guardrails: apps alternate
 * between env prod and dev; a DenyFlow drops dev to prod (flows from dev to prod are declared only
 * between Azure and NSX, which can deny), a GuardrailAllow lets the admin
 * network reach prod over SSH.
 */
export function buildMixedEstate(app: App, size: EstateSize = MIXED_SIZE): TerraformStack {
  const next = random(17);
  const stack = new TerraformStack(app, 'estate');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  new VsphereProvider(stack, 'vsphere', { vsphereServer: 'vcenter.bench.example', user: 'bench', password: 'bench' });
  new nsxt.NsxtProvider(stack, 'nsxt', { host: 'nsx.bench.example', username: 'bench', password: 'bench' });
  new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0bench' });
  new AzureEnforcement(stack, 'Azure', { resourceGroupName: 'bench-rg', location: 'westeurope', subnetIds: [SUBNET_ID] });
  new NsxEnforcement(stack, 'Nsx', { policyName: 'bench' });
  // an app's segments are all prod or all dev (AWS cannot deny, so a segment never mixes them)
  const env = (s: number) => (Math.floor(s / 30) % 2 === 0 ? 'prod' : 'dev');
  const labels = (s: number) => ({ platform: PLATFORMS[s % 3].name, app: `app${Math.floor(s / 30)}`, tier: `tier${Math.floor(s / 3) % 10}`, env: env(s) });
  const segments: Segment[] = [];
  for (let s = 0; s < size.segments; s++) {
    segments.push(new Segment(stack, `Seg${s}`, { selector: labels(s) }));
  }
  for (let i = 0; i < size.workloads; i++) {
    const s = i % size.segments;
    const platform = s % 3;
    const ip = `10.${platform}.${Math.floor(i / 250)}.${(i % 250) + 1}`;
    new Workload(stack, `W${i}`, {
      binding: PLATFORMS[platform].bind(stack, i, ip),
      labels: labels(s),
      addresses: [ip],
    });
  }
  for (let i = 0; i < size.flows; i++) {
    const to = pick(next, segments.length);
    const port = Port.tcp(1024 + pick(next, 2000));
    if (i % 10 === 0) {
      segments[to].allowFrom(Peer.ipv4(`172.${16 + pick(next, 16)}.0.0/16`), port);
    } else {
      // one flow in three crosses platforms, the others stay on the destination's platform
      const samePlatform = i % 3 !== 0;
      let from = pick(next, segments.length);
      if (samePlatform) from = from - (from % 3) + (to % 3);
      from = Math.min(from, segments.length - 1);
      // dev to prod is left to the DenyFlow where both sides can deny (Azure and NSX); AWS would refuse it
      if (env(from) === 'dev' && env(to) === 'prod' && (from % 3 === 0 || to % 3 === 0)) from = to - (to % 30) + (from % 30);
      segments[to].allowFrom(segments[from], port);
    }
  }
  new DenyFlow(stack, 'NoDevToProd', { fromSelector: { env: 'dev' }, toSelector: { env: 'prod' }, description: 'dev never reaches prod' });
  new GuardrailAllow(stack, 'AdminSsh', { from: Peer.ipv4('192.0.2.0/24'), toSelector: { env: 'prod' }, ports: [Port.SSH], description: 'admin network to prod' });
  return stack;
}
