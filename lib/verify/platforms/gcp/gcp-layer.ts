import { GcpFacts, gcpFacts } from './gcp-facts';
import { GCP_SECURE_TAG, GcpVm, gcpOf } from './gcp-host';
import { GcpAction, GcpPolicies, GcpRule, GcpSelectors, gcpPolicies } from './gcp-rules';
import { addressMatchBounds } from '../../estate/address-match';
import type { Estate } from '../../estate/estate';
import { Host, hostWithAddresses, isHostAddress } from '../../estate/host';
import { DecidingRule, Layer, LayerVerdict } from '../../layers/layer-verdict';
import { Assumption, CandidateRule, unresolvedDoubt } from '../../layers/ordered-evaluation';
import { decidedVerdict, skippedVerdict, trafficText, unknownVerdict, unlessUnresolved } from '../../layers/verdicts';
import { MatchBounds, bestBounds, exactBounds, matchBounds, weakestBounds } from '../../net/match-bounds';
import { MatchLevel, RuleTraffic, restrictToMatch } from '../../net/rule-traffic';
import {
  NO_TRAFFIC, Traffic, intersectTraffic, isNoTraffic, subtractTraffic, unionTraffic,
} from '../../net/traffic';

/** The layer id of Google Cloud firewalls (hierarchical policies, VPC firewall rules, network firewall policies, implied rules). */
export const GCP_FIREWALL_LAYER = 'gcp-firewall';

/** A rule ready to be evaluated for one VM and one peer. */
interface GcpCandidate {
  readonly action: GcpAction;
  /** The traffic it matches, as read. */
  readonly traffic: RuleTraffic;
  /** The traffic it would match if its unresolved address were the peer's. */
  readonly possible?: RuleTraffic;
  readonly unresolvedAddress?: string;
  readonly rule: DecidingRule;
}

/** One list of rules on the path, in Google's evaluation order. */
interface Tier {
  readonly label: string;
  readonly candidates: readonly GcpCandidate[];
}

/** What a chain of tiers decided. */
interface ChainOutcome {
  readonly allowed: Traffic;
  readonly denied: Traffic;
  readonly notEvaluated: Traffic;
  readonly deciding: readonly DecidingRule[];
  readonly firstAllow?: DecidingRule;
  readonly firstDeny?: DecidingRule;
}

/**
 * Google Cloud's firewalls, evaluated for a new connection as Cloud NGFW does: at the source VM's
 * interface for egress and at the destination VM's interface for ingress (connections are stateful:
 * the reply needs no rule). Each point evaluates, in order, the hierarchical firewall policies
 * (organization, then folders), then the VPC firewall rules and the network's global and regional
 * network firewall policies in the network's enforcement order (`AFTER_CLASSIC_FIREWALL`, the
 * default: VPC firewall rules first), then the implied rules (egress allowed, ingress denied). In a
 * policy the first matching rule by priority decides: `allow` and `deny` end the evaluation,
 * `goto_next` goes on to the next list; among VPC firewall rules a deny wins over an allow of equal
 * priority.
 */
export class GcpFirewallLayer implements Layer {
  public readonly id = GCP_FIREWALL_LAYER;
  /** Whether the JSON holds any Google Cloud firewall or VM. */
  public readonly present: boolean;
  private readonly facts: GcpFacts;
  private readonly policies: GcpPolicies;
  private readonly members = new WeakMap<Host, readonly Host[]>();

  constructor(private readonly estate: Estate, vmTypes: readonly string[]) {
    this.facts = gcpFacts(estate);
    this.policies = gcpPolicies(estate);
    this.present = this.policies.present || vmTypes.some((type) => estate.model.resourcesOfType(type).length > 0);
  }

  public evaluate(source: Host, destination: Host, query: Traffic): LayerVerdict[] {
    const from = gcpOf(source);
    const to = gcpOf(destination);
    if (!from && !to) return this.present ? [skippedVerdict(GCP_FIREWALL_LAYER, 'Google Cloud firewalls', 'neither end is a Google Cloud VM', query)] : [];
    return [
      ...(from ? [this.point('egress', source, from, destination, query)] : []),
      ...(to ? [this.point('ingress', destination, to, source, query)] : []),
    ];
  }

