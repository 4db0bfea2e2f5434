import { RuleTraffic, exactRuleTraffic, partialRuleTraffic } from '../../net/rule-traffic';
import { ALL_TRAFFIC, TrafficProtocol, icmpTraffic, protocolTraffic } from '../../net/traffic';

/** The protocol and port fields of an AWS rule (security group or network ACL), as numbers where set. */
export interface AwsPortFields {
  /** `-1`/`all`, `tcp`, `udp`, `icmp`, `icmpv6` or an IP protocol number, as written. */
  readonly protocol?: string;
  /** First port, or the ICMP type (security groups); -1 = any. */
  readonly fromPort?: number;
  /** Last port, or the ICMP code (security groups); -1 = any. */
  readonly toPort?: number;
  /** ICMP type (network ACLs); -1 = any. */
  readonly icmpType?: number;
  /** ICMP code (network ACLs); -1 = any. */
  readonly icmpCode?: number;
}

const PROTOCOL_NAMES: Readonly<Record<string, TrafficProtocol | 'all'>> = {
  '-1': 'all',
  'all': 'all',
  'tcp': 'tcp',
  '6': 'tcp',
  'udp': 'udp',
  '17': 'udp',
  'icmp': 'icmp',
  '1': 'icmp',
  'icmpv6': 'icmpv6',
  // a network ACL entry's name for protocol 58
  'ipv6-icmp': 'icmpv6',
  '58': 'icmpv6',
  'sctp': 'sctp',
  '132': 'sctp',
};

/** The protocol family of an AWS protocol field, or `other` for any other IP protocol. */
export function awsProtocol(protocol: string | undefined): TrafficProtocol | 'all' {
  return PROTOCOL_NAMES[String(protocol ?? '-1').toLowerCase()] ?? 'other';
}

const ruleTraffics = new Map<string, RuleTraffic>();

/** The traffic an AWS rule matches, from its protocol and port (or ICMP) fields; one object per distinct fields (an estate repeats a few ports in thousands of rules). */
export function awsRuleTraffic(fields: AwsPortFields): RuleTraffic {
  const part = (value: string | number | undefined) => (value === undefined ? '~' : `${typeof value}:${value}`);
  const key = [fields.protocol, fields.fromPort, fields.toPort, fields.icmpType, fields.icmpCode].map(part).join('|');
  let traffic = ruleTraffics.get(key);
  if (!traffic) {
    traffic = ruleTrafficOf(fields);
    ruleTraffics.set(key, traffic);
  }
  return traffic;
}

function ruleTrafficOf(fields: AwsPortFields): RuleTraffic {
  const protocol = awsProtocol(fields.protocol);
  if (protocol === 'all') return exactRuleTraffic(ALL_TRAFFIC);
  if (protocol === 'other') return partialRuleTraffic(protocolTraffic('other'));
  // AWS applies ports to tcp, udp and ICMP only: a rule for another protocol number allows every port
  if (protocol === 'sctp') return exactRuleTraffic(protocolTraffic('sctp'));
  if (protocol === 'icmp' || protocol === 'icmpv6') {
    const type = fields.icmpType ?? fields.fromPort ?? -1;
    const code = fields.icmpCode ?? fields.toPort ?? -1;
    if (type < 0) return exactRuleTraffic(protocolTraffic(protocol));
    return exactRuleTraffic(icmpTraffic(protocol, type, code));
  }
  const anyPort = fields.fromPort === undefined || fields.fromPort < 0;
  return exactRuleTraffic(anyPort ? protocolTraffic(protocol) : protocolTraffic(protocol, fields.fromPort, fields.toPort ?? fields.fromPort));
}

/** The rule's protocol and ports as text: `all`, `tcp/443`, `tcp/8000-8100`, `icmp/8/0`, `proto-50`. */
export function describeAwsPorts(fields: AwsPortFields): string {
  const protocol = awsProtocol(fields.protocol);
  if (protocol === 'all') return 'all';
  if (protocol === 'other') return `proto-${fields.protocol}`;
  if (protocol === 'sctp') return 'sctp/0-65535';
  if (protocol === 'icmp' || protocol === 'icmpv6') {
    const type = fields.icmpType ?? fields.fromPort ?? -1;
    const code = fields.icmpCode ?? fields.toPort ?? -1;
    if (type < 0) return protocol;
    return code < 0 ? `${protocol}/${type}` : `${protocol}/${type}/${code}`;
  }
  if (fields.fromPort === undefined || fields.fromPort < 0) return `${protocol}/0-65535`;
  const last = fields.toPort ?? fields.fromPort;
  return last === fields.fromPort ? `${protocol}/${fields.fromPort}` : `${protocol}/${fields.fromPort}-${last}`;
}
