import * as ipaddr from 'ipaddr.js';

interface Prefix {
  readonly family: 'ipv4' | 'ipv6';
  readonly base: bigint;
  readonly length: number;
}

/**
 * The smallest set of CIDRs that covers exactly the union of `cidrs`: CIDRs contained in another
 * are dropped and sibling CIDRs (two halves of one larger prefix) merge, repeatedly. The result
 * covers the same addresses, no more, and is sorted (IPv4 first, then by address). Inputs must be
 * valid network CIDRs; IPv4 and IPv6 are aggregated separately.
 */
export function aggregateCidrs(cidrs: readonly string[]): string[] {
  const result: string[] = [];
  for (const family of ['ipv4', 'ipv6'] as const) {
    let prefixes = cidrs.map(parsePrefix).filter((p) => p.family === family);
    prefixes = removeContained(prefixes);
    let merged = true;
    while (merged) {
      merged = false;
      const next: Prefix[] = [];
      for (let i = 0; i < prefixes.length; i++) {
        const a = prefixes[i];
        const b = prefixes[i + 1];
        if (b && a.length === b.length && a.length > 0 && isSiblingPair(a, b)) {
          next.push({ family, base: a.base, length: a.length - 1 });
          i++;
          merged = true;
        } else {
          next.push(a);
        }
      }
      prefixes = removeContained(next);
    }
    result.push(...prefixes.map(formatPrefix));
  }
  return result;
}

/** Whether CIDR `outer` contains CIDR `inner` (same family; a CIDR contains itself). */
export function prefixContains(outer: string, inner: string): boolean {
  const o = parsePrefix(outer);
  const i = parsePrefix(inner);
  return contains(o, i);
}

function contains(outer: Prefix, inner: Prefix): boolean {
  if (outer.family !== inner.family || inner.length < outer.length) return false;
  const size = blockSize(outer);
  return inner.base / size === outer.base / size;
}

function removeContained(prefixes: Prefix[]): Prefix[] {
  const sorted = [...prefixes].sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : a.length - b.length));
  const kept: Prefix[] = [];
  for (const prefix of sorted) {
    const last = kept[kept.length - 1];
    if (last && contains(last, prefix)) continue;
    kept.push(prefix);
  }
  return kept;
}

function isSiblingPair(a: Prefix, b: Prefix): boolean {
  const size = blockSize(a);
  return (a.base / size) % 2n === 0n && b.base === a.base + size;
}

/** Number of addresses in the prefix (BigInt arithmetic: the linter forbids bitwise operators). */
function blockSize(prefix: Prefix): bigint {
  return 2n ** BigInt(bitsOf(prefix.family) - prefix.length);
}

function bitsOf(family: 'ipv4' | 'ipv6'): number {
  return family === 'ipv4' ? 32 : 128;
}

function parsePrefix(cidr: string): Prefix {
  const [address, length] = ipaddr.parseCIDR(cidr);
  let base = 0n;
  for (const byte of address.toByteArray()) base = base * 256n + BigInt(byte);
  const family = address.kind() as 'ipv4' | 'ipv6';
  const size = 2n ** BigInt(bitsOf(family) - length);
  return { family, base: (base / size) * size, length };
}

function formatPrefix(prefix: Prefix): string {
  const bytes: number[] = [];
  let value = prefix.base;
  for (let i = 0; i < bitsOf(prefix.family) / 8; i++) {
    bytes.unshift(Number(value % 256n));
    value /= 256n;
  }
  return `${ipaddr.fromByteArray(bytes).toString()}/${prefix.length}`;
}
