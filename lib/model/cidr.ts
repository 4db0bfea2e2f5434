import * as ipaddr from 'ipaddr.js';

/** The result of checking a CIDR string: either a normalized network or a problem sentence. */
export interface CidrCheck {
  /** Normalized CIDR (`10.0.0.0/16`), present when the input is valid. */
  readonly cidr?: string;
  /** Why the input is not valid, with a suggested fix where one exists. */
  readonly problem?: string;
}

/** Address family of a CIDR. */
export type IpFamily = 'ipv4' | 'ipv6';

/**
 * Validates a CIDR of the given family: a mask must be present and the host bits must be zero,
 * because AWS rejects `cidr_ipv4` values that are not network addresses.
 */
export function checkCidr(input: string, family: IpFamily): CidrCheck {
  const label = `"${input}"`;
  if (!input.includes('/')) {
    // a host address without its prefix length: suggest it; anything else is no address at all
    const host = dottedIpv4(input, true) ? 'ipv4' : ipaddr.IPv6.isValid(input) ? 'ipv6' : undefined;
    if (host !== undefined && host !== family) {
      return { problem: `${label} is an ${host === 'ipv4' ? 'IPv4' : 'IPv6'} address. Use ${host === 'ipv4' ? 'Peer.ipv4()' : 'Peer.ipv6()'} for it, with its prefix length.` };
    }
    if (host === undefined) {
      return { problem: `${label} is not a valid ${family === 'ipv4' ? 'IPv4' : 'IPv6'} CIDR. Give a network and its prefix length, such as "${family === 'ipv4' ? '10.0.0.0/16' : '2001:db8::/32'}".` };
    }
    const suggestion = family === 'ipv4' ? `${input}/32` : `${input}/128`;
    return { problem: `${label} has no prefix length. Did you mean "${suggestion}"?` };
  }
  const dotted = family === 'ipv4' ? dottedIpv4(input, false) : undefined;
  if (dotted) return checkedDottedIpv4(label, dotted);
  let parsed: [ipaddr.IPv4 | ipaddr.IPv6, number];
  try {
    parsed = ipaddr.parseCIDR(input);
  } catch {
    return { problem: `${label} is not a valid ${family === 'ipv4' ? 'IPv4' : 'IPv6'} CIDR.${unparsedHint(input, family)}` };
  }
  const [address, prefix] = parsed;
  if (address.kind() !== family) {
    const other = family === 'ipv4' ? 'Peer.ipv6()' : 'Peer.ipv4()';
    return { problem: `${label} is an ${address.kind() === 'ipv4' ? 'IPv4' : 'IPv6'} CIDR. Use ${other} for it.` };
  }
  if (input.includes('%')) return { problem: `${label} has a zone index ("%${input.split('%')[1].split('/')[0]}"), which no rule can name. Remove it.` };
  // the general parser also reads octal (010), hexadecimal and shortened forms, silently as another
  // network; only a prefix length written with a leading zero (/08) reads the same either way
  if (family === 'ipv4' && !dottedIpv4(input.split('/')[0], true)) return { problem: nonDecimalProblem(label, input) };
  const network = address.kind() === 'ipv4'
    ? ipaddr.IPv4.networkAddressFromCIDR(input)
    : ipaddr.IPv6.networkAddressFromCIDR(input);
  const normalized = `${network.toString()}/${prefix}`;
  if (network.toString() !== address.toString()) {
    return { problem: `${label} has host bits set. Did you mean "${normalized}"?` };
  }
  if (address.kind() === 'ipv6' && prefix >= 96 && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
    return { problem: ipv4MappedProblem(label, address as ipaddr.IPv6, prefix) };
  }
  return { cidr: normalized };
}

/**
 * Why an IPv4-mapped IPv6 range (`::ffff:10.0.0.0/120`) is refused: it is how a dual-stack socket
 * shows an IPv4 peer to its program, never an address on the wire, where such a packet carries the
 * IPv4 address itself. A rule naming the mapped form would match nothing.
 */
function ipv4MappedProblem(label: string, address: ipaddr.IPv6, prefix: number): string {
  const ipv4 = `${address.toIPv4Address().toString()}/${prefix - 96}`;
  return `${label} is an IPv4-mapped IPv6 range: packets from and to those hosts carry their IPv4 addresses, so no rule naming it would match them. Give the IPv4 form instead: "${ipv4}" (with Peer.ipv4() for a peer).`;
}

/** What likely went wrong with a CIDR the parser refused, as a sentence to append ('' when nothing specific). */
function unparsedHint(input: string, family: IpFamily): string {
  if (input.trim() !== input) return ` It has spaces around it: did you mean "${input.trim()}"?`;
  const prefix = /\/(-?\d+)$/.exec(input);
  const max = family === 'ipv4' ? 32 : 128;
  if (prefix && (+prefix[1] < 0 || +prefix[1] > max)) return ` Its prefix length is ${prefix[1]}: an ${family === 'ipv4' ? 'IPv4' : 'IPv6'} prefix length is 0-${max}.`;
  return family === 'ipv4' ? ' Write four decimal numbers and a prefix length, for example "10.0.1.0/24".' : ' Write it as, for example, "2001:db8::/32".';
}

