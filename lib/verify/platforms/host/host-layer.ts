import { HostFacts, HostFirewallFacts, HostFirewallRule, hostFacts } from './host-facts';
import { addressMatchBounds } from '../../estate/address-match';
import type { Estate } from '../../estate/estate';
import { Host, isHostAddress } from '../../estate/host';
import { Layer, LayerVerdict } from '../../layers/layer-verdict';
import { CandidateRule, boundedCandidate, firstMatch, unresolvedDoubt } from '../../layers/ordered-evaluation';
import { decidedVerdict, skippedVerdict, trafficText, unlessUnresolved } from '../../layers/verdicts';
import { parseCidr } from '../../net/cidr';
import { MatchBounds, bestBounds, exactBounds, weakestBounds } from '../../net/match-bounds';
import { Traffic, isNoTraffic, unionTraffic } from '../../net/traffic';

const LAYER = 'host-firewall';

/** Names of the firewalls' chains per flavor, as verdicts name the points. */
const POINT_NAMES: Record<string, { in: string; out: string; product: string }> = {
  nftables: { in: 'input', out: 'output', product: 'nftables' },
  iptables: { in: 'INPUT', out: 'OUTPUT', product: 'iptables' },
  windows: { in: 'inbound', out: 'outbound', product: 'Windows Defender Firewall' },
};

/**
 * The workloads' own firewalls: at the source its output rules, at the destination its input
 * rules, each first match in order after established, related and loopback traffic, then the
 * default drop. Windows Defender Firewall applies every block rule before any allow rule.
 */
export class HostFirewallLayer implements Layer {
  /** The layer id. */
  public readonly id = LAYER;
  /** Whether the JSON has any host firewall. */
  public readonly present: boolean;
  private readonly facts: HostFacts;

  constructor(estate: Estate) {
    this.facts = estate.facts(hostFacts);
    this.present = this.facts.firewalls.length > 0;
  }

  /** The output check at a source with a host firewall and the input check at such a destination. */
  public evaluate(source: Host, destination: Host, query: Traffic): LayerVerdict[] {
    if (!this.present) return [];
    const from = this.firewallOf(source);
    const to = this.firewallOf(destination);
    if (!from && !to) return [skippedVerdict(LAYER, 'host firewalls', 'neither end runs a host firewall of the program', query)];
    return [
      ...(from ? [this.check(from, 'out', source, destination, query)] : []),
      ...(to ? [this.check(to, 'in', source, destination, query)] : []),
    ];
  }

  /** The host firewall of a host: the workload it is, or the one whose address it has. */
  private firewallOf(host: Host): HostFirewallFacts | undefined {
    if (host.namedPeer) return undefined;
    return this.facts.firewalls.find((firewall) => firewall.workload === host.name)
      ?? this.facts.firewalls.find((firewall) => firewall.addresses.some((address) => host.symbolicAddresses.includes(address)
        || (isHostAddress(address) && host.ranges.some((range) => sameAddress(range, address)))));
  }

  private check(firewall: HostFirewallFacts, direction: 'in' | 'out', source: Host, destination: Host, query: Traffic): LayerVerdict {
    const [at, other] = direction === 'out' ? [source, destination] : [destination, source];
    const names = POINT_NAMES[firewall.flavor] ?? POINT_NAMES.nftables;
    const ordered = firewall.flavor === 'windows'
      ? [...firewall.rules.filter((rule) => rule.action === 'deny'), ...firewall.rules.filter((rule) => rule.action === 'allow')]
      : firewall.rules;
    const candidates: CandidateRule[] = ordered
      .filter((rule) => rule.direction === direction)
      .map((rule) => boundedCandidate(rule.action, rule.traffic, this.ruleMatch(rule, at, other), rule.origin));
    const decision = firstMatch(query, candidates);
    const deciding = isNoTraffic(decision.undecided) ? decision.deciding : [...decision.deciding, firewall.defaultRule];
    const preposition = direction === 'out' ? 'to' : 'from';
    const verdict = decidedVerdict({
      layer: LAYER,
      point: `${names[direction]} of the ${names.product} host firewall of ${firewall.workload}`,
      query,
      allowed: decision.allowed,
      decidingRules: deciding,
      allowedReason: `the host firewall of ${firewall.workload} accepts ${trafficText(query)} ${preposition} ${other.name}`,
      deniedReason: `the host firewall of ${firewall.workload} drops ${trafficText(unionTraffic(decision.denied, decision.undecided))} ${preposition} ${other.name}`
        + (isNoTraffic(decision.undecided) ? '' : ' (no rule accepts it: default drop)'),
    });
    const doubt = unresolvedDoubt(query, candidates, (assumption) => firstMatch(query, candidates, assumption).allowed);
    return unlessUnresolved(verdict, doubt, other.name);
  }

  private ruleMatch(rule: HostFirewallRule, at: Host, other: Host): MatchBounds {
    const peer = rule.peers === undefined
      ? exactBounds('full')
      : rule.peers.map((address) => addressMatchBounds(address, other)).reduce(bestBounds, exactBounds('none'));
    const local = rule.local === undefined ? exactBounds('full') : addressMatchBounds(rule.local, at);
    return weakestBounds(peer, local);
  }
}

/** Whether two texts name the same single address (`10.0.0.5` and `10.0.0.5/32`). */
function sameAddress(a: string, b: string): boolean {
  const [x, y] = [parseCidr(a), parseCidr(b)];
  return x !== undefined && y !== undefined && x.prefix === y.prefix && x.address.toString() === y.address.toString();
}
