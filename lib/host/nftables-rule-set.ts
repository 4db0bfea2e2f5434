import { HostRule } from './host-rules';
import { RuleSetFile, RuleSetInput, familyParts, headerLines, portsOfFamily, ruleComment } from './rule-set-text';
import { PortSpec } from '../model/ports';

/**
 * IPv6 neighbour discovery and multicast listener discovery (MLD, whose reports switches with MLD
 * snooping need to forward neighbour solicitations), which connection tracking does not carry: a
 * default drop without them breaks IPv6.
 */
const NEIGHBOUR_DISCOVERY = 'icmpv6 type { nd-router-solicit, nd-router-advert, nd-neighbor-solicit, nd-neighbor-advert, nd-redirect, '
  + 'mld-listener-query, mld-listener-report, mld-listener-done, mld2-listener-report } accept';

/**
 * The nftables rule set: one `table inet microseg` (IPv4 and IPv6) with `input` and `output` base
 * chains of policy drop, replaced as a whole in one transaction when loaded with `nft -f`.
 */
export function nftablesRuleSet(input: RuleSetInput): RuleSetFile[] {
  const lines: string[] = ['#!/usr/sbin/nft -f', ...headerLines(input, 'nftables').map((line) => `# ${line}`)];
  lines.push(
    // declaring the table first makes the delete succeed on a host that has none yet
    'table inet microseg',
    'delete table inet microseg',
    'table inet microseg {',
  );
  for (const [chain, hook, direction, iface] of [['input', 'input', 'in', 'iif'], ['output', 'output', 'out', 'oif']] as const) {
    lines.push(
      `  chain ${chain} {`,
      `    type filter hook ${hook} priority filter; policy drop;`,
      '    ct state established,related accept',
      '    ct state invalid drop',
      `    ${iface} "lo" accept`,
      `    ${NEIGHBOUR_DISCOVERY}`,
    );
    input.rules.forEach((rule, index) => {
      if (rule.direction !== direction) return;
      for (const statement of ruleStatements(rule)) lines.push(`    ${statement} ${rule.action} comment "${ruleComment(rule, index)}"`);
    });
    lines.push('  }');
  }
  lines.push('}', '');
  return [{ name: `${input.baseName}.nft`, content: lines.join('\n') }];
}

/** The match expressions of a rule, one per address family and protocol. */
function ruleStatements(rule: HostRule): string[] {
  const statements: string[] = [];
  const [peerField, localField] = rule.direction === 'in' ? ['saddr', 'daddr'] : ['daddr', 'saddr'];
  for (const part of familyParts(rule)) {
    const ip = part.family === 'ipv4' ? 'ip' : 'ip6';
    const addresses = [
      ...(part.peers ? [`${ip} ${peerField} ${set(part.peers)}`] : []),
      ...(rule.local ? [`${ip} ${localField} ${rule.local}`] : []),
    ];
    const family = addresses.length === 0 ? [`meta nfproto ${part.family}`] : addresses;
    for (const protocol of protocolMatches(portsOfFamily(rule.ports, part.family))) statements.push([...family, ...protocol].join(' '));
  }
  return statements;
}

/** One match per protocol: TCP and UDP destination port sets, ICMP types and codes, or nothing for all traffic. */
function protocolMatches(ports: readonly PortSpec[]): string[][] {
  if (ports.some((port) => port.protocol === 'all')) return [[]];
  const matches: string[][] = [];
  for (const protocol of ['tcp', 'udp', 'sctp'] as const) {
    const ranges = ports.filter((port) => port.protocol === protocol);
    if (ranges.length === 0) continue;
    const all = ranges.some((range) => range.from <= 0 && range.to >= 65535);
    matches.push(all ? [`meta l4proto ${protocol}`] : [`${protocol} dport ${set(ranges.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`)))}`]);
  }
  for (const port of ports.filter((p) => p.protocol === 'icmp' || p.protocol === 'icmpv6')) {
    const name = port.protocol;
    if (port.from < 0) matches.push([`meta l4proto ${name === 'icmp' ? 'icmp' : 'ipv6-icmp'}`]);
    else matches.push([`${name} type ${port.from}`, ...(port.to >= 0 ? [`${name} code ${port.to}`] : [])]);
  }
  return matches;
}

function set(items: readonly string[]): string {
  return items.length === 1 ? items[0] : `{ ${items.join(', ')} }`;
}
