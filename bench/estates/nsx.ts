import { VsphereProvider } from '@cdktf/provider-vsphere/lib/provider';
import { VirtualMachine } from '@cdktf/provider-vsphere/lib/virtual-machine';
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { NsxEnforcement, Workload, VsphereBinding, nsxt } from '../../lib';
import { random } from '../random';
import { appTierLabels, appTierSegments, randomSegmentFlows } from './labelled-segments';
import { EstateSize, NSX_SIZE } from './size';

/**
 * vSphere VMs under the NSX distributed firewall in one stack: each workload is a VM tagged with
 * its labels; segments select by app and tier (ten tiers per app) and become NSX groups; flows join
 * random segment pairs on random ports, one in ten from an external CIDR.
 */
export function buildNsxEstate(app: App, size: EstateSize = NSX_SIZE): TerraformStack {
  const next = random(13);
  const stack = new TerraformStack(app, 'estate');
  new VsphereProvider(stack, 'vsphere', { vsphereServer: 'vcenter.bench.example', user: 'bench', password: 'bench' });
  new nsxt.NsxtProvider(stack, 'nsxt', { host: 'nsx.bench.example', username: 'bench', password: 'bench' });
  new NsxEnforcement(stack, 'Nsx', { policyName: 'bench' });
  const segments = appTierSegments(stack, size.segments);
  for (let i = 0; i < size.workloads; i++) {
    const s = i % size.segments;
    const vm = benchVirtualMachine(stack, i);
    new Workload(stack, `W${i}`, { binding: VsphereBinding.virtualMachine(vm), labels: appTierLabels(s) });
  }
  randomSegmentFlows(segments, size.flows, next);
  return stack;
}

/** The bench's vSphere VM number `i` (both estates with NSX workloads build the same ones). */
export function benchVirtualMachine(scope: Construct, i: number): VirtualMachine {
  return new VirtualMachine(scope, `vm${i}`, {
    name: `vm${i}`,
    resourcePoolId: 'resgroup-bench',
    datastoreId: 'datastore-bench',
    numCpus: 2,
    memory: 4096,
    guestId: 'otherLinux64Guest',
    networkInterface: [{ networkId: 'network-bench' }],
    disk: [{ label: 'disk0', size: 20 }],
  });
}