  private point(direction: 'ingress' | 'egress', host: Host, vm: GcpVm, peer: Host, query: Traffic): LayerVerdict {
    const networkName = vm.network === undefined ? 'an unknown network' : this.estate.naming.describe(vm.network);
    const point = `${direction} of ${host.name} in network ${networkName}`;
    if (vm.network === undefined) {
      return unknownVerdict(GCP_FIREWALL_LAYER, point, `the Terraform JSON does not say which VPC network ${host.name}'s interface is in, so its firewall rules are unknown`);
    }
    if (this.policies.unreadPolicies.length > 0) {
      const names = this.policies.unreadPolicies.map((key) => this.estate.naming.addressOf(key)).join(', ');
      return unknownVerdict(GCP_FIREWALL_LAYER, point, `${names} holds its rules inline, which the evaluator does not read`);
    }
    const order = this.facts.enforcementOrder(vm.network);
    const tiers = this.tiers(direction, vm, vm.network, peer, host, this.estate.naming.addressOf(vm.network), order.order);
    const implied: DecidingRule = {
      address: `${this.estate.naming.addressOf(vm.network)} implied rule ${direction === 'ingress' ? 'deny ingress' : 'allow egress'}`,
      flows: [],
      summary: `implied rule, priority 65535: ${direction === 'ingress' ? 'deny every incoming connection' : 'allow every outgoing connection'}`,
    };
    const run = (assumption: Assumption, gotoNextTakes: 'full' | 'touched') => chain(query, tiers, direction === 'egress', implied, assumption, gotoNextTakes);
    // a goto_next rule that matches only part of a peer may or may not send it on: what passes either way passes
    const allowedUnder = (assumption: Assumption) => intersectTraffic(run(assumption, 'full').allowed, run(assumption, 'touched').allowed);
    const outcome = run('as-read', 'full');
    const allowed = allowedUnder('as-read');
    const preposition = direction === 'ingress' ? 'from' : 'to';
    const orderNote = this.orderNote(tiers, order.order, order.source, networkName);
    const decisive = (rule: DecidingRule | undefined) => (rule ? `${rule.address} (${rule.summary})` : 'no rule');
    const verdict = decidedVerdict({
      layer: GCP_FIREWALL_LAYER,
      point,
      query,
      allowed,
      decidingRules: outcome.deciding,
      allowedReason: `${decisive(outcome.firstAllow)} allows ${trafficText(query)} ${preposition} ${peer.name}${orderNote}`,
      deniedReason: `${decisive(outcome.firstDeny ?? outcome.firstAllow)} ${outcome.firstDeny ? 'denies' : 'does not allow'} `
        + `${trafficText(isNoTraffic(outcome.denied) ? subtractTraffic(query, allowed) : outcome.denied)} ${preposition} ${peer.name}${orderNote}`,
    });
    const stopped = intersectTraffic(query, outcome.notEvaluated);
    if (!isNoTraffic(stopped)) {
      return unknownVerdict(GCP_FIREWALL_LAYER, point,
        `${verdict.reason}, but a rule whose action the evaluator does not model (${outcome.deciding.filter((rule) => rule.summary.endsWith('(action not evaluated)')).map((rule) => rule.address).join(', ') || 'apply_security_profile_group'}) decides ${trafficText(stopped)}: not evaluated`,
        intersectTraffic(query, allowed), outcome.deciding);
    }
    const plain = tiers.flatMap((tier) => tier.candidates).filter((candidate): candidate is GcpCandidate & CandidateRule => candidate.action === 'allow' || candidate.action === 'deny');
    const doubt = unresolvedDoubt(query, plain, allowedUnder);
    return unlessUnresolved(verdict, doubt, peer.name);
  }

  private orderNote(tiers: readonly Tier[], order: string, source: string, networkName: string): string {
    if (source === 'network not in the JSON') {
      return `; ${networkName} is not in the Terraform JSON: its enforcement order is taken as the default ${order}, and VPC firewall rules `
        + 'that are not in the JSON (such as default-allow-internal) are not evaluated';
    }
    const hasClassic = tiers.some((tier) => tier.label.startsWith('VPC firewall rules') && tier.candidates.length > 0);
    const hasPolicy = tiers.some((tier) => tier.label.includes('network firewall policy'));
    if (!hasClassic || !hasPolicy) return '';
    const first = order === 'BEFORE_CLASSIC_FIREWALL' ? 'network firewall policies before VPC firewall rules' : 'VPC firewall rules before network firewall policies';
    return `; ${networkName} evaluates ${first} (${order}, ${source})`;
  }

