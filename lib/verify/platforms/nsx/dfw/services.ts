import type { Estate } from '../../../estate/estate';
import { numberField, stringField } from '../../../layers/rule-origin';
import { JsonObject, TerraformResource, blocksAt } from '../../../model/terraform-model';
import { textOf } from '../../../model/value';
import { Interval, intervalSet } from '../../../net/interval-set';
import { NO_RULE_TRAFFIC, RuleTraffic, exactRuleTraffic, partialRuleTraffic, unionRuleTraffic } from '../../../net/rule-traffic';
import { ALL_TRAFFIC, NO_TRAFFIC, icmpTraffic as icmpMessages, protocolTraffic } from '../../../net/traffic';

/** A service a DFW rule can name: its traffic and a display name. */
export interface NsxService {
  /** The traffic it matches. */
  readonly traffic: RuleTraffic;
  /** Its name in reports. */
  readonly name: string;
}

/** A few predefined services at `/infra/services/<id>`, for rules that name them by literal path. */
const PREDEFINED: Readonly<Record<string, RuleTraffic>> = {
  'HTTP': exactRuleTraffic(protocolTraffic('tcp', 80)),
  'HTTPS': exactRuleTraffic(protocolTraffic('tcp', 443)),
  'SSH': exactRuleTraffic(protocolTraffic('tcp', 22)),
  'RDP': exactRuleTraffic(protocolTraffic('tcp', 3389)),
  'DNS': exactRuleTraffic(protocolTraffic('tcp', 53)),
  'DNS-UDP': exactRuleTraffic(protocolTraffic('udp', 53)),
  'NTP': exactRuleTraffic(protocolTraffic('udp', 123)),
  'MySQL': exactRuleTraffic(protocolTraffic('tcp', 3306)),
  'ICMP-ALL': exactRuleTraffic(protocolTraffic('icmp')),
  'ICMPv6-ALL': exactRuleTraffic(protocolTraffic('icmpv6')),
  'ICMP_Echo_Request': exactRuleTraffic(protocolTraffic('icmp', 8)),
};

/** Every `nsxt_policy_service` of the model by key; literal predefined paths are looked up by {@link serviceFor}. */
export function readNsxServices(estate: Estate): Map<string, NsxService> {
  return new Map(estate.model.resourcesOfType('nsxt_policy_service').map((resource) => [resource.key, {
    traffic: serviceTraffic(estate, resource),
    name: stringField(estate, resource, resource.body.display_name) ?? estate.naming.addressOf(resource.key),
  }]));
}

/** The service a rule names (resource identity or literal path); an unknown one matches only partially. */
export function serviceFor(identity: string, services: ReadonlyMap<string, NsxService>): NsxService {
  const known = services.get(identity);
  if (known) return known;
  const predefinedId = /^\/infra\/services\/([^/]+)$/.exec(identity)?.[1];
  const traffic = predefinedId === undefined ? undefined : PREDEFINED[predefinedId];
  if (predefinedId !== undefined && traffic) return { traffic, name: predefinedId };
  return { traffic: partialRuleTraffic(ALL_TRAFFIC), name: `${identity} (unknown service)` };
}

function serviceTraffic(estate: Estate, resource: TerraformResource): RuleTraffic {
  const l4 = blocksAt(resource.body, 'l4_port_set_entry').map((entry) => l4Traffic(estate, resource, entry));
  const icmp = blocksAt(resource.body, 'icmp_entry').map((entry) => icmpTraffic(estate, resource, entry));
  const ipProtocols = blocksAt(resource.body, 'ip_protocol_entry').map((entry) => ipProtocolTraffic(estate, resource, entry));
  const others = ['igmp_entry', 'algorithm_entry', 'ether_type_entry']
    .flatMap((field) => blocksAt(resource.body, field))
    .map(() => partialRuleTraffic(ALL_TRAFFIC));
  return [...l4, ...icmp, ...ipProtocols, ...others].reduce(unionRuleTraffic, NO_RULE_TRAFFIC);
}

function l4Traffic(estate: Estate, resource: TerraformResource, entry: JsonObject): RuleTraffic {
  const protocol = (stringField(estate, resource, entry.protocol) ?? 'TCP').toLowerCase() === 'udp' ? 'udp' : 'tcp';
  const ports = estate.resolver.values(resource.stack, entry.destination_ports).map(textOf);
  const ranges = ports.length === 0 ? protocolTraffic(protocol)[protocol] : intervalSet(ports.map(parsePortRange));
  const traffic = { ...NO_TRAFFIC, [protocol]: ranges };
  const sourcePorts = estate.resolver.values(resource.stack, entry.source_ports);
  return sourcePorts.length > 0 ? partialRuleTraffic(traffic) : exactRuleTraffic(traffic);
}

/** An IP protocol entry matches its whole protocol: 132 is every SCTP port; another number is not tracked alone. */
function ipProtocolTraffic(estate: Estate, resource: TerraformResource, entry: JsonObject): RuleTraffic {
  const protocol = numberField(estate, resource, entry.protocol);
  return protocol === 132 ? exactRuleTraffic(protocolTraffic('sctp')) : partialRuleTraffic(ALL_TRAFFIC);
}

function parsePortRange(text: string): Interval {
  const [first, last] = text.split('-').map((part) => Number(part.trim()));
  return [first, last ?? first];
}

function icmpTraffic(estate: Estate, resource: TerraformResource, entry: JsonObject): RuleTraffic {
  const family = (stringField(estate, resource, entry.protocol) ?? 'ICMPv4').toUpperCase() === 'ICMPV6' ? 'icmpv6' : 'icmp';
  const type = numberField(estate, resource, entry.icmp_type);
  const code = numberField(estate, resource, entry.icmp_code);
  if (type === undefined) return exactRuleTraffic(protocolTraffic(family));
  return exactRuleTraffic(icmpMessages(family, type, code));
}
