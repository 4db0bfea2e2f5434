import { Token, Tokenization } from 'cdktf';

/** The address family NSX must keep apart: one `ipaddress_expression` never mixes IPv4 and IPv6. */
export type NsxAddressFamily = 'ipv4' | 'ipv6';

/**
 * An address as NSX `ipaddress_expression.ip_addresses` takes it. Literal addresses are already
 * canonical CIDRs (`10.0.0.5/32`, `2001:db8::5/128`). A Terraform expression stays bare (the
 * workload's host CIDR form `${expr}/32` loses its suffix): NSX accepts a bare IPv4 or IPv6
 * address, while `/32` after an IPv6 address is rejected by the provider.
 */
export function nsxIpAddress(cidr: string): string {
  if (Token.isUnresolved(cidr) && cidr.endsWith('/32')) return cidr.slice(0, -3);
  return cidr;
}

/**
 * The family of an address, for grouping: literal addresses by their text; a Terraform expression
 * is IPv6 when an attribute it references names IPv6 (`ipv6_address`, `ipv6_addresses`), else IPv4.
 */
export function nsxAddressFamily(address: string): NsxAddressFamily {
  if (!Token.isUnresolved(address)) return address.includes(':') ? 'ipv6' : 'ipv4';
  const identifiers = Tokenization.reverseString(address).tokens.map((token) => String((token as any).identifier ?? ''));
  return identifiers.some((identifier) => /ipv6/i.test(identifier)) ? 'ipv6' : 'ipv4';
}

/** NSX requires a `display_name` of 1-255 characters on every resource. */
export const NSX_DISPLAY_NAME_MAX = 255;

/** `text` as an NSX display name: cut to 255 characters, or `fallback` when it is blank. */
export function nsxDisplayName(text: string, fallback: string): string {
  const name = text.trim() === '' ? fallback : text;
  return name.slice(0, NSX_DISPLAY_NAME_MAX);
}
