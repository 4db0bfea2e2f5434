import * as fc from 'fast-check';
import * as ipaddr from 'ipaddr.js';
import { checkCidr, cidrContains, dottedIpv4, familyOf } from '../../lib/model/cidr';

/** What the general parser answers: the reference for every pair. */
function byParser(outer: string, inner: string): boolean {
  const [outerAddress, outerPrefix] = ipaddr.parseCIDR(outer);
  const [innerAddress, innerPrefix] = ipaddr.parseCIDR(inner.includes('/') ? inner : `${inner}/${inner.includes(':') ? 128 : 32}`);
  if (outerAddress.kind() !== innerAddress.kind()) return false;
  return innerPrefix >= outerPrefix && (innerAddress as ipaddr.IPv4).match(outerAddress as ipaddr.IPv4, outerPrefix);
}

const CIDRS = [
  '0.0.0.0/0', '10.0.0.0/8', '10.0.0.0/16', '10.0.1.0/24', '10.0.1.10/32', '10.0.1.10', '10.255.255.255/32', '11.0.0.0/8',
  '192.168.0.0/16', '192.168.1.128/25', '192.168.1.200', '255.255.255.255/32', '128.0.0.0/1', '0.0.0.0/1',
  '2001:db8::/32', '2001:db8::10', '::/0', '010.0.0.0/8', '10.0.0.0/08',
];

