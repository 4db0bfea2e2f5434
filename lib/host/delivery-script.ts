import { HostFirewallFlavor } from './flavor';
import { iptablesJumps } from './iptables-rule-set';
import { RuleSetFile } from './rule-set-text';

/** Where the Linux delivery scripts keep the rule set on the server. */
export const LINUX_RULE_DIRECTORY = '/etc/microseg';

/** The heredoc delimiter; no line of a rule set equals it (every rule set line is a comment, a rule or a brace). */
const END_OF_FILE = 'MICROSEG_RULE_SET_END';

/**
 * The script that installs and loads a rule set on the server: a shell script for Linux (the rule
 * files written through quoted heredocs, so the shell expands nothing in them, checked, then
 * loaded as a whole; for iptables, `INPUT` and `OUTPUT` then jump to the library's chains) or, for Windows, the PowerShell rule set itself.
 */
export function deliveryScript(flavor: HostFirewallFlavor, files: readonly RuleSetFile[]): string {
  if (flavor === HostFirewallFlavor.WINDOWS) return files.map((file) => file.content).join('\n');
  const lines = ['#!/bin/sh', 'set -eu', `install -d -m 0700 ${LINUX_RULE_DIRECTORY}`];
  for (const file of files) {
    lines.push(`cat > ${LINUX_RULE_DIRECTORY}/${file.name} <<'${END_OF_FILE}'`, file.content.replace(/\n$/, ''), END_OF_FILE);
  }
  const path = (suffix: string) => `${LINUX_RULE_DIRECTORY}/${files.find((file) => file.name.endsWith(suffix))!.name}`;
  if (flavor === HostFirewallFlavor.NFTABLES) {
    lines.push(`nft -c -f ${path('.nft')}`, `nft -f ${path('.nft')}`);
  } else {
    lines.push(...iptablesLoadCommands(path('.v4'), path('.v6')));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The loader that comes with iptables rule set files (`HostDelivery.files()`): run from the folder
 * that holds them, it checks and loads both and makes `INPUT` and `OUTPUT` jump to the library's
 * chains, as the other deliveries' scripts do. The files alone fill chains that no packet reaches
 * until those jumps exist.
 */
export function iptablesLoaderFile(files: readonly RuleSetFile[], baseName: string): RuleSetFile {
  const name = (suffix: string) => `"$here/${files.find((file) => file.name.endsWith(suffix))!.name}"`;
  const lines = ['#!/bin/sh', 'set -eu', 'here=$(dirname "$0")', ...iptablesLoadCommands(name('.v4'), name('.v6'))];
  return { name: `${baseName}.load.sh`, content: `${lines.join('\n')}\n` };
}

/** Checks and loads an iptables rule set (IPv4 and IPv6 files), then adds the jumps to its chains. */
function iptablesLoadCommands(v4: string, v6: string): string[] {
  // --noflush: only the library's own chains are replaced; other tools' rules stay
  return [
    `iptables-restore --test --noflush < ${v4}`, `ip6tables-restore --test --noflush < ${v6}`,
    `iptables-restore --noflush < ${v4}`, `ip6tables-restore --noflush < ${v6}`,
    ...iptablesJumps(),
  ];
}
