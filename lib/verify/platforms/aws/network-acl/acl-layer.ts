import { NetworkAclRule, aclRulesKey, readNetworkAclRules } from './acl-rules';
import { returnTrafficOf, servedRequests } from './return-traffic';
import { addressMatchBounds } from '../../../estate/address-match';
import type { Estate } from '../../../estate/estate';
import { Host } from '../../../estate/host';
import { Layer, LayerVerdict } from '../../../layers/layer-verdict';
import { Assumption, CandidateRule, Decision, boundedCandidate, firstMatch, unresolvedDoubt } from '../../../layers/ordered-evaluation';
import { decidedVerdict, skippedVerdict, trafficText, unlessUnresolved } from '../../../layers/verdicts';
import { Interval, formatIntervals } from '../../../net/interval-set';
import { Traffic, isNoTraffic } from '../../../net/traffic';
import { AwsFacts, awsFacts } from '../aws-facts';
import { awsOf } from '../aws-host';

const LAYER = 'aws-network-acl';

/** The ephemeral ports of a Linux client (`net.ipv4.ip_local_port_range`), taken when nothing says otherwise. */
const LINUX_EPHEMERAL_PORTS: Interval = [32768, 60999];

/** One crossing of a subnet boundary: which ACL, which direction, and the host on the far side. */
interface Crossing {
  readonly acl: string;
  readonly egress: boolean;
  readonly far: Host;
  readonly subnetName: string;
}

/**
 * AWS network ACLs: stateless, first match by rule number, implicit deny, enforced at subnet
 * boundaries only. The request must leave the source subnet and enter the destination subnet; the
 * answer, addressed to the client's ephemeral ports, must leave the destination subnet and enter the
 * source subnet.
 */
export class NetworkAclLayer implements Layer {
  /** The layer id. */
  public readonly id = LAYER;
  /** Whether the JSON has network ACLs. */
  public readonly present: boolean;
  private readonly rules: Map<string, NetworkAclRule[]>;
  private readonly facts: AwsFacts;

  /**
   * `ephemeral`: the clients' ephemeral ports the user gives; without it, those the client's subnet's
   * enforcement declares, else the server's, else Linux's.
   */
  constructor(private readonly estate: Estate, private readonly ephemeral?: Interval) {
    this.rules = readNetworkAclRules(estate);
    this.facts = awsFacts(estate);
    this.present = ['aws_network_acl', 'aws_network_acl_rule', 'aws_default_network_acl'].some((type) => estate.model.resourcesOfType(type).length > 0);
  }

  /** Request and return crossings of the subnet boundaries between the two hosts. */
  public evaluate(source: Host, destination: Host, query: Traffic): LayerVerdict[] {
    if (!this.present) return [];
    const from = awsOf(source)?.subnet;
    const to = awsOf(destination)?.subnet;
    if (from === undefined && to === undefined) return [skippedVerdict(LAYER, 'network ACLs', 'neither end is in a subnet known to the Terraform JSON', query)];
    if (from === to) {
      return [skippedVerdict(LAYER, `subnet ${this.subnetName(from)}`, 'both ends are in the same subnet; network ACLs do not filter traffic within a subnet', query)];
    }
    const ephemeral = this.ephemeral ?? this.facts.declaredEphemeralPorts(from) ?? this.facts.declaredEphemeralPorts(to) ?? LINUX_EPHEMERAL_PORTS;
    return [
      ...this.unplaced(source, from, query),
      ...this.unplaced(destination, to, query),
      ...this.crossing(from, true, destination, (c) => this.request(c, query), query),
      ...this.crossing(to, false, source, (c) => this.request(c, query), query),
      ...this.crossing(to, true, source, (c) => this.response(c, query, ephemeral), query),
      ...this.crossing(from, false, destination, (c) => this.response(c, query, ephemeral), query),
    ];
  }

  /** An AWS interface whose subnet the JSON does not name: its ACL cannot be evaluated, and the verdict says so. */
  private unplaced(host: Host, subnet: string | undefined, query: Traffic): LayerVerdict[] {
    if (subnet !== undefined || !awsOf(host)?.interface) return [];
    return [skippedVerdict(LAYER, `subnet of ${host.name}`, `the subnet of ${host.name} is not known from the Terraform JSON, so its network ACL is not evaluated`, query)];
  }

