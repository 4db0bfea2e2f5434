import { Host } from './host';
import { primaryAddressReference } from '../model/primary-address';
import { isSymbolicText } from '../model/value';
import { valueFor } from '../multimap';
import { Cidr, cidrContains, cidrOverlaps, isWholeFamily, parseCidr } from '../net/cidr';
import { MatchBounds, matchBounds } from '../net/match-bounds';
import { MatchLevel, bestMatch } from '../net/rule-traffic';

/**
 * How an address written in a rule (a CIDR, an IP, or an unresolved expression) matches a host.
 * Full: the host certainly lies inside. Partial: only some of the addresses the host stands for do
 * (a CIDR endpoint wider than the rule). A host known only symbolically matches a literal CIDR only
 * when that CIDR is a whole family (`0.0.0.0/0`, `::/0`), and an expression only when the rule
 * contains the same expression.
 */
export function matchAddress(ruleAddress: string, host: Host): MatchLevel {
  if (isSymbolicText(ruleAddress)) {
    return host.symbolicAddresses.some((address) => ruleAddress.includes(address)) ? 'full' : 'none';
  }
  const rule = parseCidr(ruleAddress);
  return rule ? matchCidr(rule, host) : 'none';
}

function matchCidr(rule: Cidr, host: Host): MatchLevel {
  const { excluded, ranges, mostSpecificRanges } = parsedRangesOf(host);
  if (excluded.some((range) => cidrContains(range, rule))) return 'none';
  const sameFamily = mostSpecificRanges.filter((range) => range.family === rule.family);
  if (isWholeFamily(rule) && (ranges.length === 0 || sameFamily.length > 0)) return 'full';
  return sameFamily.map((range) => rangeMatch(rule, range)).reduce(bestMatch, 'none' as MatchLevel);
}

/** A host's ranges parsed, and of those the most specific (a host is matched against every rule address of a matrix). */
interface ParsedRanges {
  readonly excluded: readonly Cidr[];
  readonly ranges: readonly Cidr[];
  readonly mostSpecificRanges: readonly Cidr[];
}

const parsedRanges = new WeakMap<Host, ParsedRanges>();

function parsedRangesOf(host: Host): ParsedRanges {
  let parsed = parsedRanges.get(host);
  if (!parsed) {
    const parseAll = (texts: readonly string[]) => texts.map((text) => parseCidr(text)).filter((range): range is Cidr => range !== undefined);
    const ranges = parseAll(host.ranges);
    // a range never encloses one of another family, so the most specific of all are those of each family
    parsed = { excluded: parseAll(host.excludedRanges ?? []), ranges, mostSpecificRanges: mostSpecific(ranges) };
    parsedRanges.set(host, parsed);
  }
  return parsed;
}

function rangeMatch(rule: Cidr, range: Cidr): MatchLevel {
  if (cidrContains(rule, range)) return 'full';
  return cidrOverlaps(rule, range) ? 'partial' : 'none';
}

/** Drops ranges that merely enclose another known range of the host (its subnet around its IP). */
function mostSpecific(ranges: readonly Cidr[]): Cidr[] {
  return ranges.filter((range) => !ranges.some((other) => other !== range && other.prefix > range.prefix && cidrContains(range, other)));
}

/**
 * Whether a rule address is an expression the evaluator cannot resolve (a variable, a function, an
 * attribute it does not know) and so may or may not be the host's address. A reference to another
 * resource's primary address is not: it names that resource, not this host. A named peer (prefix
 * list, service tag) has no address to compare.
 */
export function addressUnknownFor(ruleAddress: string, host: Host): boolean {
  if (!isSymbolicText(ruleAddress) || host.namedPeer) return false;
  if (matchAddress(ruleAddress, host) !== 'none') return false;
  return !primaryAddressReference().test(ruleAddress);
}

const boundsByHost = new WeakMap<Host, Map<string, MatchBounds>>();

/**
 * How a rule address matches a host, certainly and if an address the JSON does not resolve were the
 * host's. Remembered per host and address: a matrix matches each host against the same rule
 * addresses of every segment.
 */
export function addressMatchBounds(ruleAddress: string, host: Host): MatchBounds {
  const known = valueFor(boundsByHost, host, () => new Map<string, MatchBounds>());
  return valueFor(known, ruleAddress, () => {
    const least = matchAddress(ruleAddress, host);
    return addressUnknownFor(ruleAddress, host) ? matchBounds(least, 'full', ruleAddress) : matchBounds(least, least, undefined);
  });
}
