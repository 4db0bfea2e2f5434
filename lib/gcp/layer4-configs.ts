import { mergePortSpecs, PortSpec } from '../model/ports';

/** One `layer4_configs` entry of a network firewall policy rule. */
export interface Layer4Config {
  /** `tcp`, `udp`, `icmp`, `sctp`, `all`, or an IP protocol number (`58` for ICMPv6). */
  readonly ipProtocol: string;
  /** Ports and ranges (`"443"`, `"8000-8100"`), TCP and UDP only; absent: every port. */
  readonly ports?: string[];
}

/**
 * The `layer4_configs` of a rule for a flow's ports: one entry per protocol, its ports merged and
 * sorted. Every port of a protocol is the entry without `ports`; every protocol is `all`.
 * ICMP types and codes and SCTP ports are checked before (see the platform's capabilities).
 */
export function layer4Configs(specs: readonly PortSpec[]): Layer4Config[] {
  const merged = mergePortSpecs(specs);
  if (merged.some((s) => s.protocol === 'all')) return [{ ipProtocol: 'all' }];
  const out: Layer4Config[] = [];
  for (const protocol of ['tcp', 'udp'] as const) {
    const ranges = merged.filter((s) => s.protocol === protocol);
    if (ranges.length === 0) continue;
    if (ranges.some((s) => s.from <= 0 && s.to >= 65535)) {
      out.push({ ipProtocol: protocol });
      continue;
    }
    out.push({ ipProtocol: protocol, ports: ranges.map((s) => (s.from === s.to ? `${s.from}` : `${s.from}-${s.to}`)) });
  }
  if (merged.some((s) => s.protocol === 'sctp')) out.push({ ipProtocol: 'sctp' });
  if (merged.some((s) => s.protocol === 'icmp')) out.push({ ipProtocol: 'icmp' });
  if (merged.some((s) => s.protocol === 'icmpv6')) out.push({ ipProtocol: '58' });
  return out;
}