  private crossing(subnet: string | undefined, egress: boolean, far: Host, check: (c: Crossing) => LayerVerdict, query: Traffic): LayerVerdict[] {
    if (subnet === undefined) return [];
    const acl = this.facts.aclOfSubnet(subnet);
    const subnetName = this.subnetName(subnet);
    if (acl === undefined) {
      const point = `${egress ? 'egress' : 'ingress'} of subnet ${subnetName}`;
      return [skippedVerdict(LAYER, point, `no network ACL is associated with subnet ${subnetName} in the Terraform JSON (the VPC default network ACL applies)`, query)];
    }
    return [check({ acl, egress, far, subnetName })];
  }

  private request(crossing: Crossing, query: Traffic): LayerVerdict {
    const candidates = this.candidates(crossing);
    const decision = this.decide(crossing, candidates, query);
    const point = this.pointName(crossing, 'request');
    const verdict = decidedVerdict({
      layer: LAYER,
      point,
      query,
      allowed: decision.allowed,
      decidingRules: decision.deciding,
      allowedReason: `${this.aclName(crossing)} allows ${trafficText(query)} ${crossing.egress ? 'to' : 'from'} ${crossing.far.name}`,
      deniedReason: `${this.aclName(crossing)} ${this.denialWording(decision)} ${crossing.egress ? 'to' : 'from'} ${crossing.far.name}`,
    });
    const doubt = unresolvedDoubt(query, candidates, (assumption) => this.decide(crossing, candidates, query, assumption).allowed);
    return unlessUnresolved(verdict, doubt, crossing.far.name);
  }

  private response(crossing: Crossing, query: Traffic, ephemeral: Interval): LayerVerdict {
    const needed = returnTrafficOf(query, ephemeral);
    const point = this.pointName(crossing, 'return');
    if (isNoTraffic(needed)) return skippedVerdict(LAYER, point, 'the queried traffic needs no return packets', query);
    const candidates = this.candidates(crossing);
    const decision = this.decide(crossing, candidates, needed);
    const served = servedRequests(query, ephemeral, decision.allowed);
    const ports = `ephemeral ports ${formatIntervals([ephemeral])}`;
    const verdict = decidedVerdict({
      layer: LAYER,
      point,
      query,
      allowed: served,
      decidingRules: decision.deciding,
      allowedReason: `${this.aclName(crossing)} lets the return traffic (${trafficText(needed)}, ${ports}) ${crossing.egress ? 'out to' : 'in from'} ${crossing.far.name}`,
      deniedReason: `${this.aclName(crossing)} blocks return traffic ${crossing.egress ? 'to' : 'from'} ${crossing.far.name}: of ${trafficText(needed)} (${ports}) `
        + (isNoTraffic(decision.allowed) ? 'none pass' : `only ${trafficText(decision.allowed)} pass`),
    });
    const doubt = unresolvedDoubt(query, candidates,
      (assumption) => servedRequests(query, ephemeral, this.decide(crossing, candidates, needed, assumption).allowed), needed);
    return unlessUnresolved(verdict, doubt, crossing.far.name);
  }

  /** The ACL's entries in this direction, matched against the host on the far side. */
  private candidates(crossing: Crossing): CandidateRule[] {
    const rules = this.rules.get(aclRulesKey(crossing.acl, crossing.egress)) ?? [];
    return rules.map((rule) => boundedCandidate(rule.action, rule.traffic, addressMatchBounds(rule.cidr, crossing.far), rule.origin));
  }

  private decide(crossing: Crossing, candidates: readonly CandidateRule[], traffic: Traffic, assumption: Assumption = 'as-read'): Decision {
    const decision = firstMatch(traffic, candidates, assumption);
    if (isNoTraffic(decision.undecided)) return decision;
    const implicit = { address: `${this.estate.naming.addressOf(crossing.acl)} (*)`, flows: [], summary: '* deny all (implicit last rule)' };
    return { ...decision, deciding: [...decision.deciding, implicit] };
  }

  private denialWording(decision: Decision): string {
    const explicit = isNoTraffic(decision.denied) ? '' : `denies ${trafficText(decision.denied)}`;
    const implicit = isNoTraffic(decision.undecided) ? '' : `has no rule allowing ${trafficText(decision.undecided)} (implicit deny)`;
    return [explicit, implicit].filter(Boolean).join(' and ');
  }

  private pointName(crossing: Crossing, leg: 'request' | 'return'): string {
    return `${crossing.egress ? 'egress' : 'ingress'} of subnet ${crossing.subnetName} (${leg})`;
  }

  private aclName(crossing: Crossing): string {
    return `network ACL ${this.estate.naming.describe(crossing.acl)}`;
  }

  private subnetName(subnet: string | undefined): string {
    return subnet === undefined ? '?' : this.estate.naming.addressOf(subnet);
  }
}
