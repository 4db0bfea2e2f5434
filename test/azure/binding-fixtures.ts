import { KubernetesClusterNodePool } from '@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool';
import { LinuxVirtualMachineScaleSet } from '@cdktf/provider-azurerm/lib/linux-virtual-machine-scale-set';
import { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { WindowsVirtualMachineScaleSet } from '@cdktf/provider-azurerm/lib/windows-virtual-machine-scale-set';
import { TerraformStack } from 'cdktf';

/** The resource group and subnet the Azure resources of a fixture live in. */
export interface Placement {
  readonly rg: { readonly name: string; readonly location: string };
  readonly subnet: Subnet;
}

/** A Linux scale set with one network interface and one ip configuration in the subnet. */
export function linuxScaleSet(
  stack: TerraformStack, id: string, at: Placement, extra: { asgIds?: string[]; nsgId?: string } = {},
): LinuxVirtualMachineScaleSet {
  return new LinuxVirtualMachineScaleSet(stack, id, {
    name: id,
    resourceGroupName: at.rg.name,
    location: at.rg.location,
    sku: 'Standard_B2s',
    instances: 2,
    adminUsername: 'azureuser',
    adminSshKey: [{ username: 'azureuser', publicKey: 'ssh-rsa AAAA' }],
    sourceImageId: '/subscriptions/0000/resourceGroups/img/providers/Microsoft.Compute/images/web',
    osDisk: { caching: 'ReadWrite', storageAccountType: 'Standard_LRS' },
    networkInterface: [{
      name: 'nic',
      primary: true,
      ...(extra.nsgId ? { networkSecurityGroupId: extra.nsgId } : {}),
      ipConfiguration: [{ name: 'internal', primary: true, subnetId: at.subnet.id, ...(extra.asgIds ? { applicationSecurityGroupIds: extra.asgIds } : {}) }],
    }],
  });
}

/** A Windows scale set with one network interface in the subnet. */
export function windowsScaleSet(stack: TerraformStack, id: string, at: Placement): WindowsVirtualMachineScaleSet {
  return new WindowsVirtualMachineScaleSet(stack, id, {
    name: id,
    resourceGroupName: at.rg.name,
    location: at.rg.location,
    sku: 'Standard_B2s',
    instances: 2,
    adminUsername: 'azureuser',
    adminPassword: 'P@ssw0rd-not-used',
    sourceImageId: '/subscriptions/0000/resourceGroups/img/providers/Microsoft.Compute/images/win',
    osDisk: { caching: 'ReadWrite', storageAccountType: 'Standard_LRS' },
    networkInterface: [{ name: 'nic', primary: true, ipConfiguration: [{ name: 'internal', primary: true, subnetId: at.subnet.id }] }],
  });
}

/** A private endpoint in the subnet with a static address, to a storage account's blob service. */
export function privateEndpoint(stack: TerraformStack, id: string, at: Placement, ip = '10.1.1.200'): PrivateEndpoint {
  return new PrivateEndpoint(stack, id, {
    name: id,
    resourceGroupName: at.rg.name,
    location: at.rg.location,
    subnetId: at.subnet.id,
    privateServiceConnection: {
      name: `${id}-connection`,
      isManualConnection: false,
      privateConnectionResourceId: '/subscriptions/0000/resourceGroups/data/providers/Microsoft.Storage/storageAccounts/shopdata',
      subresourceNames: ['blob'],
    },
    ipConfiguration: [{ name: 'blob', privateIpAddress: ip, subresourceName: 'blob', memberName: 'blob' }],
  });
}

/** An AKS node pool in the subnet (or in AKS's own VNet when `subnet` is false). */
export function nodePool(
  stack: TerraformStack, id: string, at: Placement, extra: { subnet?: boolean; asgIds?: string[] } = {},
): KubernetesClusterNodePool {
  return new KubernetesClusterNodePool(stack, id, {
    name: id.toLowerCase().slice(0, 12),
    kubernetesClusterId: '/subscriptions/0000/resourceGroups/aks/providers/Microsoft.ContainerService/managedClusters/shop',
    vmSize: 'Standard_D2s_v5',
    nodeCount: 2,
    ...(extra.subnet === false ? {} : { vnetSubnetId: at.subnet.id }),
    ...(extra.asgIds ? { nodeNetworkProfile: { applicationSecurityGroupIds: extra.asgIds, allowedHostPorts: [{ portStart: 30000, portEnd: 30100, protocol: 'TCP' }] } } : {}),
  });
}
