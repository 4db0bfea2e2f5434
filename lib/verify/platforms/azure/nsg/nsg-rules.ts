import { NsgAddress, classifyPrefix } from './nsg-address';
import type { Estate } from '../../../estate/estate';
import { DecidingRule } from '../../../layers/layer-verdict';
import { numberField, ruleOrigin, stringField } from '../../../layers/rule-origin';
import { JsonObject, TerraformResource, blocksAt } from '../../../model/terraform-model';
import { identityOf, textOf } from '../../../model/value';
import { appendTo } from '../../../multimap';
import { IntervalSet, intervalSet } from '../../../net/interval-set';
import { RuleTraffic, exactRuleTraffic, partialRuleTraffic } from '../../../net/rule-traffic';
import { ALL_TRAFFIC, NO_TRAFFIC, Traffic, protocolTraffic, unionTraffic } from '../../../net/traffic';
import { azureFacts } from '../azure-facts';

/** One NSG rule, normalized from `azurerm_network_security_rule` or an inline `security_rule`. */
export interface NsgRule {
  /** Identity of the NSG. */
  readonly nsg: string;
  /** Inbound or outbound. */
  readonly direction: 'inbound' | 'outbound';
  /** Evaluation order, ascending. */
  readonly priority: number;
  /** Allow or deny. */
  readonly action: 'allow' | 'deny';
  /** Protocol and destination ports (partial when source ports are restricted). */
  readonly traffic: RuleTraffic;
  /** Source selectors (any of them). */
  readonly sources: readonly NsgAddress[];
  /** Destination selectors (any of them). */
  readonly destinations: readonly NsgAddress[];
  /** How to report it. */
  readonly origin: DecidingRule;
}

/** Every custom NSG rule, grouped by `<nsg identity>|<direction>` and sorted by priority. */
export function readNsgRules(estate: Estate): Map<string, NsgRule[]> {
  const rules: NsgRule[] = [];
  const facts = azureFacts(estate);
  for (const resource of estate.model.resourcesOfType('azurerm_network_security_rule')) {
    const nsg = facts.nsgOfRule(resource);
    if (nsg) rules.push(build(estate, resource, resource.body, nsg, ruleOrigin(estate, resource, '')));
  }
  for (const resource of estate.model.resourcesOfType('azurerm_network_security_group')) {
    blocksAt(resource.body, 'security_rule').forEach((block, index) =>
      rules.push(build(estate, resource, block, resource.key, ruleOrigin(estate, resource, '', `.security_rule[${index}]`))));
  }
  const grouped = new Map<string, NsgRule[]>();
  for (const rule of rules) {
    const key = nsgRulesKey(rule.nsg, rule.direction);
    appendTo(grouped, key, rule);
  }
  for (const list of grouped.values()) list.sort((a, b) => a.priority - b.priority);
  return grouped;
}

/** The grouping key of an NSG's rules in one direction. */
export function nsgRulesKey(nsg: string, direction: 'inbound' | 'outbound'): string {
  return `${nsg}|${direction}`;
}

function build(estate: Estate, resource: TerraformResource, block: JsonObject, nsg: string, origin: DecidingRule): NsgRule {
  const text = (field: string) => stringField(estate, resource, block[field]);
  const texts = (single: string, plural: string) =>
    [...estate.resolver.values(resource.stack, block[single]), ...estate.resolver.values(resource.stack, block[plural])].map(textOf);
  const side = (prefix: 'source' | 'destination'): NsgAddress[] => [
    ...texts(`${prefix}_address_prefix`, `${prefix}_address_prefixes`).map(classifyPrefix),
    ...estate.resolver.values(resource.stack, block[`${prefix}_application_security_group_ids`])
      .map((asg): NsgAddress => ({ kind: 'asg', identity: identityOf(asg) })),
  ];
  const protocol = text('protocol') ?? '*';
  const destinationPorts = texts('destination_port_range', 'destination_port_ranges');
  const sourcePorts = texts('source_port_range', 'source_port_ranges');
  const direction = text('direction')?.toLowerCase() === 'outbound' ? 'outbound' : 'inbound';
  const action = text('access')?.toLowerCase() === 'allow' ? 'allow' : 'deny';
  const priority = numberField(estate, resource, block.priority) ?? 4096;
  const sources = side('source');
  const destinations = side('destination');
  const summary = `priority ${priority} ${action === 'allow' ? 'Allow' : 'Deny'} ${direction === 'inbound' ? 'Inbound' : 'Outbound'} `
    + `${protocol}/${destinationPorts.join(',') || '*'} from ${describe(estate, sources)} to ${describe(estate, destinations)}`;
  return {
    nsg,
    direction,
    priority,
    action,
    traffic: nsgRuleTraffic(protocol, destinationPorts, sourcePorts),
    sources,
    destinations,
    origin: { ...origin, summary },
  };
}

/** The traffic an NSG rule matches: protocol `Tcp`/`Udp`/`Icmp`/`*`/others and destination port ranges ("443", "8000-8100", "*"). */
export function nsgRuleTraffic(protocol: string, destinationPorts: readonly string[], sourcePorts: readonly string[]): RuleTraffic {
  const traffic = protocolPorts(protocol.toLowerCase(), portSet(destinationPorts));
  if (!traffic) return partialRuleTraffic(protocolTraffic('other'));
  const anySourcePort = sourcePorts.length === 0 || sourcePorts.includes('*');
  return anySourcePort ? exactRuleTraffic(traffic) : partialRuleTraffic(traffic);
}

function protocolPorts(protocol: string, ports: IntervalSet | undefined): Traffic | undefined {
  const portsOrAll = ports ?? protocolTraffic('tcp').tcp;
  switch (protocol) {
    case 'tcp': return { ...NO_TRAFFIC, tcp: portsOrAll };
    case 'udp': return { ...NO_TRAFFIC, udp: portsOrAll };
    case 'icmp': return unionTraffic(protocolTraffic('icmp'), protocolTraffic('icmpv6'));
    case '*':
    case 'any':
      return ports === undefined ? ALL_TRAFFIC : { ...NO_TRAFFIC, tcp: ports, udp: ports };
    default: return undefined;
  }
}

/** Destination port ranges as a set; undefined means every port (`*` or nothing given). */
function portSet(ranges: readonly string[]): IntervalSet | undefined {
  if (ranges.length === 0 || ranges.includes('*')) return undefined;
  const intervals = ranges
    .map((range) => range.split('-').map((part) => Number(part.trim())))
    .map(([first, last]) => [first, last ?? first] as const)
    .filter(([first, last]) => Number.isInteger(first) && Number.isInteger(last));
  return intervalSet(intervals);
}

function describe(estate: Estate, addresses: readonly NsgAddress[]): string {
  if (addresses.length === 0) return '*';
  return addresses.map((address) => {
    if (address.kind === 'asg') return `asg ${estate.naming.nameOf(address.identity)}`;
    if (address.kind === 'any') return '*';
    return address.kind === 'tag' ? address.name : address.text;
  }).join(',');
}
