import type { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { TerraformResource, TerraformStack, Token } from 'cdktf';
import { AwsEnforcement } from './enforcement';
import { terraformText } from '../private/terraform-text';
import { stackOf } from '../registry';
import { readOnce } from '../render/read-once';

/**
 * The subnets of a stack by the text of their `id` (`${aws_subnet.web.id}`), as of the last look;
 * a text no subnet had then maps to undefined, so it costs one more look at most.
 */
const SUBNETS = new WeakMap<TerraformStack, Map<string, Subnet | undefined>>();

/** The `subnet_id` an instance or network interface is configured with, as written (undefined for other resources or none). */
export function configuredSubnetId(resource: TerraformResource): string | undefined {
  return (resource as unknown as { subnetIdInput?: string }).subnetIdInput;
}

/**
 * The IPv4 CIDR of the subnet `subnetId` names, when synthesis can read it: a subnet mapped with a
 * literal CIDR in the resource's `AwsEnforcement`, or an `aws_subnet` of the resource's stack
 * written with a literal `cidr_block`. Undefined otherwise (a subnet id from a variable, a subnet of
 * another stack, a CIDR known only at apply).
 */
export function subnetCidrOf(resource: TerraformResource, subnetId: string | undefined): string | undefined {
  if (subnetId === undefined) return undefined;
  const stack = stackOf(resource);
  const text = terraformText(stack, subnetId);
  if (text === undefined) return undefined;
  const mapped = AwsEnforcement.of(resource)?.subnets
    .find((mapping) => !Token.isUnresolved(mapping.cidr) && terraformText(stack, mapping.subnetId) === text);
  if (mapped) return mapped.cidr;
  const cidr = subnetsOf(stack, text)?.cidrBlockInput;
  return cidr !== undefined && !Token.isUnresolved(cidr) ? cidr : undefined;
}

/**
 * What synthesis can read of the IPv6 side of the subnet `subnetId` names, when it is an
 * `aws_subnet` of the resource's stack: whether it has an IPv6 CIDR (`ipv6_cidr_block` set), that
 * CIDR when written literally, and whether it gives every network interface created in it an IPv6
 * address (`assign_ipv6_address_on_creation` or `ipv6_native` true; undefined when one is an
 * expression and neither is true), and whether it is IPv6-only (`ipv6_native` true: its interfaces
 * have no IPv4 address). Undefined when synthesis cannot see the subnet.
 */
export function subnetIpv6Of(
  resource: TerraformResource, subnetId: string | undefined,
): { readonly hasIpv6: boolean; readonly cidr?: string; readonly assignsAddresses: boolean | undefined; readonly ipv6Only: boolean } | undefined {
  if (subnetId === undefined) return undefined;
  const stack = stackOf(resource);
  const text = terraformText(stack, subnetId);
  const subnet = text === undefined ? undefined : subnetsOf(stack, text);
  if (subnet === undefined) return undefined;
  const block = subnet.ipv6CidrBlockInput;
  const switches = [subnet.assignIpv6AddressOnCreationInput, subnet.ipv6NativeInput];
  // a switch given as an expression is known only at apply
  const assignsAddresses = switches.some((value) => value === true) ? true
    : switches.some((value) => value !== undefined && typeof value !== 'boolean') ? undefined : false;
  const cidr = block !== undefined && !Token.isUnresolved(block) ? { cidr: block } : {};
  return { hasIpv6: block !== undefined, ...cidr, assignsAddresses, ipv6Only: subnet.ipv6NativeInput === true };
}

/**
 * The subnet whose id reads `text` in `stack`. The stack's subnets are looked up once, and again
 * only for a text the last look did not find (a resource names a subnet that exists when it is
 * built, but may be read before a later subnet is added); a text still not found (a data source, a
 * variable) is remembered as such, so workloads in it cost no look each.
 */
function subnetsOf(stack: TerraformStack, text: string): Subnet | undefined {
  const known = SUBNETS.get(stack);
  if (known?.has(text)) return known.get(text);
  const subnets = new Map<string, Subnet | undefined>();
  for (const construct of stack.node.findAll()) {
    // by type, not class: an app of another platform never loads the AWS provider's classes
    if (!(construct instanceof TerraformResource) || construct.terraformResourceType !== 'aws_subnet') continue;
    const id = terraformText(stack, readOnce(construct as Subnet, 'id'));
    if (id !== undefined) subnets.set(id, construct as Subnet);
  }
  for (const [missed, subnet] of known ?? []) if (subnet === undefined && !subnets.has(missed)) subnets.set(missed, undefined);
  if (!subnets.has(text)) subnets.set(text, undefined);
  SUBNETS.set(stack, subnets);
  return subnets.get(text);
}