  /** The rule lists on the path of one VM's point, in Google's evaluation order. */
  private tiers(direction: 'ingress' | 'egress', vm: GcpVm, network: string, peer: Host, own: Host, networkName: string, order: string): Tier[] {
    const candidates = (rules: readonly GcpRule[], label: string): GcpCandidate[] => rules
      .filter((rule) => rule.direction === direction && this.targets(rule, vm))
      .map((rule) => this.candidate(rule, own, peer, direction, label))
      .filter((candidate): candidate is GcpCandidate => candidate !== undefined);
    const tier = (label: string, rules: readonly GcpRule[]): Tier => ({ label, candidates: candidates(rules, label) });
    const hierarchical = this.policies.hierarchical.map((association) =>
      tier(`hierarchical firewall policy ${this.estate.naming.addressOf(association.policy)} (${association.attachment})`, this.policies.rulesOf(association.policy)));
    const associations = this.policies.associationsOf(network);
    const global = associations.filter((association) => association.kind === 'network')
      .map((association) => tier(`global network firewall policy ${this.estate.naming.addressOf(association.policy)}`, this.policies.rulesOf(association.policy)));
    const regional = associations
      .filter((association) => association.kind === 'regional' && (association.region === undefined || vm.region === undefined || association.region === vm.region))
      .map((association) => tier(`regional network firewall policy ${this.estate.naming.addressOf(association.policy)}`, this.policies.rulesOf(association.policy)));
    const classic = tier(`VPC firewall rules of ${networkName}`, this.policies.classicRulesOf(network));
    return order === 'BEFORE_CLASSIC_FIREWALL'
      ? [...hierarchical, ...global, ...regional, classic]
      : [...hierarchical, classic, ...global, ...regional];
  }

  /** Whether a rule applies to the VM: its target networks, secure tags, network tags or service accounts (none: every VM of the network). */
  private targets(rule: GcpRule, vm: GcpVm): boolean {
    const { secureTags, networkTags, serviceAccounts, networks } = rule.targets;
    if (networks.length > 0 && !(vm.network !== undefined && networks.includes(vm.network))) return false;
    if (secureTags.length + networkTags.length + serviceAccounts.length === 0) return true;
    return secureTags.some((tag) => this.facts.carriesTag(vm, tag))
      || networkTags.some((tag) => vm.networkTags.includes(tag))
      || serviceAccounts.some((account) => vm.serviceAccounts.includes(account));
  }

  /** The rule as a candidate between the VM (`own`) and its peer, or undefined when it cannot match them. */
  private candidate(rule: GcpRule, own: Host, peer: Host, direction: 'ingress' | 'egress', label: string): GcpCandidate | undefined {
    const [peerSide, ownSide] = direction === 'ingress' ? [rule.sources, rule.destinations] : [rule.destinations, rule.sources];
    const bounds = weakestBounds(this.sideBounds(rule, peerSide, peer), this.ownBounds(ownSide, own));
    if (bounds.most === 'none') return undefined;
    const tagged = { ...rule.origin, summary: `${label}: ${rule.origin.summary}${rule.action === 'not-evaluated' ? ' (action not evaluated)' : ''}` };
    const asRead = { action: rule.action, traffic: restrictToMatch(rule.traffic, bounds.least), rule: tagged };
    if (bounds.unresolved === undefined) return asRead;
    return { ...asRead, possible: restrictToMatch(rule.traffic, bounds.most), unresolvedAddress: bounds.unresolved };
  }

  /**
   * How the peer matches one side of a rule: any of its parameters; an empty side matches everyone.
   * A hypothetical member of secure tag values that stands for real VMs (and has no address of its
   * own) matches addresses as they do: fully when the side covers every one of them, in part when it
   * covers some (a deny takes it, an allow does not).
   */
  private sideBounds(rule: GcpRule, side: GcpSelectors, peer: Host): MatchBounds {
    const count = side.ranges.length + side.secureTags.length + side.networkTags.length + side.serviceAccounts.length + side.unread.length;
    if (count === 0) return exactBounds('full');
    return this.forEveryMember(peer, (addressed) => this.sideBoundsAt(rule, side, peer, addressed));
  }

  private sideBoundsAt(rule: GcpRule, side: GcpSelectors, peer: Host, addressed: Host): MatchBounds {
    const peerVm = gcpOf(peer);
    const levels: MatchBounds[] = [
      ...side.ranges.map((range) => addressMatchBounds(range, addressed)),
      ...side.secureTags.map((tag) => exactBounds(this.tagMatch(tag, peer, peerVm))),
      // a network tag names VMs of the rule's own network only
      ...side.networkTags.map((tag) => exactBounds(peerVm?.networkTags.includes(tag) && peerVm.network === rule.network ? 'full' : 'none')),
      ...side.serviceAccounts.map((account) => exactBounds(peerVm?.serviceAccounts.includes(account) ? 'full' : 'none')),
      // an address group, FQDN, region or threat list may or may not hold the peer: a deny takes it, an allow never does
      ...side.unread.map(() => exactBounds('partial')),
    ];
    return levels.reduce(bestBounds, exactBounds('none'));
  }

  /** A condition on the VM's own address (`dest_ip_ranges` of an ingress rule, `src_ip_ranges` of an egress rule). */
  private ownBounds(side: GcpSelectors, own: Host): MatchBounds {
    if (side.ranges.length + side.unread.length === 0) return exactBounds('full');
    return this.forEveryMember(own, (addressed) => [
      ...side.ranges.map((range) => addressMatchBounds(range, addressed)),
      ...side.unread.map(() => exactBounds('partial')),
    ].reduce(bestBounds, exactBounds('none')));
  }

