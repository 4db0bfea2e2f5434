import { SecurityGroupPeer, SecurityGroupRule, SecurityGroupRules, readSecurityGroupRules } from './sg-rules';
import { addressMatchBounds } from '../../../estate/address-match';
import type { Estate } from '../../../estate/estate';
import { Host } from '../../../estate/host';
import { Layer, LayerVerdict, PointPass, stopsEverything } from '../../../layers/layer-verdict';
import { CandidateRule, boundedCandidate, unionOfAllows, unresolvedDoubt } from '../../../layers/ordered-evaluation';
import { decidedVerdict, skippedVerdict, trafficText, unknownVerdict, unlessUnresolved } from '../../../layers/verdicts';
import { MatchBounds, exactBounds } from '../../../net/match-bounds';
import { restrictToMatch } from '../../../net/rule-traffic';
import { NO_TRAFFIC, Traffic, coversTraffic, intersectTraffic, subtractTraffic, unionTraffic } from '../../../net/traffic';
import { AWS_PREFIX_LIST, AwsInterface, awsOf } from '../aws-host';

const LAYER = 'aws-security-group';

/** One direction of an interface: the rules of its groups and how the groups are named. */
interface InterfaceSide {
  readonly rules: readonly SecurityGroupRule[];
  readonly groupNames: string;
  readonly unseen: readonly string[];
}

/** One direction of an interface for the verdict-only path: its rules by the group they name, the others apart. */
interface IndexedSide {
  /** The rules whose peer is a group, by that group's identity. */
  readonly byPeerGroup: ReadonlyMap<string, readonly SecurityGroupRule[]>;
  /** The rules whose peer is an address or a prefix list. */
  readonly others: readonly SecurityGroupRule[];
  /** Whether a group on the interface is not in the JSON (or the platform attaches one): traffic no rule allows is then unknown, not denied. */
  readonly partlyUnseen: boolean;
}

/**
 * AWS security groups: allow-only and stateful. The union of the rules of every group on an
 * interface applies; the source's egress and the destination's ingress must both allow.
 */
export class SecurityGroupLayer implements Layer {
  /** The layer id. */
  public readonly id = LAYER;
  /** Whether the JSON has security groups or their rules. */
  public readonly present: boolean;
  private readonly rules: SecurityGroupRules;
  private readonly ingressSides = new WeakMap<AwsInterface, InterfaceSide>();
  private readonly egressSides = new WeakMap<AwsInterface, InterfaceSide>();
  private readonly indexedIngress = new WeakMap<AwsInterface, IndexedSide>();
  private readonly indexedEgress = new WeakMap<AwsInterface, IndexedSide>();

  constructor(private readonly estate: Estate) {
    this.rules = readSecurityGroupRules(estate);
    this.present = ['aws_security_group', 'aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule', 'aws_security_group_rule']
      .some((type) => estate.model.resourcesOfType(type).length > 0);
  }

  /** The egress point of an AWS source and the ingress point of an AWS destination. */
  public evaluate(source: Host, destination: Host, query: Traffic): LayerVerdict[] {
    const from = awsOf(source)?.interface;
    const to = awsOf(destination)?.interface;
    if (!from && !to) {
      return this.present ? [skippedVerdict(LAYER, 'security groups', 'neither end is an AWS interface', query)] : [];
    }
    return [
      ...(from ? [this.side(source, destination, 'egress', query)] : []),
      ...(to ? [this.side(destination, source, 'ingress', query)] : []),
    ];
  }

  /**
   * {@link evaluate}'s points, verdict only: a group rule is found by the other end's groups instead
   * of tried one by one, and the destination's ingress is left out when the source's egress passes nothing.
   */
  public passes(source: Host, destination: Host, query: Traffic): PointPass[] {
    const from = awsOf(source)?.interface;
    const to = awsOf(destination)?.interface;
    if (!from && !to) return this.present ? [{ status: 'skipped', allowedTraffic: query }] : [];
    const egress = from ? this.sidePass(source, destination, 'egress', query) : undefined;
    if (!to) return [egress!];
    if (egress && stopsEverything(egress)) return [egress];
    const ingress = this.sidePass(destination, source, 'ingress', query);
    return egress ? [egress, ingress] : [ingress];
  }

  /** What {@link side} decides, without its explanation. */
  private sidePass(host: Host, other: Host, direction: 'ingress' | 'egress', query: Traffic): PointPass {
    const awsInterface = awsOf(host)?.interface;
    if (!awsInterface?.securityGroupsKnown) return { status: 'unknown', allowedTraffic: NO_TRAFFIC };
    const side = this.indexedSideOf(awsInterface, direction);
    const aws = awsOf(other);
    let allowed = groupRulesTraffic(side, aws?.interface?.securityGroups, NO_TRAFFIC);
    allowed = groupRulesTraffic(side, aws?.memberOf, allowed);
    for (const rule of side.others) {
      const bounds = this.peerMatch(rule.peer, other);
      // An address the JSON does not resolve may make the point unknown: the explained path weighs it.
      if (bounds.unresolved !== undefined) return this.side(host, other, direction, query);
      allowed = unionTraffic(allowed, restrictToMatch(rule.traffic, bounds.least).full);
    }
    const passing = intersectTraffic(query, allowed);
    if (coversTraffic(passing, query)) return { status: 'allowed', allowedTraffic: passing };
    return { status: side.partlyUnseen ? 'unknown' : 'denied', allowedTraffic: passing };
  }

