import { Token } from 'cdktf';
import { cutOutsideTokens } from '../private/description';

/**
 * An address as NSX `ipaddress_expression.ip_addresses` takes it. Literal addresses are already
 * canonical CIDRs (`10.0.0.5/32`, `2001:db8::5/128`). A Terraform expression stays bare (the
 * workload's host CIDR form `${expr}/32` or `${expr}/128` loses its suffix): NSX accepts a bare
 * IPv4 or IPv6 address.
 */
export function nsxIpAddress(cidr: string): string {
  if (!Token.isUnresolved(cidr)) return cidr;
  const suffix = ['/32', '/128'].find((host) => cidr.endsWith(host));
  return suffix ? cidr.slice(0, -suffix.length) : cidr;
}

/** NSX requires a `display_name` of 1-255 characters on every resource. */
export const NSX_DISPLAY_NAME_MAX = 255;

/** `text` as an NSX display name: cut to 255 characters, or `fallback` when it is blank. */
export function nsxDisplayName(text: string, fallback: string): string {
  const name = text.trim() === '' ? fallback : text;
  return cutOutsideTokens(name, NSX_DISPLAY_NAME_MAX);
}
