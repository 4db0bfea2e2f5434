import { DecidingRule } from './layer-verdict';
import { RuleTraffic } from '../net/rule-traffic';
import {
  NO_TRAFFIC, Traffic, intersectTraffic, isNoTraffic, subtractTraffic, unionTraffic,
} from '../net/traffic';

/** A rule ready to be evaluated: its action and the traffic it matches between the two hosts at hand. */
export interface CandidateRule {
  /** What the rule does with matching traffic. */
  readonly action: 'allow' | 'deny';
  /** The traffic it matches, already restricted by how its peers match the hosts. */
  readonly traffic: RuleTraffic;
  /** How to report it. */
  readonly rule: DecidingRule;
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
export function firstMatch(query: Traffic, rules: Iterable<CandidateRule>): Decision {
  let remaining = query;
  let allowed = NO_TRAFFIC;
  let denied = NO_TRAFFIC;
  const deciding: DecidingRule[] = [];
  for (const candidate of rules) {
    if (isNoTraffic(remaining)) break;
    const decided = intersectTraffic(remaining, candidate.action === 'deny' ? candidate.traffic.touched : candidate.traffic.full);
    if (isNoTraffic(decided)) continue;
    if (candidate.action === 'deny') denied = unionTraffic(denied, decided);
    else allowed = unionTraffic(allowed, decided);
    remaining = subtractTraffic(remaining, decided);
    deciding.push(candidate.rule);
  }
  return { allowed, denied, undecided: remaining, deciding };
}

/** Allow-only union (security groups): traffic passes when any rule fully matches it; order does not matter. */
export function unionOfAllows(query: Traffic, rules: Iterable<CandidateRule>): Decision {
  const outcome = firstMatch(query, [...rules].filter((candidate) => candidate.action === 'allow'));
  return { ...outcome, denied: outcome.undecided, undecided: NO_TRAFFIC };
}
