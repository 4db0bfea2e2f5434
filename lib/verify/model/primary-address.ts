import { JsonObject, blocksAt } from './terraform-model';

/** Where an address attribute of a resource is configured, and the attribute that stands for it. */
export interface AddressAttribute {
  /** The configured values the attribute evaluates to at apply, in order; empty when not configured. */
  readonly configured: readonly unknown[];
  /**
   * The attribute that names the resource's primary address, used when nothing is configured, so
   * that a rule and a host naming the same unknown address compare equal (`private_ips` of an ENI
   * and its `private_ip` name one address when only one is known).
   */
  readonly canonical: string;
}

/**
 * The attributes that name a resource's own (primary) private address, per resource type, and
 * where the resource's configuration sets them: `aws_instance.private_ip`,
 * `aws_network_interface.private_ip` / `private_ips`, the Azure NIC's `private_ip_address` /
 * `private_ip_addresses` (the ip_configuration's static address), and
 * `vsphere_virtual_machine.default_ip_address` (the clone customization's first IPv4 address).
 * Undefined for any other attribute.
 */
export function addressAttribute(type: string, attribute: string, body: JsonObject): AddressAttribute | undefined {
  switch (`${type}.${attribute}`) {
    case 'aws_instance.private_ip':
      return { configured: present(body.private_ip), canonical: 'private_ip' };
    case 'aws_network_interface.private_ip':
      return { configured: firstOf([...present(body.private_ip), ...listOf(body.private_ips), ...listOf(body.private_ip_list)]), canonical: 'private_ip' };
    case 'aws_network_interface.private_ips': {
      const list = [...listOf(body.private_ips), ...listOf(body.private_ip_list)];
      return { configured: list.length > 0 ? list : present(body.private_ip), canonical: 'private_ip' };
    }
    case 'azurerm_network_interface.private_ip_address':
      return { configured: firstOf(staticAddresses(primaryFirst(blocksAt(body, 'ip_configuration')))), canonical: 'private_ip_address' };
    case 'azurerm_network_interface.private_ip_addresses':
      return { configured: staticAddresses(primaryFirst(blocksAt(body, 'ip_configuration'))), canonical: 'private_ip_address' };
    case 'vsphere_virtual_machine.default_ip_address': {
      const customized = blocksAt(body, 'clone')
        .flatMap((clone) => blocksAt(clone, 'customize'))
        .flatMap((customize) => blocksAt(customize, 'network_interface'))
        .flatMap((nic) => present(nic.ipv4_address));
      return { configured: firstOf(customized), canonical: 'default_ip_address' };
    }
    default:
      return undefined;
  }
}

/** An Azure NIC's ip_configurations, the primary one first (the provider's `private_ip_address` is the primary's). */
function primaryFirst(configurations: JsonObject[]): JsonObject[] {
  const primary = configurations.findIndex((c) => c.primary === true || c.primary === 'true');
  if (primary <= 0) return configurations;
  return [configurations[primary], ...configurations.filter((_, i) => i !== primary)];
}

/** The configured addresses of ip_configurations; a dynamic allocation is known only at apply. */
function staticAddresses(configurations: JsonObject[]): unknown[] {
  return configurations
    .filter((c) => String(c.private_ip_address_allocation ?? 'Static').toLowerCase() === 'static')
    .flatMap((c) => present(c.private_ip_address));
}

function present(value: unknown): unknown[] {
  return value === undefined || value === null || value === '' ? [] : [value];
}

function listOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined && v !== null && v !== '');
  return present(value);
}

function firstOf(values: unknown[]): unknown[] {
  return values.slice(0, 1);
}
