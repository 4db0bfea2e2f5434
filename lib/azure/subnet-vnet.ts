import { TerraformDataSource, TerraformResource, TerraformStack, Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { terraformText } from '../private/terraform-text';

/** The virtual network of a subnet, as far as synthesis can tell it. */
export interface SubnetVnet {
  /** The VNet's name, lower case (Azure names are case-insensitive), when it is known. */
  readonly name?: string;
  /** The VNet's resource group, lower case, when it is known. */
  readonly resourceGroup?: string;
  /** The `azurerm_virtual_network` resource (Terraform address) when its name is an expression. */
  readonly resource?: string;
}

/** A subnet id: `/subscriptions/<s>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<name>`. */
const SUBNET_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/virtualNetworks\/([^/]+)\/subnets\/[^/]+$/i;

/** A whole value that is one reference: `${azurerm_subnet.web.id}`, `${data.azurerm_subnet.web.id}`. */
const REFERENCE = /^\$\{(data\.)?([a-z0-9_]+)\.([^.}]+)\.[a-z_]+\}$/;

/**
 * The VNet a subnet id names: read from a literal Azure subnet id, or from the `azurerm_subnet`
 * resource or data source of the same stack that the id refers to (its `virtual_network_name` and
 * `resource_group_name`, followed to the `azurerm_virtual_network` and `azurerm_resource_group`
 * they name). Undefined when it cannot be told at synth (a variable, another stack, a computed
 * name).
 */
export function vnetOfSubnetId(stack: TerraformStack, subnetId: string | undefined): SubnetVnet | undefined {
  const text = terraformText(stack, subnetId);
  if (text === undefined) return undefined;
  const literal = SUBNET_ID.exec(text);
  if (literal) return { name: decodeURIComponent(literal[2]).toLowerCase(), resourceGroup: decodeURIComponent(literal[1]).toLowerCase() };
  const subnet = referencedElement(stack, text, 'azurerm_subnet');
  if (!subnet) return undefined;
  const vnetName = (subnet as any).virtualNetworkNameInput as string | undefined;
  const resourceGroup = nameOf(stack, (subnet as any).resourceGroupNameInput, 'azurerm_resource_group');
  const name = nameOf(stack, vnetName, 'azurerm_virtual_network');
  if (name !== undefined) return { name, resourceGroup };
  const vnetText = terraformText(stack, vnetName);
  const vnet = vnetText === undefined ? undefined : REFERENCE.exec(vnetText);
  // two managed azurerm_virtual_network resources are two VNets (a data source may name either)
  if (vnet && !vnet[1] && vnet[2] === 'azurerm_virtual_network') return { resource: `azurerm_virtual_network.${vnet[3]}`, resourceGroup };
  return undefined;
}

/** The `azurerm_subnet` resource or data source of `stack` a subnet id refers to, if synthesis can tell. */
export function subnetElementOf(stack: TerraformStack, subnetId: string | undefined): IConstruct | undefined {
  const text = terraformText(stack, subnetId);
  return text === undefined ? undefined : referencedElement(stack, text, 'azurerm_subnet');
}

/** Whether two VNets are surely different (unknown parts never make them so). */
export function differentVnets(a: SubnetVnet, b: SubnetVnet): boolean {
  if (a.name !== undefined && b.name !== undefined) {
    if (a.name !== b.name) return true;
    return a.resourceGroup !== undefined && b.resourceGroup !== undefined && a.resourceGroup !== b.resourceGroup;
  }
  return a.resource !== undefined && b.resource !== undefined && a.resource !== b.resource;
}

/** How a VNet is named in a message. */
export function describeVnet(vnet: SubnetVnet): string {
  const where = vnet.resourceGroup === undefined ? '' : ` (resource group "${vnet.resourceGroup}")`;
  return vnet.name !== undefined ? `VNet "${vnet.name}"${where}` : `VNet ${vnet.resource}${where}`;
}

/** A name given literally, or as a reference to a resource of `type` whose own name is literal; lower case. */
function nameOf(stack: TerraformStack, value: string | undefined, type: string): string | undefined {
  const text = terraformText(stack, value);
  if (text === undefined) return undefined;
  if (!text.includes('${')) return text.toLowerCase();
  const element = referencedElement(stack, text, type);
  const name = element ? (element as any).nameInput : undefined;
  return typeof name === 'string' && !Token.isUnresolved(name) ? name.toLowerCase() : undefined;
}

/** The resource or data source of `type` in `stack` that a whole-value reference names. */
function referencedElement(stack: TerraformStack, text: string, type: string): IConstruct | undefined {
  const match = REFERENCE.exec(text);
  if (!match || match[2] !== type) return undefined;
  const dataSource = match[1] !== undefined;
  return elementsOf(stack).get(`${dataSource ? 'data.' : ''}${type}.${match[3]}`);
}

const ELEMENTS = new WeakMap<TerraformStack, Map<string, IConstruct>>();

/** The stack's resources and data sources by Terraform address (read once per stack, at validation). */
function elementsOf(stack: TerraformStack): Map<string, IConstruct> {
  let elements = ELEMENTS.get(stack);
  if (!elements) {
    elements = new Map();
    for (const construct of stack.node.findAll()) {
      if (construct instanceof TerraformResource) elements.set(`${construct.terraformResourceType}.${construct.friendlyUniqueId}`, construct);
      else if (construct instanceof TerraformDataSource) elements.set(`data.${construct.terraformResourceType}.${construct.friendlyUniqueId}`, construct);
    }
    ELEMENTS.set(stack, elements);
  }
  return elements;
}
