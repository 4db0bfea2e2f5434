import { intervalSet } from '../../net/interval-set';
import { NO_RULE_TRAFFIC, RuleTraffic, exactRuleTraffic, partialRuleTraffic, unionRuleTraffic } from '../../net/rule-traffic';
import { ALL_TRAFFIC, NO_TRAFFIC, TrafficProtocol, protocolTraffic } from '../../net/traffic';

/** One protocol with its ports, as a firewall policy rule's `layer4_configs` or a VPC firewall rule's `allow` / `deny` block writes it. */
export interface GcpProtocolPorts {
  /** `all`, `tcp`, `udp`, `icmp`, `sctp`, `esp`, `ah`, `ipip` or an IP protocol number, as written. */
  readonly protocol: string;
  /** Port numbers or ranges (`80`, `8000-8080`); empty: every port. */
  readonly ports: readonly string[];
}

const PROTOCOLS: Readonly<Record<string, TrafficProtocol | 'all'>> = {
  all: 'all',
  tcp: 'tcp',
  6: 'tcp',
  udp: 'udp',
  17: 'udp',
  icmp: 'icmp',
  1: 'icmp',
  58: 'icmpv6',
  sctp: 'sctp',
  132: 'sctp',
};

/**
 * The traffic of protocol and port pairs: ports apply to TCP, UDP and SCTP (none given: every port);
 * `icmp` is every ICMP message; `all` every protocol. Another protocol (ESP, AH, a number) is one of
 * the evaluator's "other" protocols, so it matches that family only in part.
 */
export function gcpRuleTraffic(configs: readonly GcpProtocolPorts[]): RuleTraffic {
  return configs.map(oneProtocol).reduce(unionRuleTraffic, NO_RULE_TRAFFIC);
}

function oneProtocol(config: GcpProtocolPorts): RuleTraffic {
  const protocol = PROTOCOLS[config.protocol.trim().toLowerCase()] ?? 'other';
  if (protocol === 'all') return exactRuleTraffic(ALL_TRAFFIC);
  if (protocol === 'other') return partialRuleTraffic(protocolTraffic('other'));
  if (protocol === 'icmp' || protocol === 'icmpv6' || config.ports.length === 0) return exactRuleTraffic(protocolTraffic(protocol));
  const ranges = config.ports
    .map((port) => port.split('-').map((part) => Number(part.trim())))
    .map(([first, last]) => [first, last ?? first] as const)
    .filter(([first, last]) => Number.isInteger(first) && Number.isInteger(last) && first <= last);
  return exactRuleTraffic({ ...NO_TRAFFIC, [protocol]: intervalSet(ranges) });
}

/** Protocol and ports as text: `all`, `tcp/443,8000-8080`, `icmp`, `tcp`. */
export function describeGcpProtocols(configs: readonly GcpProtocolPorts[]): string {
  if (configs.length === 0) return 'nothing';
  return configs.map((config) => (config.ports.length === 0 ? config.protocol : `${config.protocol}/${config.ports.join(',')}`)).join(' ');
}
