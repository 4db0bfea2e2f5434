import { DecidingRule, LayerId, LayerVerdict } from './layer-verdict';
import { UnresolvedDoubt } from './ordered-evaluation';
import { NO_TRAFFIC, Traffic, coversTraffic, formatTraffic, intersectTraffic, isNoTraffic } from '../net/traffic';

const texts = new WeakMap<Traffic, string>();

/** Traffic as a short text (`tcp/443,tcp/8080`, `nothing`). */
export function trafficText(traffic: Traffic): string {
  let text = texts.get(traffic);
  if (text === undefined) {
    text = formatTraffic(traffic).join(',') || 'nothing';
    texts.set(traffic, text);
  }
  return text;
}

/** What a point decided, before wording. */
export interface PointOutcome {
  /** The layer. */
  readonly layer: LayerId;
  /** The enforcement point. */
  readonly point: string;
  /** The queried traffic. */
  readonly query: Traffic;
  /** The part that passes. */
  readonly allowed: Traffic;
  /** The deciding rules. */
  readonly decidingRules: readonly DecidingRule[];
  /** The sentence when all traffic passes. */
  readonly allowedReason: string;
  /** The sentence when traffic stops here (the denied traffic is appended by the caller's wording). */
  readonly deniedReason: string;
}

/** A verdict from an outcome: allowed when the whole query passes; a partial pass names what passes. */
export function decidedVerdict(outcome: PointOutcome): LayerVerdict {
  const passing = intersectTraffic(outcome.query, outcome.allowed);
  const allowed = coversTraffic(passing, outcome.query);
  const partly = !allowed && !isNoTraffic(passing) ? ` (only ${trafficText(passing)} passes)` : '';
  return {
    layer: outcome.layer,
    point: outcome.point,
    allowed,
    status: allowed ? 'allowed' : 'denied',
    decidingRules: outcome.decidingRules,
    reason: allowed ? outcome.allowedReason : `${outcome.deniedReason}${partly}`,
    allowedTraffic: passing,
  };
}

/** A point that is not on the path (or has nothing to enforce): it lets everything through and says why. */
export function skippedVerdict(layer: LayerId, point: string, reason: string, query: Traffic): LayerVerdict {
  return { layer, point, allowed: true, status: 'skipped', decidingRules: [], reason, allowedTraffic: query };
}

/** A point whose configuration the JSON does not show: never silently allowed. */
export function unknownVerdict(
  layer: LayerId, point: string, reason: string, allowed: Traffic = NO_TRAFFIC, rules: readonly DecidingRule[] = [],
): LayerVerdict {
  return { layer, point, allowed: false, status: 'unknown', decidingRules: rules, reason, allowedTraffic: allowed };
}

/**
 * A decided verdict, or unknown when an address the JSON does not resolve (a variable, a function of
 * one) may be `otherName`'s and so may change what passes: never a confident allowed or denied then.
 */
export function unlessUnresolved(verdict: LayerVerdict, doubt: UnresolvedDoubt | undefined, otherName: string): LayerVerdict {
  if (!doubt) return verdict;
  const named = doubt.rules.map((rule) => `${rule.rule.address} names the address ${rule.unresolvedAddress}`).join(' and ');
  const reason = `${verdict.reason}, but ${named || 'a rule names an address'}, which the Terraform JSON does not resolve: it may be ${otherName}'s`;
  const added = doubt.rules.map((rule) => rule.rule).filter((rule) => !verdict.decidingRules.includes(rule));
  return unknownVerdict(verdict.layer, verdict.point, reason, doubt.certainlyAllowed, [...verdict.decidingRules, ...added]);
}
