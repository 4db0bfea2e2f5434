import { App, TerraformStack } from 'cdktf';
import { AllowFlow, DenyFlow, GuardrailAllow, Port, Segment, Workload } from '../../lib';
import { HostBinding, HostFirewallFlavor } from '../../lib/host';
import { newApp } from '../helpers';

/** The servers of the demo estate: name, address. */
export const SERVERS = [['Web', '10.77.0.11'], ['App', '10.77.0.12'], ['Db', '10.77.0.13'], ['Mon', '10.77.0.14']] as const;

/** The traffic the tests probe between every pair of servers. */
export const PROBED_PORTS = ['tcp/8080', 'tcp/5432', 'udp/514', 'icmp/8'] as const;

/** What the program intends: `from>to port` for every flow that must connect. */
export const INTENDED = new Set([
  'Web>App tcp/8080', // AllowFlow
  'App>Db tcp/5432', // AllowFlow
  'App>Mon udp/514', // AllowFlow (syslog)
  'Mon>Web icmp/8', 'Mon>App icmp/8', 'Mon>Db icmp/8', // AllowFlow Mon to the whole estate
  'Web>Db icmp/8', // GuardrailAllow over the DenyFlow Web to Db
]);

/**
 * Four Linux servers known only by address, with application flows, a DenyFlow (Web may not
 * reach Db at all) and a GuardrailAllow that still lets Web ping Db.
 */
export function hostEstate(flavor: HostFirewallFlavor = HostFirewallFlavor.NFTABLES): { app: App; stack: TerraformStack } {
  const app = newApp();
  const stack = new TerraformStack(app, 'estate');
  const all = new Segment(stack, 'All', { selector: { estate: 'demo' } });
  const servers = Object.fromEntries(SERVERS.map(([name, address]) => [name, new Workload(stack, name, {
    binding: HostBinding.linux([address], { flavor }), labels: { estate: 'demo', role: name.toLowerCase() },
  })]));
  new AllowFlow(stack, 'WebToApp', { from: servers.Web, to: servers.App, ports: [Port.tcp(8080)] });
  new AllowFlow(stack, 'AppToDb', { from: servers.App, to: servers.Db, ports: [Port.POSTGRES] });
  new AllowFlow(stack, 'AppToMon', { from: servers.App, to: servers.Mon, ports: [Port.udp(514)] });
  new AllowFlow(stack, 'MonPing', { from: servers.Mon, to: all, ports: [Port.icmp(8)] });
  new DenyFlow(stack, 'NoWebToDb', { from: servers.Web, to: servers.Db, description: 'web never talks to the database' });
  new GuardrailAllow(stack, 'WebPingsDb', { from: servers.Web, to: servers.Db, ports: [Port.icmp(8)] });
  return { app, stack };
}

/** Every rule set file of a synthesized stack, by file name (the `terraform_data` carriers' input). */
export function ruleSetFiles(stackJson: any): Record<string, string> {
  const files: Record<string, string> = {};
  for (const body of Object.values<any>(stackJson.resource?.terraform_data ?? {})) Object.assign(files, body.input);
  return files;
}
