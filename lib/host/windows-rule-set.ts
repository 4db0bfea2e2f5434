import { HostRule } from './host-rules';
import { RuleSetFile, RuleSetInput, headerLines, safeText } from './rule-set-text';
import { PortSpec } from '../model/ports';

/** The rule group every rule of the library carries: the script removes it and adds it again. */
const GROUP = 'microseg';

/**
 * The Windows Defender Firewall rule set: a PowerShell script (NetSecurity cmdlets) that blocks
 * inbound and outbound traffic by default in every profile: it adds the rules (group `microseg`,
 * names of this run's generation), then removes the group's rules of earlier runs. The firewall is stateful and leaves loopback alone; a block rule wins over
 * every allow rule whatever the order (the renderer refuses a GuardrailAllow a DenyFlow overlaps).
 */
export function windowsRuleSet(input: RuleSetInput): RuleSetFile[] {
  const lines = [
    ...headerLines(input, 'Windows Defender Firewall').map((line) => `# ${line}`),
    '$ErrorActionPreference = \'Stop\'',
    // the new rules are added before the old ones are removed: no moment without the allows both sets share
    '$generation = [DateTime]::UtcNow.ToString(\'yyyyMMddHHmmssfff\')',
  ];
  input.rules.forEach((rule, index) => {
    protocolArguments(rule.ports, rule.direction).forEach((protocol, part) => {
      const name = `${String(index + 1).padStart(3, '0')}-${part + 1}`;
      const args = [
        'New-NetFirewallRule', `-Group '${GROUP}'`, `-Name "microseg-$generation-${name}"`, `-DisplayName 'microseg ${name} ${safeText(rule.description, 80)}'`,
        `-Direction ${rule.direction === 'in' ? 'Inbound' : 'Outbound'}`, `-Action ${rule.action === 'accept' ? 'Allow' : 'Block'}`,
        ...protocol,
        ...(rule.peers ? [`-RemoteAddress ${rule.peers.map(quote).join(',')}`] : []),
        ...(rule.local ? [`-LocalAddress ${quote(rule.local)}`] : []),
        `-Description '${safeText([...rule.flows, ...rule.guardrails].join(', '), 200)}'`,
        '| Out-Null',
      ];
      lines.push(args.join(' '));
    });
  });
  lines.push(
    // collected first: the group is empty on a server with no rule yet (Get-NetFirewallRule then
    // fails), and Remove-NetFirewallRule is never called without the rules it is to remove
    `$stale = @(Get-NetFirewallRule -Group '${GROUP}' -ErrorAction SilentlyContinue | Where-Object { $_.Name -notlike "microseg-$generation-*" })`,
    'if ($stale.Count -gt 0) { $stale | Remove-NetFirewallRule }',
    "Set-NetFirewallProfile -Profile 'Domain','Private','Public' -Enabled True -DefaultInboundAction Block -DefaultOutboundAction Block",
    '',
  );
  return [{ name: `${input.baseName}.ps1`, content: lines.join('\n') }];
}

/** One argument list per protocol: `-Protocol TCP -LocalPort '443','8000-8080'` (remote port when outbound). */
function protocolArguments(ports: readonly PortSpec[], direction: HostRule['direction']): string[][] {
  if (ports.some((port) => port.protocol === 'all')) return [['-Protocol Any']];
  const portFlag = direction === 'in' ? '-LocalPort' : '-RemotePort';
  const out: string[][] = [];
  for (const protocol of ['tcp', 'udp'] as const) {
    const entries = ports.filter((port) => port.protocol === protocol).map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`));
    if (entries.length > 0) out.push([`-Protocol ${protocol.toUpperCase()}`, `${portFlag} ${entries.map(quote).join(',')}`]);
  }
  // the cmdlets take ports for TCP and UDP only: SCTP ports are refused at synth, every SCTP port is protocol 132
  if (ports.some((port) => port.protocol === 'sctp')) out.push(['-Protocol 132']);
  for (const port of ports.filter((p) => p.protocol === 'icmp' || p.protocol === 'icmpv6')) {
    const protocol = port.protocol === 'icmp' ? 'ICMPv4' : 'ICMPv6';
    out.push(port.from < 0 ? [`-Protocol ${protocol}`] : [`-Protocol ${protocol}`, `-IcmpType ${quote(port.to >= 0 ? `${port.from}:${port.to}` : `${port.from}`)}`]);
  }
  return out;
}

/** A PowerShell single-quoted string (the content is an address or a number: a quote is doubled all the same). */
function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
