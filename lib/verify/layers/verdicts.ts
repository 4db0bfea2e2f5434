import { DecidingRule, LayerId, LayerVerdict } from './layer-verdict';
import { NO_TRAFFIC, Traffic, coversTraffic, formatTraffic, intersectTraffic, isNoTraffic } from '../net/traffic';

/** Traffic as a short text (`tcp/443,tcp/8080`, `nothing`). */
export function trafficText(traffic: Traffic): string {
  return formatTraffic(traffic).join(',') || 'nothing';
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
