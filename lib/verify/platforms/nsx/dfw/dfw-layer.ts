import { DfwRule, readDfwRules } from './dfw-rules';
import type { Estate } from '../../../estate/estate';
import { Host } from '../../../estate/host';
import { DecidingRule, Layer, LayerVerdict } from '../../../layers/layer-verdict';
import { Assumption, CandidateRule, UnresolvedDoubt, boundedCandidate, trafficUnder, unresolvedDoubt } from '../../../layers/ordered-evaluation';
import { decidedVerdict, skippedVerdict, trafficText, unlessUnresolved } from '../../../layers/verdicts';
import { blocksAt } from '../../../model/terraform-model';
import { valueFor } from '../../../multimap';
import { MatchBounds, bestBounds, exactBounds, negatedBounds, weakestBounds } from '../../../net/match-bounds';
import {
  NO_TRAFFIC, Traffic, intersectTraffic, isNoTraffic, subtractTraffic, unionTraffic,
} from '../../../net/traffic';
import { NsxFacts, nsxFacts } from '../nsx-facts';
import { NsxGroupLookup, nsxMembershipBounds } from '../nsx-groups';
import { nsxOf } from '../nsx-host';

const LAYER = 'nsx-dfw';

/** The outcome of walking the rule table at one vNIC. */
interface TableWalk {
  readonly allowed: Traffic;
  readonly denied: Traffic;
  readonly deciding: readonly DecidingRule[];
}

/** How one host matches each rule of the table, by rule index. */
interface HostRuleBounds {
  /** At its vNIC: whether the rule applies there (its applied-to groups). */
  readonly applied: readonly MatchBounds[];
  /** As the source. */
  readonly asSource: readonly MatchBounds[];
  /** As the destination. */
  readonly asDestination: readonly MatchBounds[];
}

/** A DFW rule on the path: DROP and REJECT deny, ALLOW allows, a jump moves traffic on to the Application category. */
interface DfwCandidate extends CandidateRule {
  readonly category: string;
  readonly jump: boolean;
}

/**
 * The NSX distributed firewall: rules in category, policy and rule order, first match, checked at
 * the source VM's vNIC (direction OUT) and at the destination VM's vNIC (direction IN); what no rule
 * matches meets the default Layer-3 rule, which allows unless the JSON changes it.
 */
export class DfwLayer implements Layer {
  /** The layer id. */
  public readonly id = LAYER;
  /** Whether the JSON has NSX resources. */
  public readonly present: boolean;
  private readonly rules: readonly DfwRule[];
  private readonly defaultRule: { readonly action: 'allow' | 'deny'; readonly rule: DecidingRule };
  private readonly facts: NsxFacts;
  private readonly lookup: NsxGroupLookup;
  /** Per host, how it belongs to each group it was asked about. */
  private readonly memberships = new WeakMap<Host, Map<string, MatchBounds>>();
  /** Per host, how it matches each rule: a matrix asks about every rule in every cell. */
  private readonly ruleBounds = new WeakMap<Host, HostRuleBounds>();

  constructor(private readonly estate: Estate) {
    this.facts = nsxFacts(estate);
    this.lookup = (key) => this.facts.group(key);
    this.present = this.facts.present;
    this.rules = readDfwRules(estate);
    this.defaultRule = this.readDefaultRule();
  }

  /** The OUT check at an NSX source and the IN check at an NSX destination. */
  public evaluate(source: Host, destination: Host, query: Traffic): LayerVerdict[] {
    const from = nsxOf(source);
    const to = nsxOf(destination);
    if (!from && !to) {
      return this.present ? [skippedVerdict(LAYER, 'distributed firewall', 'neither end is a VM behind the NSX distributed firewall', query)] : [];
    }
    return [
      ...(from ? [this.check(source, destination, source, 'OUT', query)] : []),
      ...(to ? [this.check(source, destination, destination, 'IN', query)] : []),
    ];
  }

  private check(source: Host, destination: Host, at: Host, direction: 'IN' | 'OUT', query: Traffic): LayerVerdict {
    const candidates = this.candidates(source, destination, at, direction);
    const walk = this.walk(query, candidates, 'as-read');
    const other = direction === 'OUT' ? destination : source;
    const preposition = direction === 'OUT' ? 'to' : 'from';
    const verdict = decidedVerdict({
      layer: LAYER,
      point: `${direction} at vNIC of ${at.name}`,
      query,
      allowed: walk.allowed,
      decidingRules: walk.deciding,
      allowedReason: `the distributed firewall allows ${trafficText(query)} ${preposition} ${other.name} at ${at.name}`,
      deniedReason: `the distributed firewall drops ${trafficText(walk.denied)} ${preposition} ${other.name} at ${at.name}`,
    });
    return unlessUnresolved(verdict, this.doubt(query, candidates), other.name);
  }

  /**
   * The rules of a direction that may match the pair at `at`, in order. A rule that cannot match
   * decides nothing under any assumption and is left out (a matrix asks every cell about every
   * rule), except an Application rule while traffic that jumped waits for that category: there
   * {@link walk} releases it.
   */
  private candidates(source: Host, destination: Host, at: Host, direction: 'IN' | 'OUT'): DfwCandidate[] {
    const candidates: DfwCandidate[] = [];
    let jumpPending = false;
    const applied = this.boundsOf(at).applied;
    const asSource = this.boundsOf(source).asSource;
    const asDestination = this.boundsOf(destination).asDestination;
    for (let index = 0; index < this.rules.length; index++) {
      const rule = this.rules[index];
      if (rule.direction !== 'IN_OUT' && rule.direction !== direction) continue;
      const bounds = weakestBounds(applied[index], weakestBounds(asSource[index], asDestination[index]));
      const jump = rule.action === 'JUMP_TO_APPLICATION';
      const application = rule.category === 'Application';
      if (bounds.most === 'none' && !(application && jumpPending)) continue;
      if (application) jumpPending = false;
      if (jump) jumpPending = true;
      candidates.push({
        ...boundedCandidate(rule.action === 'DROP' || rule.action === 'REJECT' ? 'deny' : 'allow', rule.traffic, bounds, rule.origin),
        category: rule.category,
        jump,
      });
    }
    return candidates;
  }