  private indexedSideOf(awsInterface: AwsInterface, direction: 'ingress' | 'egress'): IndexedSide {
    const cache = direction === 'ingress' ? this.indexedIngress : this.indexedEgress;
    let indexed = cache.get(awsInterface);
    if (!indexed) {
      const { rules, unseen } = this.sideOf(awsInterface, direction);
      const byPeerGroup = new Map<string, SecurityGroupRule[]>();
      const others: SecurityGroupRule[] = [];
      for (const rule of rules) {
        if (rule.peer.kind !== 'group') others.push(rule);
        else if (byPeerGroup.has(rule.peer.identity)) byPeerGroup.get(rule.peer.identity)!.push(rule);
        else byPeerGroup.set(rule.peer.identity, [rule]);
      }
      indexed = { byPeerGroup, others, partlyUnseen: unseen.length > 0 || Boolean(awsInterface.platformGroup) };
      cache.set(awsInterface, indexed);
    }
    return indexed;
  }

  private side(host: Host, other: Host, direction: 'ingress' | 'egress', query: Traffic): LayerVerdict {
    const point = `${direction} of ${host.name}`;
    const awsInterface = awsOf(host)?.interface;
    if (!awsInterface?.securityGroupsKnown) {
      return unknownVerdict(LAYER, point, `${host.name} has no security groups in the Terraform JSON; the VPC default security group would apply and it is not visible`);
    }
    const { rules, groupNames, unseen } = this.sideOf(awsInterface, direction);
    // A group rule whose peer group the other end is not in matches nothing and decides nothing: it is left out.
    const candidates = rules.filter((rule) => rule.peer.kind !== 'group' || this.inGroup(other, rule.peer.identity)).map((rule) => this.candidate(rule, other));
    const decision = unionOfAllows(query, candidates);
    const preposition = direction === 'ingress' ? 'from' : 'to';
    const verdict = decidedVerdict({
      layer: LAYER,
      point,
      query,
      allowed: decision.allowed,
      decidingRules: decision.deciding,
      allowedReason: `${groupNames} allow ${trafficText(query)} ${preposition} ${other.name}`,
      deniedReason: `no ${direction} rule of ${groupNames} allows ${trafficText(subtractTraffic(query, decision.allowed))} ${preposition} ${other.name}; security groups deny by default`,
    });
    const doubt = unresolvedDoubt(query, candidates, (assumption) => unionOfAllows(query, candidates, assumption).allowed);
    if (doubt) return unlessUnresolved(verdict, doubt, other.name);
    const platformGroups = awsInterface.platformGroup ? [awsInterface.platformGroup] : [];
    const unseenNames = [...unseen.map((group) => this.estate.naming.describe(group)), ...platformGroups];
    if (verdict.allowed || unseenNames.length === 0 || coversTraffic(decision.allowed, query)) return verdict;
    return unknownVerdict(LAYER, point, `${verdict.reason}, but ${unseenNames.join(', ')} is not in the Terraform JSON and may allow it`, verdict.allowedTraffic, verdict.decidingRules);
  }

  /** The rules of an interface's groups in one direction and how to name the groups, read once per interface. */
  private sideOf(awsInterface: AwsInterface, direction: 'ingress' | 'egress'): InterfaceSide {
    const cache = direction === 'ingress' ? this.ingressSides : this.egressSides;
    let side = cache.get(awsInterface);
    if (!side) {
      const groups = awsInterface.securityGroups;
      side = {
        rules: groups.flatMap((group) => this.rules.get(`${group}|${direction}`) ?? []),
        groupNames: groups.map((group) => this.estate.naming.describe(group)).join(', ') || 'no security group',
        unseen: groups.filter((group) => !this.estate.model.resource(group)),
      };
      cache.set(awsInterface, side);
    }
    return side;
  }

  private inGroup(other: Host, group: string): boolean {
    const aws = awsOf(other);
    return Boolean(aws?.interface?.securityGroups.includes(group) || aws?.memberOf?.includes(group));
  }

  private candidate(rule: SecurityGroupRule, other: Host): CandidateRule {
    return boundedCandidate('allow', rule.traffic, this.peerMatch(rule.peer, other), rule.origin);
  }

  private peerMatch(peer: SecurityGroupPeer, other: Host): MatchBounds {
    switch (peer.kind) {
      case 'address':
        return addressMatchBounds(peer.text, other);
      case 'group': {
        return exactBounds(this.inGroup(other, peer.identity) ? 'full' : 'none');
      }
      case 'prefix-list':
        return exactBounds(other.namedPeer?.kind === AWS_PREFIX_LIST && other.namedPeer.value === peer.identity ? 'full' : 'none');
    }
  }
}

/** `allowed` with the traffic of the side's rules that name one of `groups` added. */
function groupRulesTraffic(side: IndexedSide, groups: readonly string[] | undefined, allowed: Traffic): Traffic {
  if (!groups) return allowed;
  let result = allowed;
  for (const group of groups) {
    const rules = side.byPeerGroup.get(group);
    if (rules) for (const rule of rules) result = unionTraffic(result, rule.traffic.full);
  }
  return result;
}
