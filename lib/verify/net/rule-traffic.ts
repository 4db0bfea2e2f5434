import { NO_TRAFFIC, Traffic, unionTraffic } from './traffic';

/**
 * What one rule matches: `full` is traffic the rule certainly matches for every packet; `touched`
 * (a superset) adds traffic the rule matches only in part (an ICMP code, a source port range, an
 * address range that only overlaps the endpoint). A deny rule denies what it touches; an allow
 * rule allows only what it fully matches. So a partial match never makes a verdict more permissive.
 */
export interface RuleTraffic {
  /** Traffic matched for every packet. */
  readonly full: Traffic;
  /** Traffic matched at least for some packets; includes `full`. */
  readonly touched: Traffic;
}

/** No traffic at all. */
export const NO_RULE_TRAFFIC: RuleTraffic = { full: NO_TRAFFIC, touched: NO_TRAFFIC };

/** A rule matching exactly this traffic. */
export function exactRuleTraffic(traffic: Traffic): RuleTraffic {
  return { full: traffic, touched: traffic };
}

/** A rule matching only part of the packets of this traffic. */
export function partialRuleTraffic(traffic: Traffic): RuleTraffic {
  return { full: NO_TRAFFIC, touched: traffic };
}

/** Traffic matched by either rule part (a rule with several services or port ranges). */
export function unionRuleTraffic(a: RuleTraffic, b: RuleTraffic): RuleTraffic {
  return { full: unionTraffic(a.full, b.full), touched: unionTraffic(a.touched, b.touched) };
}

/** How well a rule's peer (address, group, tag) matches an endpoint. */
export type MatchLevel = 'full' | 'partial' | 'none';

/** The better of two match levels (an endpoint matched through any of its descriptions). */
export function bestMatch(a: MatchLevel, b: MatchLevel): MatchLevel {
  if (a === 'full' || b === 'full') return 'full';
  if (a === 'partial' || b === 'partial') return 'partial';
  return 'none';
}

/** The weaker of two match levels (both sides of a rule must match). */
export function weakestMatch(a: MatchLevel, b: MatchLevel): MatchLevel {
  if (a === 'none' || b === 'none') return 'none';
  if (a === 'partial' || b === 'partial') return 'partial';
  return 'full';
}

/** The rule's traffic once its peers matched the endpoints at `level`. */
export function restrictToMatch(traffic: RuleTraffic, level: MatchLevel): RuleTraffic {
  if (level === 'full') return traffic;
  if (level === 'partial') return partialRuleTraffic(traffic.touched);
  return NO_RULE_TRAFFIC;
}
