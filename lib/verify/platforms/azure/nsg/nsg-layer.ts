import { defaultNsgRules } from './default-rules';
import { NsgAddress, matchNsgAddress } from './nsg-address';
import { NsgRule, nsgRulesKey, readNsgRules } from './nsg-rules';
import { addressMatchBounds } from '../../../estate/address-match';
import type { Estate } from '../../../estate/estate';
import { Host } from '../../../estate/host';
import { Layer, LayerVerdict } from '../../../layers/layer-verdict';
import { CandidateRule, boundedCandidate, firstMatch, unresolvedDoubt } from '../../../layers/ordered-evaluation';
import { decidedVerdict, skippedVerdict, trafficText, unknownVerdict, unlessUnresolved } from '../../../layers/verdicts';
import { valueFor } from '../../../multimap';
import { parseCidr } from '../../../net/cidr';
import { MatchBounds, bestBounds, exactBounds, weakestBounds } from '../../../net/match-bounds';
import { Traffic, isNoTraffic } from '../../../net/traffic';
import { azureFacts } from '../azure-facts';
import { AzureInterface, azureOf } from '../azure-host';

const LAYER = 'azure-nsg';

/** How one host matches the rule sides it was asked about. */
type SideMatches = WeakMap<readonly NsgAddress[], MatchBounds>;

/** One NSG on the path: which one, at which level of which host, in which direction. */
interface NsgCheck {
  readonly nsg: string;
  readonly level: 'NIC' | 'subnet';
  readonly direction: 'inbound' | 'outbound';
  readonly host: Host;
}

/**
 * Azure network security groups: stateful, first match by priority, then the platform's default
 * rules. Outbound the source's NIC NSG then its subnet NSG apply; inbound the destination's subnet
 * NSG then its NIC NSG; every one must allow, and a level without NSG allows.
 */
export class NsgLayer implements Layer {
  /** The layer id. */
  public readonly id = LAYER;
  /** Whether the JSON has NSGs. */
  public readonly present: boolean;
  private readonly rules: Map<string, NsgRule[]>;
  private readonly vnetSpaces: readonly string[];
  private readonly ruleLists = new Map<string, readonly NsgRule[]>();
  /** Per host, in IPv4 and in IPv6 traffic, how it matches each rule side it was asked about. */
  private readonly sideMatches = [new WeakMap<Host, SideMatches>(), new WeakMap<Host, SideMatches>()] as const;

  constructor(private readonly estate: Estate, extraVnetSpaces: readonly string[]) {
    this.rules = readNsgRules(estate);
    this.vnetSpaces = [...azureFacts(estate).vnetAddressSpaces, ...extraVnetSpaces];
    this.present = estate.model.resourcesOfType('azurerm_network_security_group').length > 0;
  }

  /** The outbound NSGs of an Azure source and the inbound NSGs of an Azure destination. */
  public evaluate(source: Host, destination: Host, query: Traffic): LayerVerdict[] {
    const from = azureOf(source);
    const to = azureOf(destination);
    if (!from && !to) {
      return this.present ? [skippedVerdict(LAYER, 'network security groups', 'neither end is an Azure NIC', query)] : [];
    }
    return [
      ...(from ? this.side(source, from, destination, 'outbound', query) : []),
      ...(to ? this.side(destination, to, source, 'inbound', query) : []),
    ];
  }

  private side(host: Host, azure: AzureInterface, other: Host, direction: 'inbound' | 'outbound', query: Traffic): LayerVerdict[] {
    const nic = azure.nicNsgs.map((nsg): NsgCheck => ({ nsg, level: 'NIC', direction, host }));
    const subnet = azure.subnetNsgs.map((nsg): NsgCheck => ({ nsg, level: 'subnet', direction, host }));
    const checks = direction === 'outbound' ? [...nic, ...subnet] : [...subnet, ...nic];
    if (checks.length === 0) {
      return [skippedVerdict(LAYER, `${direction} of ${host.name}`, `no NSG is associated with the NIC or the subnet of ${host.name}; a level without NSG allows all`, query)];
    }
    return checks.map((check) => this.check(check, other, query));
  }

  private check(check: NsgCheck, other: Host, query: Traffic): LayerVerdict {
    const nsgName = this.estate.naming.describe(check.nsg);
    const point = `${check.direction} NSG ${nsgName} at ${check.level} of ${check.host.name}`;
    if (!this.estate.model.resource(check.nsg)) {
      return unknownVerdict(LAYER, point, `NSG ${nsgName} is not in the Terraform JSON, so its rules are unknown`);
    }
    const [source, destination] = check.direction === 'inbound' ? [other, check.host] : [check.host, other];
    const ipv6 = ipv6Only(source) || ipv6Only(destination);
    const candidates: CandidateRule[] = [];
    for (const rule of this.rulesOf(check)) {
      const bounds = weakestBounds(this.sideMatch(rule.sources, source, ipv6), this.sideMatch(rule.destinations, destination, ipv6));
      // a rule that cannot match decides nothing, whatever the unresolved addresses are (a matrix asks every cell about every rule)
      if (bounds.most !== 'none') candidates.push(boundedCandidate(rule.action, rule.traffic, bounds, rule.origin));
    }
    const decision = firstMatch(query, candidates);
    const preposition = check.direction === 'inbound' ? 'from' : 'to';
    const verdict = decidedVerdict({
      layer: LAYER,
      point,
      query,
      allowed: decision.allowed,
      decidingRules: decision.deciding,
      allowedReason: `${nsgName} allows ${trafficText(query)} ${preposition} ${other.name}`,
      deniedReason: `${nsgName} denies ${trafficText(isNoTraffic(decision.denied) ? query : decision.denied)} ${preposition} ${other.name}`,
    });
    const doubt = unresolvedDoubt(query, candidates, (assumption) => firstMatch(query, candidates, assumption).allowed);
    return unlessUnresolved(verdict, doubt, other.name);
  }

  /** An NSG's rules of one direction, then the platform's default rules, in priority order; listed once. */
  private rulesOf(check: NsgCheck): readonly NsgRule[] {
    const key = nsgRulesKey(check.nsg, check.direction);
    return valueFor(this.ruleLists, key, () => [
      ...(this.rules.get(key) ?? []),
      ...defaultNsgRules(check.nsg, this.estate.naming.addressOf(check.nsg), check.direction),
    ]);
  }

  /** How a host matches one side's selectors of a rule, in IPv4 or IPv6 traffic; worked out once per host and rule side. */
  private sideMatch(selectors: readonly NsgAddress[], host: Host, ipv6: boolean): MatchBounds {
    if (selectors.length === 0) return exactBounds('full');
    const known = valueFor(this.sideMatches[ipv6 ? 1 : 0], host, (): SideMatches => new WeakMap());
    return valueFor(known, selectors, () => selectors
      // ASGs hold the IPv4 ip-configurations of their NICs only: they never match IPv6 traffic
      .filter((selector) => !(ipv6 && selector.kind === 'asg'))
      .map((selector) => (selector.kind === 'address' ? addressMatchBounds(selector.text, host) : exactBounds(matchNsgAddress(selector, host, this.vnetSpaces))))
      .reduce(bestBounds, exactBounds('none')));
  }
}

/** Whether a host is known by IPv6 addresses only (an IPv6 CIDR endpoint), so traffic with it is IPv6. */
function ipv6Only(host: Host): boolean {
  if (host.namedPeer || host.symbolicAddresses.length > 0 || host.ranges.length === 0) return false;
  return host.ranges.every((range) => parseCidr(range)?.family === 'ipv6');
}
