import { PortSpec } from '../model/ports';

/** A NetworkPolicy port as `kubernetes_network_policy_v1` writes it (`ports` block). */
export interface NetworkPolicyPortJson {
  readonly protocol: string;
  readonly port?: string;
  readonly end_port?: number;
}

/** What a flow's ports become in one Kubernetes policy language: the entries, or why they cannot be. */
export interface PortsReading<T> {
  /** The entries; empty with `all` for every protocol and port (a rule without ports). */
  readonly entries: T[];
  /** Whether the flow allows every protocol (a rule without ports). */
  readonly all: boolean;
  /** Why some port cannot be expressed (ICMP). */
  readonly problem?: string;
}

/**
 * The NetworkPolicy ports of a flow: TCP and UDP ports and ranges (`end_port`), every port of a
 * protocol as a port entry without a number, and `Port.allTraffic()` as a rule without ports.
 * NetworkPolicy has no ICMP port: ICMP alone cannot be allowed.
 */
export function networkPolicyPorts(specs: readonly PortSpec[]): PortsReading<NetworkPolicyPortJson> {
  if (specs.some((s) => s.protocol === 'all')) return { entries: [], all: true };
  const icmp = specs.filter((s) => s.protocol === 'icmp' || s.protocol === 'icmpv6');
  if (icmp.length > 0) {
    return { entries: [], all: false, problem: icmpProblem('NetworkPolicy', icmp) };
  }
  const zero = portZeroProblem('NetworkPolicy', specs);
  if (zero) return { entries: [], all: false, problem: zero };
  const entries = specs.map((spec): NetworkPolicyPortJson => {
    const protocol = spec.protocol.toUpperCase();
    if (spec.from <= 1 && spec.to >= 65535) return { protocol };
    const from = Math.max(1, spec.from);
    return spec.to > from ? { protocol, port: String(from), end_port: spec.to } : { protocol, port: String(from) };
  });
  return { entries, all: false };
}

/** A ClusterNetworkPolicy protocol entry (camelCase, as the manifest carries it). */
export type ClusterPolicyProtocolJson = Record<string, { destinationPort: { number?: number; range?: { start: number; end: number } } }>;

/** The ClusterNetworkPolicy protocol entries of a flow's ports (absent for every protocol). */
export function clusterPolicyProtocols(specs: readonly PortSpec[]): PortsReading<ClusterPolicyProtocolJson> {
  if (specs.some((s) => s.protocol === 'all')) return { entries: [], all: true };
  const icmp = specs.filter((s) => s.protocol === 'icmp' || s.protocol === 'icmpv6');
  if (icmp.length > 0) return { entries: [], all: false, problem: icmpProblem('ClusterNetworkPolicy', icmp) };
  const zero = portZeroProblem('ClusterNetworkPolicy', specs);
  if (zero) return { entries: [], all: false, problem: zero };
  const entries = specs.map((spec): ClusterPolicyProtocolJson => {
    const from = Math.max(1, spec.from);
    const to = Math.min(65535, spec.to);
    return { [spec.protocol]: { destinationPort: to > from ? { range: { start: from, end: to } } : { number: from } } };
  });
  return { entries, all: false };
}

/** Why port 0 alone cannot be expressed: Kubernetes port numbers are 1-65535 (a range from 0 starts at 1, which is the same traffic). */
function portZeroProblem(language: string, specs: readonly PortSpec[]): string | undefined {
  const zero = specs.filter((s) => s.to === 0);
  if (zero.length === 0) return undefined;
  return `names port 0 (${zero.map((s) => `${s.protocol}/0`).join(', ')}), which a Kubernetes ${language} cannot match: its port numbers are 1-65535, and no service listens on port 0. Remove the port.`;
}

function icmpProblem(language: string, icmp: readonly PortSpec[]): string {
  return `names ICMP (${icmp.map((s) => s.protocol).join(', ')}), which a Kubernetes ${language} cannot match on its own: its ports are TCP, UDP and SCTP, and only a rule without ports (Port.allTraffic()) lets ICMP through. Use Port.allTraffic() for the pods, or leave ICMP to another platform's rules.`;
}