  /**
   * Unresolved addresses in the groups of ALLOW and DROP rules bound what passes (see Assumption). A
   * jump is neither: more matching may let traffic skip a later drop or meet an Application drop, so a
   * jump that may match through an unresolved address leaves the point in doubt whenever it touches the query.
   */
  private doubt(query: Traffic, candidates: readonly DfwCandidate[]): UnresolvedDoubt | undefined {
    const doubt = unresolvedDoubt(query, candidates, (assumption) => this.walk(query, candidates, assumption).allowed);
    const jumps = candidates.filter((candidate) => candidate.jump && candidate.possible
      && !isNoTraffic(intersectTraffic(candidate.possible.touched, query)));
    if (jumps.length === 0) return doubt;
    const asRead = intersectTraffic(query, this.walk(query, candidates, 'as-read').allowed);
    return { certainlyAllowed: doubt ? intersectTraffic(doubt.certainlyAllowed, asRead) : NO_TRAFFIC, rules: [...jumps, ...(doubt?.rules ?? [])] };
  }

  private walk(query: Traffic, candidates: readonly DfwCandidate[], assumption: Assumption): TableWalk {
    let remaining = query;
    let jumped = NO_TRAFFIC;
    let allowed = NO_TRAFFIC;
    let denied = NO_TRAFFIC;
    const deciding: DecidingRule[] = [];
    for (const candidate of candidates) {
      if (candidate.category === 'Application' && !isNoTraffic(jumped)) {
        remaining = unionTraffic(remaining, jumped);
        jumped = NO_TRAFFIC;
      }
      if (isNoTraffic(remaining)) {
        // traffic that jumped skips the rest of its category and waits for the Application rules
        if (isNoTraffic(jumped)) break;
        continue;
      }
      const traffic = trafficUnder(candidate, assumption);
      const stops = candidate.action === 'deny';
      const decided = intersectTraffic(remaining, stops ? traffic.touched : traffic.full);
      if (isNoTraffic(decided)) continue;
      remaining = subtractTraffic(remaining, decided);
      deciding.push(candidate.rule);
      if (stops) denied = unionTraffic(denied, decided);
      else if (candidate.jump) jumped = unionTraffic(jumped, decided);
      else allowed = unionTraffic(allowed, decided);
    }
    remaining = unionTraffic(remaining, jumped);
    if (isNoTraffic(remaining)) return { allowed, denied, deciding };
    deciding.push(this.defaultRule.rule);
    return this.defaultRule.action === 'allow'
      ? { allowed: unionTraffic(allowed, remaining), denied, deciding }
      : { allowed, denied: unionTraffic(denied, remaining), deciding };
  }

  /** How a host matches each rule's applied-to groups, sources and destinations (by rule index), found once per host. */
  private boundsOf(host: Host): HostRuleBounds {
    return valueFor(this.ruleBounds, host, () => ({
      applied: this.rules.map((rule) => (rule.appliedTo.length === 0 ? exactBounds('full') : this.memberOfAny(rule.appliedTo, host))),
      asSource: this.rules.map((rule) => this.side(rule.sources, rule.sourcesExcluded, host)),
      asDestination: this.rules.map((rule) => this.side(rule.destinations, rule.destinationsExcluded, host)),
    }));
  }

  private side(groups: readonly string[], excluded: boolean, host: Host): MatchBounds {
    if (groups.length === 0) return exactBounds('full');
    const level = this.memberOfAny(groups, host);
    return excluded ? negatedBounds(level) : level;
  }

  private memberOfAny(groups: readonly string[], host: Host): MatchBounds {
    const known = valueFor(this.memberships, host, () => new Map<string, MatchBounds>());
    let best = exactBounds('none');
    for (const identity of groups) {
      best = bestBounds(best, valueFor(known, identity, () => {
        const group = this.lookup(identity);
        return group ? nsxMembershipBounds(group, host, this.lookup) : exactBounds(nsxOf(host)?.groups.includes(identity) ? 'full' : 'none');
      }));
    }
    return best;
  }

  private readDefaultRule(): { action: 'allow' | 'deny'; rule: DecidingRule } {
    const predefined = this.estate.model.resourcesOfType('nsxt_policy_predefined_security_policy')
      .find((resource) => blocksAt(resource.body, 'default_rule').length > 0);
    const block = predefined ? blocksAt(predefined.body, 'default_rule')[0] : undefined;
    const action = String(block?.action ?? 'ALLOW').toUpperCase();
    const deny = action === 'DROP' || action === 'REJECT';
    const address = predefined ? `${this.estate.naming.addressOf(predefined.key)}.default_rule` : 'NSX default Layer-3 rule';
    const summary = predefined ? `default Layer-3 rule set to ${action}` : 'default Layer-3 rule ALLOW (unchanged platform default)';
    return { action: deny ? 'deny' : 'allow', rule: { address, constructPath: predefined?.constructPath, flows: [], summary } };
  }
}
