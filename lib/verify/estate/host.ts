import { Value, textOf } from '../model/value';
import { parseCidr } from '../net/cidr';

/** An endpoint outside every address plan, known only by name on one platform. */
export interface NamedPeer {
  /** What kind of name it is (a kind a platform declares, such as a prefix list or a service tag). */
  readonly kind: string;
  /** The prefix list id (or its resource key) or the service tag. */
  readonly value: string;
}

/**
 * One concrete or hypothetical machine a flow starts or ends at: its addresses and, per platform,
 * the enforcement objects attached to it. Every layer reads only this.
 */
export interface Host {
  /** How the host is named in verdicts. */
  readonly name: string;
  /** Literal CIDRs the host lies within (its IPs as host prefixes, its subnet, a CIDR endpoint). */
  readonly ranges: readonly string[];
  /** Unresolved address expressions (`${app/aws_instance.web.private_ip}`). */
  readonly symbolicAddresses: readonly string[];
  /**
   * Addresses a hypothetical host is known not to have (those of other interfaces in its subnet): a
   * rule naming nothing but such addresses does not match it.
   */
  readonly excludedRanges?: readonly string[];
  /** Set when the host is a named peer (prefix list, service tag). */
  readonly namedPeer?: NamedPeer;
  /**
   * What each platform knows of the host (its groups, subnet, security groups, tags), by platform
   * name; only the platform's own folder reads its entry. A platform the host is not on is absent.
   */
  readonly platforms?: Readonly<Record<string, unknown>>;
}

/** Splits resolved address values into literal ranges and symbolic expressions. */
export function addressFacts(values: readonly Value[]): { ranges: string[]; symbolicAddresses: string[] } {
  const ranges: string[] = [];
  const symbolicAddresses: string[] = [];
  for (const value of values) {
    const text = textOf(value);
    if (value.kind === 'literal') {
      if (parseCidr(text)) ranges.push(text);
    } else {
      symbolicAddresses.push(text);
    }
  }
  return { ranges: unique(ranges), symbolicAddresses: unique(symbolicAddresses) };
}

/** The items without duplicates, in first-seen order. */
export function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

/** A platform's entry of a host (see {@link Host.platforms}), read by that platform's folder only. */
export function platformEntry<T>(host: Host, platform: string): T | undefined {
  return host.platforms?.[platform] as T | undefined;
}

/** The host with its addresses (literal ones as ranges, the others symbolic) and the ranges that enclose it (its subnet). */
export function hostWithAddresses(host: Omit<Host, 'ranges' | 'symbolicAddresses'>, addresses: readonly Value[], enclosing: readonly string[]): Host {
  const facts = addressFacts(addresses);
  return { ...host, ranges: unique([...facts.ranges, ...enclosing]), symbolicAddresses: facts.symbolicAddresses };
}

/** Whether a literal range is a single address (`/32`, `/128`). */
export function isHostAddress(text: string): boolean {
  const cidr = parseCidr(text);
  return cidr !== undefined && cidr.prefix === (cidr.family === 'ipv4' ? 32 : 128);
}
