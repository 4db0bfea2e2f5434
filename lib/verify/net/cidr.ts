import * as ipaddr from 'ipaddr.js';

/** A parsed address range: a CIDR, or a bare IP as a host prefix. */
export interface Cidr {
  /** Address family. */
  readonly family: 'ipv4' | 'ipv6';
  /** The address as written (host bits may be set). */
  readonly address: ipaddr.IPv4 | ipaddr.IPv6;
  /** Prefix length. */
  readonly prefix: number;
  /** The text it was parsed from. */
  readonly text: string;
}

const parsed = new Map<string, Cidr | undefined>();

/** Parses `10.0.0.0/16`, `2001:db8::/32` or a bare IP (as /32 or /128); undefined if the text is not an address. */
export function parseCidr(text: string): Cidr | undefined {
  if (!parsed.has(text)) parsed.set(text, parseUncached(text));
  return parsed.get(text);
}

/** IPv4 as four decimal numbers without leading zeros, with an optional prefix length: the only form read (ipaddr.js also reads 010 as octal). */
const DOTTED_DECIMAL = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\/0*(?:3[0-2]|[12]?\d))?$/;

function parseUncached(text: string): Cidr | undefined {
  const trimmed = text.trim();
  if (!trimmed.includes(':') && !DOTTED_DECIMAL.test(trimmed)) return undefined;
  try {
    if (trimmed.includes('/')) {
      if (!ipaddr.isValidCIDR(trimmed)) return undefined;
      const [address, prefix] = ipaddr.parseCIDR(trimmed);
      return { family: address.kind(), address, prefix, text };
    }
    if (!ipaddr.isValid(trimmed)) return undefined;
    const address = ipaddr.parse(trimmed);
    return { family: address.kind(), address, prefix: address.kind() === 'ipv4' ? 32 : 128, text };
  } catch {
    return undefined;
  }
}

/** Whether every address of `inner` is in `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  if (outer.family !== inner.family || inner.prefix < outer.prefix) return false;
  return inner.address.match(outer.address, outer.prefix);
}

/** Whether the two ranges share at least one address (CIDR blocks are nested or disjoint). */
export function cidrOverlaps(a: Cidr, b: Cidr): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}

/** Whether the range is every address of its family (`0.0.0.0/0`, `::/0`). */
export function isWholeFamily(cidr: Cidr): boolean {
  return cidr.prefix === 0;
}

const NON_PUBLIC_RANGES = [
  '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16',
  '::1/128', 'fc00::/7', 'fe80::/10',
].map((text) => parseCidr(text) as Cidr);

/** Whether the range lies entirely in private, loopback, link-local or shared address space. */
export function isNonPublic(cidr: Cidr): boolean {
  return NON_PUBLIC_RANGES.some((range) => cidrContains(range, cidr));
}

/** Whether the range holds at least one private, loopback, link-local or shared address. */
export function touchesNonPublic(cidr: Cidr): boolean {
  return NON_PUBLIC_RANGES.some((range) => cidrOverlaps(range, cidr));
}
