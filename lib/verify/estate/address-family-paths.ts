import { Host } from './host';
import { parseCidr } from '../net/cidr';

/** An IP address family. */
export type Family = 'ipv4' | 'ipv6';

const BOTH: readonly Family[] = ['ipv4', 'ipv6'];

const FAMILIES = new WeakMap<Host, readonly Family[] | null>();
const VIEWS = new WeakMap<Host, Partial<Record<Family, Host>>>();

/**
 * The address families a host's packets may use: those of its literal ranges, or undefined when
 * that is not known (no literal range, an address known only at apply beside literal ones of one
 * family only, a prefix list or service tag). A host with literal addresses of both families uses
 * both, whatever its addresses known only at apply are.
 */
function familiesOf(host: Host): readonly Family[] | undefined {
  let families = FAMILIES.get(host);
  if (families === undefined) {
    const literal = BOTH.filter((family) => host.ranges.some((range) => parseCidr(range)?.family === family));
    const unknown = host.symbolicAddresses.length > 0 && literal.length < BOTH.length;
    families = host.namedPeer || unknown || literal.length === 0 ? null : literal;
    FAMILIES.set(host, families);
  }
  return families ?? undefined;
}

/** The host as packets of one family see it: its ranges of that family only (the same object when it has no others). */
export function familyView(host: Host, family: Family): Host {
  const families = familiesOf(host);
  if (families === undefined || (families.length === 1 && families[0] === family)) return host;
  let views = VIEWS.get(host);
  if (!views) VIEWS.set(host, views = {});
  // an address known only at apply is of one of the families its literal ones already stand for
  return views[family] ??= { ...host, ranges: host.ranges.filter((range) => parseCidr(range)?.family === family), symbolicAddresses: [] };
}

/** Of each family alone, so that the common families of two hosts are one of these arrays, not a new one. */
const ONLY: Readonly<Record<Family, readonly Family[]>> = { ipv4: ['ipv4'], ipv6: ['ipv6'] };

/**
 * The address families both hosts can use, in the order ipv4, ipv6; undefined when the hosts are
 * to be taken as they are (neither family known, or no family in common). A matrix asks this for
 * every pair of hosts, so it allocates nothing.
 */
export function commonFamilies(source: Host, destination: Host): readonly Family[] | undefined {
  const fromFamilies = familiesOf(source);
  const toFamilies = familiesOf(destination);
  if (fromFamilies === undefined && toFamilies === undefined) return undefined;
  const ipv4 = usesFamily(fromFamilies, 'ipv4') && usesFamily(toFamilies, 'ipv4');
  const ipv6 = usesFamily(fromFamilies, 'ipv6') && usesFamily(toFamilies, 'ipv6');
  if (ipv4 && ipv6) return BOTH;
  if (ipv4) return ONLY.ipv4;
  return ipv6 ? ONLY.ipv6 : undefined;
}

/** Whether a host of these families (undefined: not known, so either) may use `family`. */
function usesFamily(families: readonly Family[] | undefined, family: Family): boolean {
  return families === undefined || families.includes(family);
}

/**
 * The ways one packet can go from `source` to `destination`: one pair of hosts per address family
 * both can use, each seen with its addresses of that family only. A packet has one source and one
 * destination address of one family, so a rule of the source's IPv4 egress and one of the
 * destination's IPv6 ingress never let the same packet through. Hosts whose family is not known
 * are taken as they are; two hosts that share no family are evaluated as they are too (nothing
 * narrower can be said).
 */
export function familyPaths(source: Host, destination: Host): Array<readonly [Host, Host]> {
  const common = commonFamilies(source, destination);
  if (common === undefined) return [[source, destination]];
  return common.map((family) => [familyView(source, family), familyView(destination, family)] as const);
}