describe('CIDR containment', () => {
  test('answers as the general parser does for every pair of IPv4 and IPv6 CIDRs and addresses', () => {
    // GIVEN every pair of a set of CIDRs and bare addresses (both families, edge prefixes, octal-looking octets)
    const outers = CIDRS.filter((c) => c.includes('/'));
    for (const outer of outers) {
      for (const inner of CIDRS) {
        // WHEN containment is asked THEN the answer is the general parser's
        expect([outer, inner, cidrContains(outer, inner)]).toEqual([outer, inner, byParser(outer, inner)]);
      }
    }
    // AND the expected answers hold
    expect(cidrContains('10.0.0.0/8', '10.0.1.10')).toBe(true);
    expect(cidrContains('10.0.0.0/16', '10.1.0.0/16')).toBe(false);
    expect(cidrContains('10.0.1.0/24', '10.0.0.0/16')).toBe(false);
    expect(cidrContains('0.0.0.0/0', '255.255.255.255/32')).toBe(true);
    expect(cidrContains('10.0.0.0/8', '2001:db8::10')).toBe(false);
  });

  test('dotted IPv4 CIDRs are compared without the general parser, which tries IPv6 first and throws', () => {
    // GIVEN the general parser watched (on the module itself, which every importer reads through)
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const parse = jest.spyOn(require('ipaddr.js'), 'parseCIDR');
    try {
      // WHEN IPv4 CIDRs and addresses are compared
      expect(cidrContains('10.0.0.0/16', '10.0.3.0/24')).toBe(true);
      expect(cidrContains('10.0.0.0/16', '10.1.0.5')).toBe(false);
      // THEN it was not called
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });
});

describe('the family of a CIDR or address', () => {
  test('is the general parser\'s for IPv4, IPv6, octal-looking, out-of-range and malformed values', () => {
    // GIVEN the set above and values the dotted fast path must leave to the general parser
    const values = [...CIDRS, '10.0.0.1/99', '256.0.0.1', '1.2.3', '1.2.3.4.5', '0x0a.0.0.1', '10.0.0.01', 'not-an-ip', '', '${aws_instance.web.private_ip}/32'];
    for (const value of values) {
      // WHEN its family is asked THEN the answer is the general parser's
      const address = value.split('/')[0];
      const expected = ipaddr.isValid(address) ? ipaddr.parse(address).kind() : undefined;
      expect([value, familyOf(value)]).toEqual([value, expected]);
    }
    // AND the expected answers hold
    expect(familyOf('10.0.1.10')).toBe('ipv4');
    expect(familyOf('2001:db8::/32')).toBe('ipv6');
    expect(familyOf('not-an-ip')).toBeUndefined();
  });
});

describe('the dotted IPv4 reader', () => {
  /** The reference: four decimal octets (0-255, no leading zero), then an optional prefix (0-32, no leading zero). */
  function byPattern(value: string, bareIsHost: boolean): { address: number; prefix: number } | undefined {
    const match = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})(?:\/(0|[1-9]\d?))?$/.exec(value);
    if (!match || match.slice(1, 5).some((octet) => +octet > 255) || +(match[5] ?? 0) > 32) return undefined;
    if (match[5] === undefined && !bareIsHost) return undefined;
    const [a, b, c, d] = ipaddr.IPv4.parse(match.slice(1, 5).join('.')).toByteArray();
    return { address: ((a * 256 + b) * 256 + c) * 256 + d, prefix: match[5] === undefined ? 32 : +match[5] };
  }

  test('reads four decimal octets and a prefix, and nothing else, as the pattern of the notation does', () => {
    // GIVEN texts made of octet-like parts, dots, slashes and stray characters (leading zeros, 256, 3- and 4-digit numbers)
    const part = fc.oneof(fc.nat(300).map(String), fc.constantFrom('0', '00', '01', '010', '1000', '', 'a', ':', ' ', '0x1'));
    const dotted = fc.tuple(part, part, part, part, fc.option(part)).map(([a, b, c, d, prefix]) => `${a}.${b}.${c}.${d}${prefix === null ? '' : `/${prefix}`}`);
    const texts = fc.oneof(dotted, fc.array(fc.oneof(part, fc.constantFrom('.', '/')), { maxLength: 10 }).map((parts) => parts.join('')));
    fc.assert(fc.property(texts, fc.boolean(), (text, bareIsHost) => {
      // WHEN it is read THEN the answer is the pattern's, with the address as the general parser reads it
      expect(dottedIpv4(text, bareIsHost)).toEqual(byPattern(text, bareIsHost));
    }), { numRuns: 20000, seed: 15 });
    // AND the expected answers hold
    expect(dottedIpv4('10.0.1.10', true)).toEqual({ address: 167772426, prefix: 32 });
    expect(dottedIpv4('10.0.1.10', false)).toBeUndefined();
    expect(dottedIpv4('255.255.255.255/32', false)).toEqual({ address: 4294967295, prefix: 32 });
    expect(dottedIpv4('10.0.0.0/08', false)).toBeUndefined();
    expect(dottedIpv4('10.0.0.0/33', false)).toBeUndefined();
    expect(dottedIpv4('10.0.0.256/8', false)).toBeUndefined();
  });
});

/** What checking an IPv4 CIDR answers through the general parser: the reference for the dotted path. */
function checkByParser(input: string): { cidr?: string; problem?: string } {
  const label = `"${input}"`;
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  let prefix: number;
  try {
    [address, prefix] = ipaddr.parseCIDR(input);
  } catch {
    return { problem: `${label} is not a valid IPv4 CIDR.` };
  }
  if (address.kind() !== 'ipv4') return { problem: `${label} is an IPv6 CIDR. Use Peer.ipv6() for it.` };
  const normalized = `${ipaddr.IPv4.networkAddressFromCIDR(input).toString()}/${prefix}`;
  return normalized === `${address.toString()}/${prefix}` ? { cidr: normalized } : { problem: `${label} has host bits set. Did you mean "${normalized}"?` };
}

