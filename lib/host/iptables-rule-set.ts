import { RuleSetFile, RuleSetInput, familyParts, headerLines, portsOfFamily, ruleComment } from './rule-set-text';
import { PortSpec } from '../model/ports';

/** Port entries one `multiport` match takes at most (a range counts twice; 15 in all). */
const MULTIPORT_ENTRIES = 7;

/** The chains the iptables rule sets own, one per direction; nothing else of the filter table is touched. */
export const IPTABLES_CHAINS = { in: 'MICROSEG-IN', out: 'MICROSEG-OUT' } as const;

/**
 * The iptables rule sets: `<name>.rules.v4` for `iptables-restore --noflush` and `<name>.rules.v6`
 * for `ip6tables-restore --noflush`. Each fills the library's own chains, `MICROSEG-IN` and
 * `MICROSEG-OUT`, as a whole (a chain the file declares is emptied first), each ending in a drop:
 * default deny. Other tools' chains and rules (Docker's, kube-proxy's) and `FORWARD` stay as they
 * are; `INPUT` and `OUTPUT` jump to the library's chains first (see {@link iptablesJumps}).
 */
export function iptablesRuleSet(input: RuleSetInput): RuleSetFile[] {
  return (['ipv4', 'ipv6'] as const).map((family) => ({
    name: `${input.baseName}.rules.${family === 'ipv4' ? 'v4' : 'v6'}`,
    content: familyRuleSet(input, family),
  }));
}

/**
 * The shell commands that make `INPUT` and `OUTPUT` jump to the library's chains first, once: run
 * after the rule sets are loaded, so the chains are full before any packet reaches them.
 */
export function iptablesJumps(): string[] {
  return (['iptables', 'ip6tables'] as const).flatMap((tool) => [['INPUT', IPTABLES_CHAINS.in], ['OUTPUT', IPTABLES_CHAINS.out]]
    .map(([builtin, own]) => `${tool} -C ${builtin} -j ${own} 2>/dev/null || ${tool} -I ${builtin} 1 -j ${own}`));
}

function familyRuleSet(input: RuleSetInput, family: 'ipv4' | 'ipv6'): string {
  const lines = [...headerLines(input, `iptables, ${family}`, family).map((line) => `# ${line}`), '*filter', `:${IPTABLES_CHAINS.in} - [0:0]`, `:${IPTABLES_CHAINS.out} - [0:0]`];
  for (const [chain, iface] of [[IPTABLES_CHAINS.in, '-i'], [IPTABLES_CHAINS.out, '-o']] as const) {
    lines.push(
      `-A ${chain} -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT`,
      `-A ${chain} -m conntrack --ctstate INVALID -j DROP`,
      `-A ${chain} ${iface} lo -j ACCEPT`,
    );
    if (family === 'ipv6') {
      // neighbour discovery (133-137) and multicast listener discovery (130-132, 143), as the nftables flavor
      for (const type of [130, 131, 132, 133, 134, 135, 136, 137, 143]) lines.push(`-A ${chain} -p ipv6-icmp -m icmp6 --icmpv6-type ${type} -j ACCEPT`);
    }
  }
  input.rules.forEach((rule, index) => {
    const chain = rule.direction === 'in' ? IPTABLES_CHAINS.in : IPTABLES_CHAINS.out;
    const [peerFlag, localFlag] = rule.direction === 'in' ? ['-s', '-d'] : ['-d', '-s'];
    const target = rule.action === 'accept' ? 'ACCEPT' : 'DROP';
    for (const part of familyParts(rule).filter((p) => p.family === family)) {
      const addresses = [...(part.peers ? [`${peerFlag} ${part.peers.join(',')}`] : []), ...(rule.local ? [`${localFlag} ${rule.local}`] : [])];
      for (const protocol of protocolMatches(portsOfFamily(rule.ports, family))) {
        lines.push(['-A', chain, ...addresses, ...protocol, '-m comment --comment', `"${ruleComment(rule, index)}"`, '-j', target].join(' '));
      }
    }
  });
  lines.push(`-A ${IPTABLES_CHAINS.in} -j DROP`, `-A ${IPTABLES_CHAINS.out} -j DROP`, 'COMMIT', '');
  return lines.join('\n');
}

function protocolMatches(ports: readonly PortSpec[]): string[][] {
  if (ports.some((port) => port.protocol === 'all')) return [[]];
  const matches: string[][] = [];
  for (const protocol of ['tcp', 'udp', 'sctp'] as const) {
    const entries = ports.filter((port) => port.protocol === protocol).map((r) => (r.from === r.to ? `${r.from}` : `${r.from}:${r.to}`));
    for (let i = 0; i < entries.length; i += MULTIPORT_ENTRIES) {
      const chunk = entries.slice(i, i + MULTIPORT_ENTRIES);
      matches.push(chunk.length === 1 ? ['-p', protocol, '--dport', chunk[0]] : ['-p', protocol, '-m multiport --dports', chunk.join(',')]);
    }
  }
  for (const port of ports.filter((p) => p.protocol === 'icmp' || p.protocol === 'icmpv6')) {
    const [name, flag] = port.protocol === 'icmp' ? ['icmp', '--icmp-type'] : ['ipv6-icmp', '--icmpv6-type'];
    if (port.from < 0) matches.push(['-p', name]);
    else matches.push(['-p', name, flag, port.to >= 0 ? `${port.from}/${port.to}` : `${port.from}`]);
  }
  return matches;
}
