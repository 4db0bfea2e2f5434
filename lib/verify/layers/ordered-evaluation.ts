import { DecidingRule } from './layer-verdict';
import { MatchBounds } from '../net/match-bounds';
import { RuleTraffic, restrictToMatch } from '../net/rule-traffic';
import {
  NO_TRAFFIC, Traffic, intersectTraffic, isNoTraffic, sameTraffic, subtractTraffic, unionTraffic,
} from '../net/traffic';

/** A rule ready to be evaluated: its action and the traffic it matches between the two hosts at hand. */
export interface CandidateRule {
  /** What the rule does with matching traffic. */
  readonly action: 'allow' | 'deny';
  /** The traffic it matches, already restricted by how its peers match the hosts. */
  readonly traffic: RuleTraffic;
  /** How to report it. */
  readonly rule: DecidingRule;
  /** The traffic it would match if its unresolved address were the other end's, when it names one. */
  readonly possible?: RuleTraffic;
  /** That unresolved address, as written. */
  readonly unresolvedAddress?: string;
}

/** A candidate whose peers matched the hosts within `bounds`: as read, plus what an unresolved address could add. */
export function boundedCandidate(action: 'allow' | 'deny', traffic: RuleTraffic, bounds: MatchBounds, rule: DecidingRule): CandidateRule {
  const asRead = { action, traffic: restrictToMatch(traffic, bounds.least), rule };
  if (bounds.unresolved === undefined) return asRead;
  return { ...asRead, possible: restrictToMatch(traffic, bounds.most), unresolvedAddress: bounds.unresolved };
}

/**
 * Which rules an evaluation assumes match through an address the JSON does not resolve: none (the
 * rules as read), the deny rules only (the least traffic that may pass) or the allow rules only (the
 * most). Allowed traffic only grows as more allow rules and fewer deny rules match, so these two
 * bound every value the unresolved addresses may take.
 */
export type Assumption = 'as-read' | 'deny-rules-match' | 'allow-rules-match';

/** The traffic a candidate matches under an assumption. */
export function trafficUnder(candidate: CandidateRule, assumption: Assumption): RuleTraffic {
  const assumed = (assumption === 'deny-rules-match' && candidate.action === 'deny')
    || (assumption === 'allow-rules-match' && candidate.action === 'allow');
  return assumed ? candidate.possible ?? candidate.traffic : candidate.traffic;
}

/** How a rule list split the queried traffic. */
export interface Decision {
  /** Traffic some rule allowed. */
  readonly allowed: Traffic;
  /** Traffic some rule denied. */
  readonly denied: Traffic;
  /** Traffic no rule decided (the caller applies the platform default). */
  readonly undecided: Traffic;
  /** The rules that decided part of the traffic, in order. */
  readonly deciding: readonly DecidingRule[];
}

/**
 * Ordered first-match evaluation (NACL rule numbers, NSG priorities, DFW order): each rule decides
 * the not-yet-decided traffic it matches. A deny rule takes everything it touches; an allow rule only
 * what it fully matches.
 */
export function firstMatch(query: Traffic, rules: Iterable<CandidateRule>, assumption: Assumption = 'as-read'): Decision {
  let remaining = query;
  let allowed = NO_TRAFFIC;
  let denied = NO_TRAFFIC;
  const deciding: DecidingRule[] = [];
  for (const candidate of rules) {
    if (isNoTraffic(remaining)) break;
    const traffic = trafficUnder(candidate, assumption);
    const decided = intersectTraffic(remaining, candidate.action === 'deny' ? traffic.touched : traffic.full);
    if (isNoTraffic(decided)) continue;
    if (candidate.action === 'deny') denied = unionTraffic(denied, decided);
    else allowed = unionTraffic(allowed, decided);
    remaining = subtractTraffic(remaining, decided);
    deciding.push(candidate.rule);
  }
  return { allowed, denied, undecided: remaining, deciding };
}

/** Allow-only union (security groups): traffic passes when any rule fully matches it; order does not matter. */
export function unionOfAllows(query: Traffic, rules: Iterable<CandidateRule>, assumption: Assumption = 'as-read'): Decision {
  const outcome = firstMatch(query, [...rules].filter((candidate) => candidate.action === 'allow'), assumption);
  return { ...outcome, denied: outcome.undecided, undecided: NO_TRAFFIC };
}

/** The doubt unresolved addresses cast on a point: what passes in any case, and the rules that may change it. */
export interface UnresolvedDoubt {
  /** The queried traffic that passes whatever the unresolved addresses are. */
  readonly certainlyAllowed: Traffic;
  /** The rules whose unresolved address may change the verdict, each with that address. */
  readonly rules: readonly CandidateRule[];
}

/**
 * Whether the traffic a point lets through depends on addresses the JSON does not resolve:
 * `allowedUnder` evaluates the point under an assumption; undefined when both bounds agree. The rules
 * named are those whose unresolved address touches the doubtful traffic, or `evaluated` when the rules
 * saw other traffic than the query (the return packets of a stateless ACL).
 */
export function unresolvedDoubt(
  query: Traffic, candidates: readonly CandidateRule[], allowedUnder: (assumption: Assumption) => Traffic, evaluated?: Traffic,
): UnresolvedDoubt | undefined {
  if (!candidates.some((candidate) => candidate.possible)) return undefined;
  const least = intersectTraffic(query, allowedUnder('deny-rules-match'));
  const most = intersectTraffic(query, allowedUnder('allow-rules-match'));
  if (sameTraffic(least, most)) return undefined;
  const doubtful = evaluated ?? subtractTraffic(most, least);
  const rules = candidates.filter((candidate) => candidate.possible && !isNoTraffic(intersectTraffic(candidate.possible.touched, doubtful)));
  return { certainlyAllowed: least, rules };
}
