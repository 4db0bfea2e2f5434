import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { NetworkInterface } from '@cdktf/provider-azurerm/lib/network-interface';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { App, TerraformStack } from 'cdktf';
import { AwsEnforcement, AzureEnforcement, Port, Segment } from '../../lib';
import { newApp } from '../helpers';

/** A stack with an azurerm provider, a resource group, a VNet 10.1.0.0/16 and one subnet 10.1.1.0/24. */
export function azureStack(app: App, id: string) {
  const stack = new TerraformStack(app, id);
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  const rg = new ResourceGroup(stack, 'Rg', { name: `${id}-rg`, location: 'westeurope' });
  const vnet = new VirtualNetwork(stack, 'Vnet', { name: `${id}-vnet`, resourceGroupName: rg.name, location: rg.location, addressSpace: ['10.1.0.0/16'] });
  const subnet = new Subnet(stack, 'Subnet', { name: 'main', resourceGroupName: rg.name, virtualNetworkName: vnet.name, addressPrefixes: ['10.1.1.0/24'] });
  let next = 10;
  /** A NIC in the subnet with a static address 10.1.1.<n>. */
  const nic = (nicId: string, ip = `10.1.1.${next++}`) => new NetworkInterface(stack, nicId, {
    name: nicId,
    resourceGroupName: rg.name,
    location: rg.location,
    ipConfiguration: [{ name: 'primary', subnetId: subnet.id, privateIpAddressAllocation: 'Static', privateIpAddress: ip }],
  });
  return { stack, rg, vnet, subnet, nic };
}

/** Every `${...}` expression of a stack names one of that stack's own resources or data sources. */
export function foreignReferences(json: any): string[] {
  const text = JSON.stringify(json);
  const own = new Set<string>();
  for (const [type, byName] of Object.entries<any>(json.resource ?? {})) for (const name of Object.keys(byName)) own.add(`${type}.${name}`);
  for (const [type, byName] of Object.entries<any>(json.data ?? {})) for (const name of Object.keys(byName)) own.add(`data.${type}.${name}`);
  const refs = [...text.matchAll(/\$\{([a-z_]+(?:\.[A-Za-z0-9_-]+){2})/g)].map((m) => m[1]);
  return refs.filter((ref) => {
    const parts = ref.split('.');
    const address = parts[0] === 'data' ? parts.slice(0, 3).join('.') : parts.slice(0, 2).join('.');
    return !own.has(address);
  });
}

/** Rules of a stack by `<nsg terraform name>|<rule name>` to priority. */
export function rulePriorities(json: any): Record<string, number> {
  const out: Record<string, number> = {};
  for (const rule of Object.values<any>(json.resource?.azurerm_network_security_rule ?? {})) {
    out[`${rule.network_security_group_name}|${rule.name}`] = rule.priority;
  }
  return out;
}

/** A resource block without its `//` metadata (construct path, microseg flows). */
export function fields(resource: any): any {
  if (resource === undefined) return resource;
  const { ['//']: _meta, ...rest } = resource;
  return rest;
}

/**
 * An AWS stack `awsId` (enforcement on vpc-0123) and an Azure stack `azureId` (enforcement on its
 * subnet), the Azure stack with the AWS provider too, since its cross-platform flows render AWS rules.
 */
export function awsAndAzureStacks(app: App, awsId = 'aws', azureId = 'azure') {
  const aws = new TerraformStack(app, awsId);
  new AwsProvider(aws, 'aws', { region: 'eu-west-1' });
  new AwsEnforcement(aws, 'Aws', { vpcId: 'vpc-0123' });
  const az = azureStack(app, azureId);
  new AzureEnforcement(az.stack, 'Azure', { resourceGroupName: az.rg.name, location: az.rg.location, subnetIds: [az.subnet.id] });
  new AwsProvider(az.stack, 'aws', { region: 'eu-west-1' });
  return { aws, az };
}

/**
 * Two stacks a and b (two VNets) with Azure enforcements on their subnets, and in stack a the
 * segments Web (role web) and Db (role db) with a flow from Web to Db on POSTGRES; no workloads yet.
 */
export function twoVnetsWebToDb() {
  const app = newApp();
  const a = azureStack(app, 'a');
  const b = azureStack(app, 'b');
  new AzureEnforcement(a.stack, 'Azure', { resourceGroupName: a.rg.name, location: a.rg.location, subnetIds: [a.subnet.id] });
  new AzureEnforcement(b.stack, 'Azure', { resourceGroupName: b.rg.name, location: b.rg.location, subnetIds: [b.subnet.id] });
  const web = new Segment(a.stack, 'Web', { selector: { role: 'web' } });
  const db = new Segment(a.stack, 'Db', { selector: { role: 'db' } });
  db.allowFrom(web, Port.POSTGRES);
  return { app, a, b, web, db };
}
