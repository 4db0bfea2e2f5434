import { PolicyAtom } from './atom';
import { PortSpec } from './ports';

/**
 * What one platform's rules can express, declared as data by its folder. The model decides from it,
 * with one function per question, whether a flow fits, so every platform fails the same way.
 */
export interface PlatformCapabilities {
  /** The rules' owner as messages name it, plural (`Azure NSGs`, `the NSX distributed firewall`). */
  readonly name: string;
  /** One of its rules as messages name it, plural (`Azure NSG rules`). */
  readonly ruleName: string;
  /** The platform as messages name it (`Azure`, `AWS`, `NSX`). */
  readonly platform: string;
  /** Whether it has deny rules. */
  readonly deny: boolean;
  /** Whether its rules are stateless (return traffic needs its own rules). */
  readonly stateless: boolean;
  /** Whether a rule can match an ICMP type and code (rather than every ICMP message). */
  readonly icmpTypeCode: boolean;
  /**
   * How its rules match SCTP: `ports` (destination ports and ranges), `protocol` (the whole SCTP
   * protocol only, IP protocol 132 without ports) or `none` (no rule protocol stands for SCTP).
   */
  readonly sctp: 'ports' | 'protocol' | 'none';
  /** The named-peer kinds its rules can name (values of `PeerKind`: `aws-prefix-list`, `azure-service-tag`). */
  readonly peerKinds: readonly string[];
  /** Its groups of workloads as messages name them (`security groups`, `application security groups`). */
  readonly groups: string;
  /** What its rules can name, for messages (`security groups, addresses and prefix lists`). */
  readonly matches: string;
  /** How a workload of the platform gets addresses, for advice (`instance.privateIp`). */
  readonly addressExample: string;
}

/** How a named-peer kind is written, for advice (`Peer.awsPrefixList()`). */
const WRITTEN: Record<string, string> = {
  'aws-prefix-list': 'Peer.awsPrefixList()',
  'azure-service-tag': 'Peer.azureServiceTag()',
  'aws-security-group': 'Peer.awsSecurityGroup()',
  'azure-application-security-group': 'Peer.azureApplicationSecurityGroup()',
};

/**
 * The problem of a flow side that the rules of `enforcement` (its construct path) cannot name, or
 * undefined when they can. Addresses and members always fit; a named peer fits when the platform
 * knows its kind. The message is the same on every platform.
 */
export function inexpressibleSide(atom: PolicyAtom<any, any>, capabilities: PlatformCapabilities, enforcement: string): string | undefined {
  if (atom.kind !== 'named' || capabilities.peerKinds.includes(atom.peerKind)) return undefined;
  const alternatives = capabilities.peerKinds.map((k) => WRITTEN[k] ?? k);
  return `names ${atom.written}, which ${capabilities.name} of '${enforcement}' cannot express (they match ${capabilities.matches} only), so the flow would be dropped there. `
    + `Use Peer.ipv4() or Peer.ipv6() with the addresses behind it${alternatives.map((a) => ` or ${a}`).join('')}.`;
}

/**
 * The problem of a flow's ports that the platform's rules cannot express, or undefined when they
 * fit: SCTP where no rule matches it, SCTP ports where rules match the whole SCTP protocol only
 * (rendering them would allow every SCTP port), an ICMP type or code where rules match every ICMP
 * message only (rendering it would allow every message).
 */
export function inexpressiblePorts(ports: readonly PortSpec[], capabilities: PlatformCapabilities): string | undefined {
  return inexpressibleSctp(ports, capabilities) ?? inexpressibleIcmp(ports, capabilities);
}

function inexpressibleSctp(ports: readonly PortSpec[], capabilities: PlatformCapabilities): string | undefined {
  if (capabilities.sctp === 'ports') return undefined;
  const sctp = ports.find((s) => s.protocol === 'sctp' && (capabilities.sctp === 'none' || s.from > 0 || s.to < 65535));
  if (!sctp) return undefined;
  const written = sctp.from === sctp.to ? `SCTP port ${sctp.from}` : sctp.from <= 0 && sctp.to >= 65535 ? 'SCTP' : `SCTP ports ${sctp.from}-${sctp.to}`;
  if (capabilities.sctp === 'none') {
    return `names ${written}, but ${capabilities.ruleName} cannot match SCTP (no rule protocol stands for it). Keep the flow off ${capabilities.platform}, for example on Kubernetes pods, whose NetworkPolicy matches SCTP ports.`;
  }
  return `names ${written}, but ${capabilities.ruleName} cannot match SCTP ports: a rule for IP protocol 132 matches every SCTP port. Use Port.allSctp() if that is acceptable, or keep the flow off ${capabilities.platform}.`;
}

function inexpressibleIcmp(ports: readonly PortSpec[], capabilities: PlatformCapabilities): string | undefined {
  if (capabilities.icmpTypeCode) return undefined;
  const typed = ports.find((s) => (s.protocol === 'icmp' || s.protocol === 'icmpv6') && s.from !== -1);
  if (!typed) return undefined;
  const [name, factory] = typed.protocol === 'icmpv6' ? ['ICMPv6', 'Port.icmpv6()'] : ['ICMP', 'Port.icmp()'];
  return `names ${name} type ${typed.from}${typed.to === -1 ? '' : ` code ${typed.to}`}, but ${capabilities.ruleName} cannot match ${name} types or codes: its rule would match every ${name} message. Use ${factory} (every type) if that is acceptable, or keep the flow off ${capabilities.platform}.`;
}

/**
 * The problem of a member of the platform that another enforcement (`memberEnforcement`, its
 * construct path) renders and that has no addresses: the rules of `enforcement` cannot name it by
 * that enforcement's groups. The message is the same on every platform; `advice` replaces the
 * platform's example when the member's binding knows better (a resource without a fixed address).
 */
export function unaddressedMemberProblem(
  member: string, memberEnforcement: string, capabilities: PlatformCapabilities, enforcement: string, advice?: string,
): string {
  return `needs the addresses of workload '${member}' (in '${memberEnforcement}', whose ${capabilities.groups} the rules of '${enforcement}' cannot name), but it has none. ${advice ?? `Give the workload addresses, for example addresses: [${capabilities.addressExample}].`}`;
}