  /** A match as the host itself, or as every real VM it stands for: full when all match fully, in part when some match. */
  private forEveryMember(host: Host, match: (addressed: Host) => MatchBounds): MatchBounds {
    const members = this.memberHosts(host);
    if (members.length === 0) return match(host);
    const each = members.map(match);
    const all = (levels: readonly MatchLevel[]): MatchLevel =>
      (levels.every((level) => level === 'full') ? 'full' : levels.some((level) => level !== 'none') ? 'partial' : 'none');
    const unresolved = each.find((bounds) => bounds.unresolved)?.unresolved;
    return matchBounds(all(each.map((bounds) => bounds.least)), all(each.map((bounds) => bounds.most)), unresolved);
  }

  /** The real VMs a hypothetical member stands for, as hosts with their own addresses; none for any other host. */
  private memberHosts(host: Host): readonly Host[] {
    const cached = this.members.get(host);
    if (cached) return cached;
    const vm = gcpOf(host);
    const addressed = host.symbolicAddresses.length > 0 || host.ranges.some(isHostAddress);
    const hosts = addressed || !vm?.members ? [] : vm.members.flatMap((key) => {
      const resource = this.estate.model.resource(key);
      const facts = resource ? this.facts.vmFacts(resource) : undefined;
      return facts ? [hostWithAddresses({ name: key }, facts.addresses, facts.ranges)] : [];
    });
    this.members.set(host, hosts);
    return hosts;
  }

  /** A source secure tag matches VMs that carry the value in the tag key's network, or a tag value given by id. */
  private tagMatch(tag: string, peer: Host, peerVm: GcpVm | undefined): MatchLevel {
    if (peer.namedPeer?.kind === GCP_SECURE_TAG) return peer.namedPeer.value === tag ? 'full' : 'none';
    return peerVm !== undefined && this.facts.carriesTag(peerVm, tag) ? 'full' : 'none';
  }
}

/**
 * Evaluates the tiers in order over the queried traffic: in each, the first matching rule decides
 * what it matches (an allow what it fully matches, a deny what it touches, a goto_next sends it to
 * the next tier); what no tier decides meets the implied rule.
 */
function chain(
  query: Traffic, tiers: readonly Tier[], impliedAllows: boolean, implied: DecidingRule, assumption: Assumption, gotoNextTakes: 'full' | 'touched',
): ChainOutcome {
  let remaining = query;
  let allowed = NO_TRAFFIC;
  let denied = NO_TRAFFIC;
  let notEvaluated = NO_TRAFFIC;
  const deciding: DecidingRule[] = [];
  let firstAllow: DecidingRule | undefined;
  let firstDeny: DecidingRule | undefined;
  for (const tier of tiers) {
    let inTier = remaining;
    for (const candidate of tier.candidates) {
      if (isNoTraffic(inTier)) break;
      const traffic = trafficOf(candidate, assumption);
      const takes = candidate.action === 'allow' || (candidate.action === 'goto_next' && gotoNextTakes === 'full') ? traffic.full : traffic.touched;
      const decided = intersectTraffic(inTier, takes);
      if (isNoTraffic(decided)) continue;
      inTier = subtractTraffic(inTier, decided);
      deciding.push(candidate.rule);
      if (candidate.action === 'goto_next') continue;
      remaining = subtractTraffic(remaining, decided);
      if (candidate.action === 'allow') {
        allowed = unionTraffic(allowed, decided);
        firstAllow ??= candidate.rule;
      } else if (candidate.action === 'deny') {
        denied = unionTraffic(denied, decided);
        firstDeny ??= candidate.rule;
      } else {
        notEvaluated = unionTraffic(notEvaluated, decided);
      }
    }
  }
  if (!isNoTraffic(remaining)) {
    deciding.push(implied);
    if (impliedAllows) {
      allowed = unionTraffic(allowed, remaining);
      firstAllow ??= implied;
    } else {
      denied = unionTraffic(denied, remaining);
      firstDeny ??= implied;
    }
  }
  return { allowed, denied, notEvaluated, deciding, ...(firstAllow ? { firstAllow } : {}), ...(firstDeny ? { firstDeny } : {}) };
}

function trafficOf(candidate: GcpCandidate, assumption: Assumption): RuleTraffic {
  const assumed = (assumption === 'deny-rules-match' && candidate.action === 'deny')
    || (assumption === 'allow-rules-match' && candidate.action === 'allow');
  return assumed ? candidate.possible ?? candidate.traffic : candidate.traffic;
}
