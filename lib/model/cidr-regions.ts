import * as ipaddr from 'ipaddr.js';
import { dottedIpv4 } from './cidr';
import type { Atom } from './guardrail-semantics';

/** A parsed CIDR of {@link cidrRegions}: its family's width, network and prefix length. */
interface ParsedCidr {
  readonly text: string;
  readonly bits: number;
  readonly network: bigint;
  readonly prefix: number;
}

/**
 * The regions that `cidrs` cut the address space into, one per CIDR whose narrower CIDRs (of the
 * same list) leave some of it: the CIDR's addresses outside those. Any two CIDRs are nested or
 * disjoint, so every address of a region lies in the same CIDRs of the list, and a CIDR of the list
 * holds a region whole or not at all. A check that looks at the regions rather than at the CIDRs
 * themselves never takes two ranges that merely overlap (a flow from `0.0.0.0/0`, a grant from
 * `10.0.0.0/8`) for the same hosts. In the order of first appearance; a CIDR it cannot read
 * (invalid: its construct reports it) is kept as it is.
 */
export function cidrRegions(cidrs: Iterable<string>): Array<Extract<Atom, { kind: 'cidr' }>> {
  const parsed = new Map<string, ParsedCidr | undefined>();
  const byNetwork = new Map<string, ParsedCidr>();
  for (const text of cidrs) {
    if (parsed.has(text)) continue;
    const cidr = parseCidr(text);
    const key = cidr && networkKey(cidr.bits, cidr.network, cidr.prefix);
    // two spellings of one network are one CIDR: the first names it
    if (cidr && byNetwork.has(key!)) continue;
    parsed.set(text, cidr);
    if (cidr) byNetwork.set(key!, cidr);
  }
  const children = new Map<ParsedCidr, ParsedCidr[]>();
  for (const cidr of byNetwork.values()) {
    for (let prefix = cidr.prefix - 1; prefix >= 0; prefix--) {
      const parent = byNetwork.get(networkKey(cidr.bits, networkOf(cidr, prefix), prefix));
      if (!parent) continue;
      const list = children.get(parent) ?? [];
      list.push(cidr);
      children.set(parent, list);
      break;
    }
  }
  const regions: Array<Extract<Atom, { kind: 'cidr' }>> = [];
  for (const [text, cidr] of parsed) {
    if (!cidr) {
      regions.push({ kind: 'cidr', cidr: text });
      continue;
    }
    const inside = children.get(cidr) ?? [];
    // the children are disjoint (none holds another): they fill the CIDR when their sizes add up to it
    const covered = inside.reduce((sum, child) => sum + blockSize(child.bits, child.prefix), 0n);
    if (covered === blockSize(cidr.bits, cidr.prefix)) continue;
    regions.push({ kind: 'cidr', cidr: text, except: inside.map((child) => child.text).sort((a, b) => compareParsed(parsed.get(a)!, parsed.get(b)!)) });
  }
  return regions;
}

function parseCidr(text: string): ParsedCidr | undefined {
  // the general parser tries IPv6 first and throws before it reads an IPv4 CIDR
  const dotted = dottedIpv4(text, false);
  if (dotted) {
    const value = BigInt(dotted.address);
    return { text, bits: 32, network: value - (value % blockSize(32, dotted.prefix)), prefix: dotted.prefix };
  }
  try {
    const [address, prefix] = ipaddr.parseCIDR(text);
    const bytes = address.toByteArray();
    const bits = bytes.length * 8;
    const value = bytes.reduce((sum, byte) => sum * 256n + BigInt(byte), 0n);
    return { text, bits, network: value - (value % blockSize(bits, prefix)), prefix };
  } catch {
    return undefined;
  }
}

function networkOf(cidr: ParsedCidr, prefix: number): bigint {
  return cidr.network - (cidr.network % blockSize(cidr.bits, prefix));
}

/** How many addresses a prefix of `prefix` bits holds in a family of `bits`. */
function blockSize(bits: number, prefix: number): bigint {
  return 2n ** BigInt(bits - prefix);
}

function networkKey(bits: number, network: bigint, prefix: number): string {
  return `${bits}|${network}/${prefix}`;
}

function compareParsed(a: ParsedCidr, b: ParsedCidr): number {
  return a.bits - b.bits || (a.network < b.network ? -1 : a.network > b.network ? 1 : a.prefix - b.prefix);
}
