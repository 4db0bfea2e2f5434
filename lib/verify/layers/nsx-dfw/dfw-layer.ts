import { DfwRule, readDfwRules } from './dfw-rules';
import { Estate } from '../../estate/estate';
import { Host } from '../../estate/host';
import { nsxMembership } from '../../estate/nsx-groups';
import { blocksAt } from '../../model/terraform-model';
import { MatchLevel, bestMatch, restrictToMatch, weakestMatch } from '../../net/rule-traffic';
import {
  NO_TRAFFIC, Traffic, intersectTraffic, isNoTraffic, subtractTraffic, unionTraffic,
} from '../../net/traffic';
import { DecidingRule, Layer, LayerVerdict } from '../layer-verdict';
import { decidedVerdict, skippedVerdict, trafficText } from '../verdicts';

const LAYER = 'nsx-dfw';

/** The outcome of walking the rule table at one vNIC. */
interface TableWalk {
  readonly allowed: Traffic;
  readonly denied: Traffic;
  readonly deciding: readonly DecidingRule[];
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

  constructor(private readonly estate: Estate) {
    this.present = estate.nsx.present;
    this.rules = readDfwRules(estate);
    this.defaultRule = this.readDefaultRule();
  }

  /** The OUT check at an NSX source and the IN check at an NSX destination. */
  public evaluate(source: Host, destination: Host, query: Traffic): LayerVerdict[] {
    if (!source.nsx && !destination.nsx) {
      return this.present ? [skippedVerdict(LAYER, 'distributed firewall', 'neither end is a VM behind the NSX distributed firewall', query)] : [];
    }
    return [
      ...(source.nsx ? [this.check(source, destination, source, 'OUT', query)] : []),
      ...(destination.nsx ? [this.check(source, destination, destination, 'IN', query)] : []),
    ];
  }

  private check(source: Host, destination: Host, at: Host, direction: 'IN' | 'OUT', query: Traffic): LayerVerdict {
    const walk = this.walk(source, destination, at, direction, query);
    const other = direction === 'OUT' ? destination : source;
    const preposition = direction === 'OUT' ? 'to' : 'from';
    return decidedVerdict({
      layer: LAYER,
      point: `${direction} at vNIC of ${at.name}`,
      query,
      allowed: walk.allowed,
      decidingRules: walk.deciding,
      allowedReason: `the distributed firewall allows ${trafficText(query)} ${preposition} ${other.name} at ${at.name}`,
      deniedReason: `the distributed firewall drops ${trafficText(walk.denied)} ${preposition} ${other.name} at ${at.name}`,
    });
  }

  private walk(source: Host, destination: Host, at: Host, direction: 'IN' | 'OUT', query: Traffic): TableWalk {
    let remaining = query;
    let jumped = NO_TRAFFIC;
    let allowed = NO_TRAFFIC;
    let denied = NO_TRAFFIC;
    const deciding: DecidingRule[] = [];
    for (const rule of this.rules) {
      if (rule.category === 'Application' && !isNoTraffic(jumped)) {
        remaining = unionTraffic(remaining, jumped);
        jumped = NO_TRAFFIC;
      }
      if (isNoTraffic(remaining)) break;
      if (rule.direction !== 'IN_OUT' && rule.direction !== direction) continue;
      const traffic = restrictToMatch(rule.traffic, this.ruleMatch(rule, source, destination, at));
      const stops = rule.action === 'DROP' || rule.action === 'REJECT';
      const decided = intersectTraffic(remaining, stops ? traffic.touched : traffic.full);
      if (isNoTraffic(decided)) continue;
      remaining = subtractTraffic(remaining, decided);
      deciding.push(rule.origin);
      if (stops) denied = unionTraffic(denied, decided);
      else if (rule.action === 'JUMP_TO_APPLICATION') jumped = unionTraffic(jumped, decided);
      else allowed = unionTraffic(allowed, decided);
    }
    remaining = unionTraffic(remaining, jumped);
    if (isNoTraffic(remaining)) return { allowed, denied, deciding };
    deciding.push(this.defaultRule.rule);
    return this.defaultRule.action === 'allow'
      ? { allowed: unionTraffic(allowed, remaining), denied, deciding }
      : { allowed, denied: unionTraffic(denied, remaining), deciding };
  }

  private ruleMatch(rule: DfwRule, source: Host, destination: Host, at: Host): MatchLevel {
    const applies = rule.appliedTo.length === 0 ? 'full' : this.memberOfAny(rule.appliedTo, at);
    const from = this.side(rule.sources, rule.sourcesExcluded, source);
    const to = this.side(rule.destinations, rule.destinationsExcluded, destination);
    return weakestMatch(applies, weakestMatch(from, to));
  }

  private side(groups: readonly string[], excluded: boolean, host: Host): MatchLevel {
    if (groups.length === 0) return 'full';
    const level = this.memberOfAny(groups, host);
    if (!excluded) return level;
    return level === 'full' ? 'none' : level === 'none' ? 'full' : 'partial';
  }

  private memberOfAny(groups: readonly string[], host: Host): MatchLevel {
    const lookup = (key: string) => this.estate.nsx.group(key);
    return groups
      .map((identity) => {
        const group = lookup(identity);
        if (group) return nsxMembership(group, host, lookup);
        return host.nsx?.groups.includes(identity) ? 'full' : 'none';
      })
      .reduce(bestMatch, 'none' as MatchLevel);
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