/** Why an IPv4 CIDR not written as four decimal numbers and a prefix is refused, with its decimal reading when it has one. */
function nonDecimalProblem(label: string, input: string): string {
  const parts = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(input);
  const decimal = parts?.slice(1).map((part) => parseInt(part, 10));
  const readable = decimal !== undefined && decimal.slice(0, 4).every((octet) => octet <= 255) && decimal[4] <= 32;
  const suggestion = readable ? ` Did you mean "${decimal.slice(0, 4).join('.')}/${decimal[4]}"?` : '';
  return `${label} is not written as four decimal numbers (0-255, without leading zeros) and a prefix length: it could be read as another network.${suggestion}`;
}

/**
 * The check of a CIDR in plain dotted notation, without the general parser, which tries IPv6 first
 * and throws (a stack trace per IPv4 address of a large estate).
 */
function checkedDottedIpv4(label: string, dotted: { address: number; prefix: number }): CidrCheck {
  const block = 2 ** (32 - dotted.prefix);
  const network = Math.floor(dotted.address / block) * block;
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256);
  const normalized = `${octets.join('.')}/${dotted.prefix}`;
  if (network !== dotted.address) return { problem: `${label} has host bits set. Did you mean "${normalized}"?` };
  return { cidr: normalized };
}

/** The family of a syntactically valid CIDR or address, or undefined if it is neither. */
export function familyOf(value: string): IpFamily | undefined {
  // host rule sets ask for every peer address: the general parser tries IPv6 first and throws
  if (dottedIpv4(value, true)) return 'ipv4';
  const address = value.split('/')[0];
  if (!ipaddr.isValid(address)) return undefined;
  return ipaddr.parse(address).kind() as IpFamily;
}

/** Turns a bare address into a host CIDR (`10.0.0.5` to `10.0.0.5/32`); CIDRs pass unchanged. */
export function hostCidr(value: string): string {
  if (value.includes('/')) return value;
  return familyOf(value) === 'ipv6' ? `${value}/128` : `${value}/32`;
}

/** Whether a literal CIDR is one host (`/32`, `/128`). */
export function isHostCidr(cidr: string): boolean {
  return cidr.endsWith(familyOf(cidr) === 'ipv6' ? '/128' : '/32');
}

/** Whether CIDR `inner` lies entirely inside CIDR `outer` (same family). */
export function cidrContains(outer: string, inner: string): boolean {
  const outer4 = dottedIpv4(outer, false);
  const inner4 = outer4 && dottedIpv4(inner, true);
  if (outer4 && inner4) {
    if (inner4.prefix < outer4.prefix) return false;
    // the same network when the first `prefix` bits agree: the addresses divided by 2^(32 - prefix)
    const block = 2 ** (32 - outer4.prefix);
    return Math.floor(outer4.address / block) === Math.floor(inner4.address / block);
  }
  const [outerAddress, outerPrefix] = ipaddr.parseCIDR(outer);
  const [innerAddress, innerPrefix] = ipaddr.parseCIDR(hostCidr(inner));
  if (outerAddress.kind() !== innerAddress.kind()) return false;
  if (innerPrefix < outerPrefix) return false;
  return (innerAddress as ipaddr.IPv4).match(outerAddress as ipaddr.IPv4, outerPrefix);
}

/**
 * Whether `inner` lies inside `outer`, as {@link cidrContains}, and false when either is not a CIDR
 * (an invalid value is reported by the construct that gave it).
 */
export function cidrContainsValid(outer: string, inner: string): boolean {
  try {
    return cidrContains(outer, inner);
  } catch {
    return false;
  }
}

/**
 * A plain dotted IPv4 CIDR (`10.0.0.0/8`; a bare address when `bareIsHost`, as /32) as a number and
 * a prefix, or undefined for anything else, which the general parser handles. The general parser
 * tries IPv6 first and throws before it reads IPv4: network ACL planning compares thousands of
 * IPv4 CIDRs, and that dominated its cost. Octets with a leading zero are left to it too (it reads
 * them as octal). Read character by character: every renderer asks the family of every address
 * it writes, and a regular expression's match allocates its groups on each call.
 */
export function dottedIpv4(value: string, bareIsHost: boolean): { address: number; prefix: number } | undefined {
  let address = 0;
  let at = 0;
  // four octets of 1-3 digits joined by dots, then an optional prefix of 1-2 digits
  for (let part = 0; part < 5; part++) {
    if (part > 0) {
      if (at === value.length && part === 4) return bareIsHost ? { address, prefix: 32 } : undefined;
      if (value.charCodeAt(at) !== (part === 4 ? SLASH : DOT)) return undefined;
      at++;
    }
    const start = at;
    let number = 0;
    for (let digit = value.charCodeAt(at) - ZERO; digit >= 0 && digit <= 9; digit = value.charCodeAt(at) - ZERO) {
      if (at > start && number === 0) return undefined; // a leading zero
      number = number * 10 + digit;
      at++;
    }
    if (at === start || at - start > (part === 4 ? 2 : 3) || number > (part === 4 ? 32 : 255)) return undefined;
    if (part === 4) return at === value.length ? { address, prefix: number } : undefined;
    address = address * 256 + number;
  }
  return undefined;
}

const DOT = 0x2e;
const SLASH = 0x2f;
const ZERO = 0x30;