describe('checking an IPv4 CIDR', () => {
  test('answers as the general parser does: the network, or the host bits with the network to use instead', () => {
    // GIVEN edge values and random dotted CIDRs (any address, any prefix)
    const values = ['0.0.0.0/0', '10.0.0.0/8', '10.0.1.10/24', '255.255.255.255/32', '255.255.255.255/0', '128.0.0.1/1',
      '2001:db8::/32'];
    const random = fc.sample(fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([address, prefix]) => `${address}/${prefix}`), { numRuns: 2000, seed: 15 });
    for (const value of [...values, ...random]) {
      // WHEN it is checked THEN the answer is the general parser's
      expect([value, checkCidr(value, 'ipv4')]).toEqual([value, checkByParser(value)]);
    }
    // AND the expected answers hold
    expect(checkCidr('10.0.1.10/24', 'ipv4')).toEqual({ problem: '"10.0.1.10/24" has host bits set. Did you mean "10.0.1.0/24"?' });
    expect(checkCidr('10.0.1.0/24', 'ipv4')).toEqual({ cidr: '10.0.1.0/24' });
  });

  test('reads plain dotted CIDRs without the general parser, which tries IPv6 first and throws', () => {
    // GIVEN the general parser watched
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const parse = jest.spyOn(require('ipaddr.js'), 'parseCIDR');
    try {
      // WHEN dotted CIDRs, with and without host bits, are checked
      expect(checkCidr('10.20.0.0/16', 'ipv4').cidr).toBe('10.20.0.0/16');
      expect(checkCidr('10.20.0.5/16', 'ipv4').problem).toContain('"10.20.0.0/16"');
      // THEN it was not called
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });
});

describe('an IPv4 CIDR not in four decimal numbers', () => {
  test.each([
    ['010.0.0.0/8', ' Did you mean "10.0.0.0/8"?'], // the general parser reads 010 as octal: 8.0.0.0/8
    ['10.0.1.010/32', ' Did you mean "10.0.1.10/32"?'],
    ['0xa.0.0.0/8', ''],
    ['167772160/8', ''],
    ['1.2.3/24', ''],
  ])('%s is refused, never read as another network', (value, suggestion) => {
    expect(checkCidr(value, 'ipv4')).toEqual({
      problem: `"${value}" is not written as four decimal numbers (0-255, without leading zeros) and a prefix length: it could be read as another network.${suggestion}`,
    });
  });
});

describe('a CIDR the parser refuses', () => {
  test.each<[string, 'ipv4' | 'ipv6', string]>([
    ['10.0.0.0/33', 'ipv4', '"10.0.0.0/33" is not a valid IPv4 CIDR. Its prefix length is 33: an IPv4 prefix length is 0-32.'],
    ['10.0.0.0/-1', 'ipv4', '"10.0.0.0/-1" is not a valid IPv4 CIDR. Its prefix length is -1: an IPv4 prefix length is 0-32.'],
    ['2001:db8::/129', 'ipv6', '"2001:db8::/129" is not a valid IPv6 CIDR. Its prefix length is 129: an IPv6 prefix length is 0-128.'],
    [' 2001:db8::/32', 'ipv6', '" 2001:db8::/32" is not a valid IPv6 CIDR. It has spaces around it: did you mean "2001:db8::/32"?'],
    ['fe80::1%eth0/128', 'ipv6', '"fe80::1%eth0/128" has a zone index ("%eth0"), which no rule can name. Remove it.'],
    ['x/24', 'ipv4', '"x/24" is not a valid IPv4 CIDR. Write four decimal numbers and a prefix length, for example "10.0.1.0/24".'],
  ])('%s: the problem says what to change', (value, family, problem) => {
    expect(checkCidr(value, family)).toEqual({ problem });
  });
});

test('a prefix length with a leading zero reads the same either way: it is taken, normalized', () => {
  expect(checkCidr('10.0.0.0/08', 'ipv4')).toEqual({ cidr: '10.0.0.0/8' });
  expect(checkCidr('0.0.0.0/00', 'ipv4')).toEqual({ cidr: '0.0.0.0/0' });
});

test('an IPv6 CIDR with a zone index given to Peer.ipv4 is named for its family first', () => {
  expect(checkCidr('fe80::1%eth0/64', 'ipv4')).toEqual({ problem: '"fe80::1%eth0/64" is an IPv6 CIDR. Use Peer.ipv6() for it.' });
});
