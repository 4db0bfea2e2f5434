import { DataVsphereDatacenter } from '@cdktf/provider-vsphere/lib/data-vsphere-datacenter';
import { DataVsphereDatastore } from '@cdktf/provider-vsphere/lib/data-vsphere-datastore';
import { DataVsphereNetwork } from '@cdktf/provider-vsphere/lib/data-vsphere-network';
import { DataVsphereResourcePool } from '@cdktf/provider-vsphere/lib/data-vsphere-resource-pool';
import { VsphereProvider } from '@cdktf/provider-vsphere/lib/provider';
import { VirtualMachine } from '@cdktf/provider-vsphere/lib/virtual-machine';
import { TerraformStack, TerraformVariable } from 'cdktf';
import { nsxt } from '../lib';

/** Where the vSphere examples place their VMs, and how they make one. */
export interface VsphereSite {
  /** A small Linux VM on the site's pool, datastore and network. */
  vm(id: string, name: string): VirtualMachine;
}

/**
 * The vSphere and NSX providers (credentials as Terraform variables) and the placement the vSphere
 * examples share: datacenter `dc-01`, its datastore, resource pool and the given port group.
 */
export function vsphereSite(stack: TerraformStack, networkName: string): VsphereSite {
  const variable = (name: string, description: string, sensitive = false) =>
    new TerraformVariable(stack, name, { type: 'string', description, sensitive }).stringValue;
  new VsphereProvider(stack, 'vsphere', {
    vsphereServer: variable('vsphere_server', 'vCenter host name'),
    user: variable('vsphere_user', 'vCenter user'),
    password: variable('vsphere_password', 'vCenter password', true),
  });
  new nsxt.NsxtProvider(stack, 'nsxt', {
    host: variable('nsx_host', 'NSX manager host name'),
    username: variable('nsx_username', 'NSX user'),
    password: variable('nsx_password', 'NSX password', true),
  });
  const datacenter = new DataVsphereDatacenter(stack, 'Datacenter', { name: 'dc-01' });
  const datastore = new DataVsphereDatastore(stack, 'Datastore', { name: 'datastore-01', datacenterId: datacenter.id });
  const pool = new DataVsphereResourcePool(stack, 'Pool', { name: 'cluster-01/Resources', datacenterId: datacenter.id });
  const network = new DataVsphereNetwork(stack, 'Network', { name: networkName, datacenterId: datacenter.id });
  return {
    vm: (id, name) => new VirtualMachine(stack, id, {
      name,
      resourcePoolId: pool.id,
      datastoreId: datastore.id,
      numCpus: 2,
      memory: 4096,
      guestId: 'otherLinux64Guest',
      networkInterface: [{ networkId: network.id }],
      disk: [{ label: 'disk0', size: 20 }],
    }),
  };
}
