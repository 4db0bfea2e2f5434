import { Token } from 'cdktf';
import { HostDeliveryKind } from './delivery';
import type { HostRule } from './host-rules';
import { cidrContainsValid } from '../model/cidr';
import { coversSpec, PortSpec } from '../model/ports';

/** Traffic a delivery's agent on the server starts itself, which the rule set's output chain must let out. */
interface AgentTraffic {
  /** What it is, for the warning. */
  readonly what: string;
  readonly port: PortSpec;
  /** The address it goes to; undefined: addresses synthesis cannot know (a service's endpoints). */
  readonly to?: string;
  /** How to allow it, for the warning. */
  readonly fix: string;
}

const TCP = (port: number): PortSpec => ({ protocol: 'tcp', from: port, to: port });

/** What each delivery's agent needs to fetch and run the next rule set. */
const AGENT_TRAFFIC: Partial<Record<HostDeliveryKind, readonly AgentTraffic[]>> = {
  [HostDeliveryKind.AWS_SSM]: [
    { what: 'HTTPS to the Systems Manager endpoints (ssm, ssmmessages, ec2messages)', port: TCP(443), fix: 'Peer.ipv4(<the subnets of its VPC interface endpoints>) or Peer.awsPrefixList(...), Port.HTTPS' },
    { what: 'HTTP to the instance metadata service (its credentials)', port: TCP(80), to: '169.254.169.254/32', fix: "Peer.ipv4('169.254.169.254/32'), Port.HTTP" },
  ],
  [HostDeliveryKind.AZURE_RUN_COMMAND]: [
    { what: 'the VM agent\'s HTTP to the Azure wire server', port: TCP(80), to: '168.63.129.16/32', fix: "Peer.ipv4('168.63.129.16/32'), Port.HTTP, Port.tcp(32526)" },
    { what: 'the VM agent\'s tcp/32526 to the Azure wire server', port: TCP(32526), to: '168.63.129.16/32', fix: "Peer.ipv4('168.63.129.16/32'), Port.tcp(32526)" },
    { what: 'HTTP to the instance metadata service', port: TCP(80), to: '169.254.169.254/32', fix: "Peer.ipv4('169.254.169.254/32'), Port.HTTP" },
  ],
};

/**
 * The agent traffic of a delivery that no accept rule of the output chain carries: once the rule
 * set is loaded, its default deny cuts the agent off, and no later rule set reaches the server. A
 * rule towards an address known only at apply is taken to carry it.
 */
export function uncarriedAgentTraffic(kind: HostDeliveryKind, rules: readonly HostRule[]): AgentTraffic[] {
  const out = rules.filter((rule) => rule.direction === 'out' && rule.action === 'accept' && rule.local === undefined);
  return (AGENT_TRAFFIC[kind] ?? []).filter((traffic) => !out.some((rule) => rule.ports.some((port) => coversSpec(port, traffic.port))
    && (rule.peers === undefined || traffic.to === undefined
      || rule.peers.some((peer) => Token.isUnresolved(peer) || cidrContainsValid(peer, traffic.to!)))));
}

/** The warning of a workload whose rule set would cut off the agent that delivers it. */
export function agentTrafficWarning(workload: string, kind: HostDeliveryKind, missing: readonly AgentTraffic[]): string {
  const delivery = kind === HostDeliveryKind.AWS_SSM ? 'HostDelivery.awsSsm()' : 'HostDelivery.azureRunCommand(...)';
  return `[microseg-host-delivery-egress] Workload '${workload}': its rule set arrives by ${delivery}, but its output chain lets out none of ${missing.map((t) => t.what).join('; ')}. Once the rule set is loaded, the agent is cut off and no later change reaches the server. Declare flows from the workload for them (${[...new Set(missing.map((t) => t.fix))].join('; ')}), or deliver with HostDelivery.files().`;
}
