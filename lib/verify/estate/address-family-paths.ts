import { Host } from './host';
import { parseCidr } from '../net/cidr';

/** An IP address family. */
type Family = 'ipv4' | 'ipv6';

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
function viewOf(host: Host, family: Family): Host {
  const families = familiesOf(host);
  if (families === undefined || (families.length === 1 && families[0] === family)) return host;
  let views = VIEWS.get(host);
  if (!views) VIEWS.set(host, views = {});
  // an address known only at apply is of one of the families its literal ones already stand for
  return views[family] ??= { ...host, ranges: host.ranges.filter((range) => parseCidr(range)?.family === family), symbolicAddresses: [] };
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
  const fromFamilies = familiesOf(source);
  const toFamilies = familiesOf(destination);
  if (fromFamilies === undefined && toFamilies === undefined) return [[source, destination]];
  const common = (fromFamilies ?? BOTH).filter((family) => (toFamilies ?? BOTH).includes(family));
  if (common.length === 0) return [[source, destination]];
  return common.map((family) => [viewOf(source, family), viewOf(destination, family)] as const);
}
