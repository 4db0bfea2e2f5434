import { VerifyInputError } from '../errors';
import { ALL_TRAFFIC, Traffic, icmpTraffic, protocolTraffic } from './traffic';

/** The protocols a flow query can name. */
export type FlowProtocol = 'tcp' | 'udp' | 'sctp' | 'icmp' | 'icmpv6' | 'all';

/**
 * The traffic a query asks about: a protocol and, for TCP/UDP/SCTP, a destination port (or range up to
 * `toPort`); for ICMP `port` is the message type and `code` its code. No port means every port
 * (every type), no code every code.
 */
export interface FlowPort {
  /** The protocol. */
  readonly protocol: FlowProtocol;
  /** Destination port, or the ICMP type. Omitted: every port / type. */
  readonly port?: number;
  /** Last port of a range starting at `port`. */
  readonly toPort?: number;
  /**
   * ICMP only: the message code of type `port`.
   * @default - every code
   */
  readonly code?: number;
}

const PORT_PATTERN = /^(tcp|udp|sctp|icmpv6|icmp|all)(?:\/(\d+)(?:-(\d+)|\/(\d+))?)?$/;

/** Parses `tcp/5432`, `tcp/8000-8100`, `udp/53`, `sctp/38412`, `icmp/8` (every code), `icmp/8/0` (type 8 code 0), `icmp`, `tcp` or `all`. */
export function parseFlowPort(text: string): FlowPort {
  const match = PORT_PATTERN.exec(text.trim().toLowerCase());
  if (!match) {
    throw new VerifyInputError(`port "${text}" is not valid; use forms like tcp/443, tcp/8000-8100, udp/53, sctp/38412, icmp/8 or all`);
  }
  const protocol = match[1] as FlowProtocol;
  if (protocol === 'all' && match[2] !== undefined) throw new VerifyInputError(`port "${text}" is not valid: "all" takes no port`);
  const port = match[2] === undefined ? undefined : Number(match[2]);
  const toPort = match[3] === undefined ? undefined : Number(match[3]);
  const isIcmp = protocol === 'icmp' || protocol === 'icmpv6';
  if (isIcmp && toPort !== undefined) throw new VerifyInputError(`port "${text}" is not valid: ICMP takes a type, not a range`);
  if (!isIcmp && match[4] !== undefined) throw new VerifyInputError(`port "${text}" is not valid: write a range as ${protocol}/${port}-${match[4]}`);
  const code = match[4] === undefined ? undefined : Number(match[4]);
  return checkFlowPort(code === undefined ? { protocol, port, toPort } : { protocol, port, code }, text);
}

/** Validates the numbers of a port query, naming `text` in the error. */
export function checkFlowPort(port: FlowPort, text: string = formatFlowPort(port)): FlowPort {
  const isIcmp = port.protocol === 'icmp' || port.protocol === 'icmpv6';
  const limit = isIcmp ? 255 : 65535;
  if (port.code !== undefined && !(isIcmp && port.port !== undefined)) {
    throw new VerifyInputError(`port "${text}" is not valid: only an ICMP type takes a code`);
  }
  for (const value of [port.port, port.toPort, port.code]) {
    if (value !== undefined && (!Number.isInteger(value) || value < 0 || value > limit)) {
      throw new VerifyInputError(`port "${text}" is not valid: ${value} is outside 0-${limit}`);
    }
  }
  if (port.port !== undefined && port.toPort !== undefined && port.toPort < port.port) {
    throw new VerifyInputError(`port "${text}" is not valid: the range starts after it ends`);
  }
  return port;
}

/** The packets a port query stands for. */
export function flowPortTraffic(port: FlowPort): Traffic {
  if (port.protocol === 'all') return ALL_TRAFFIC;
  if ((port.protocol === 'icmp' || port.protocol === 'icmpv6') && port.port !== undefined && port.code !== undefined) {
    return icmpTraffic(port.protocol, port.port, port.code);
  }
  return protocolTraffic(port.protocol, port.port, port.toPort ?? port.port);
}

/** The query as text, in the form {@link parseFlowPort} reads. */
export function formatFlowPort(port: FlowPort): string {
  if (port.protocol === 'all') return 'all';
  if (port.port === undefined) return port.protocol;
  if (port.code !== undefined) return `${port.protocol}/${port.port}/${port.code}`;
  if (port.toPort !== undefined && port.toPort !== port.port) return `${port.protocol}/${port.port}-${port.toPort}`;
  return `${port.protocol}/${port.port}`;
}
