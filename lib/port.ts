import { Token } from 'cdktf';
import { portKey, PortSpec, RuleProtocol } from './model/ports';

/** IP protocol of a {@link Port}. */
export enum Protocol {
  /** TCP. */
  TCP = 'tcp',
  /** UDP. */
  UDP = 'udp',
  /** SCTP (IP protocol 132). */
  SCTP = 'sctp',
  /** ICMP for IPv4. */
  ICMP = 'icmp',
  /** ICMP for IPv6. */
  ICMPV6 = 'icmpv6',
  /** Every protocol and every port. */
  ALL = 'all',
}

/**
 * A protocol with a port range (or an ICMP type and code) that a flow allows.
 *
 * Create ports with the static factories; invalid values are reported with the path of the
 * construct that uses them when the app is synthesized.
 */
export class Port {
  /** HTTP, TCP 80. */
  public static readonly HTTP = Port.tcp(80);
  /** HTTPS, TCP 443. */
  public static readonly HTTPS = Port.tcp(443);
  /** SSH, TCP 22. */
  public static readonly SSH = Port.tcp(22);
  /** Remote Desktop, TCP 3389. */
  public static readonly RDP = Port.tcp(3389);
  /** PostgreSQL, TCP 5432. */
  public static readonly POSTGRES = Port.tcp(5432);
  /** MySQL and MariaDB, TCP 3306. */
  public static readonly MYSQL = Port.tcp(3306);
  /** Microsoft SQL Server, TCP 1433. */
  public static readonly MSSQL = Port.tcp(1433);
  /** Redis, TCP 6379. */
  public static readonly REDIS = Port.tcp(6379);
  /** DNS over UDP, UDP 53. */
  public static readonly DNS_UDP = Port.udp(53);
  /** DNS over TCP, TCP 53. */
  public static readonly DNS_TCP = Port.tcp(53);
  /** NTP, UDP 123. */
  public static readonly NTP = Port.udp(123);
  /** Kubernetes API server, TCP 6443. */
  public static readonly KUBERNETES_API = Port.tcp(6443);

  /** A single TCP port. */
  public static tcp(port: number): Port {
    return new Port(Protocol.TCP, port, port, `Port.tcp(${port})`);
  }

  /** An inclusive TCP port range. */
  public static tcpRange(fromPort: number, toPort: number): Port {
    return new Port(Protocol.TCP, fromPort, toPort, `Port.tcpRange(${fromPort}, ${toPort})`);
  }

  /** Every TCP port. */
  public static allTcp(): Port {
    return new Port(Protocol.TCP, 0, 65535, 'Port.allTcp()');
  }

  /** A single UDP port. */
  public static udp(port: number): Port {
    return new Port(Protocol.UDP, port, port, `Port.udp(${port})`);
  }

  /** An inclusive UDP port range. */
  public static udpRange(fromPort: number, toPort: number): Port {
    return new Port(Protocol.UDP, fromPort, toPort, `Port.udpRange(${fromPort}, ${toPort})`);
  }

  /** Every UDP port. */
  public static allUdp(): Port {
    return new Port(Protocol.UDP, 0, 65535, 'Port.allUdp()');
  }

  /**
   * A single SCTP port (NGAP on 38412, Diameter on 3868...).
   *
   * Kubernetes NetworkPolicy matches SCTP ports; AWS and NSX rules match the whole SCTP protocol
   * only (use {@link Port.allSctp} there) and Azure NSG rules cannot match SCTP.
   */
  public static sctp(port: number): Port {
    return new Port(Protocol.SCTP, port, port, `Port.sctp(${port})`);
  }

  /** An inclusive SCTP port range (a Kubernetes `endPort` range). */
  public static sctpRange(fromPort: number, toPort: number): Port {
    return new Port(Protocol.SCTP, fromPort, toPort, `Port.sctpRange(${fromPort}, ${toPort})`);
  }

  /** Every SCTP port: the whole SCTP protocol (IP protocol 132). */
  public static allSctp(): Port {
    return new Port(Protocol.SCTP, 0, 65535, 'Port.allSctp()');
  }

  /**
   * ICMP (IPv4) messages of one type and code.
   * @param type ICMP type, 0-255. @default - every type
   * @param code ICMP code, 0-255. @default - every code of the type
   */
  public static icmp(type?: number, code?: number): Port {
    return new Port(Protocol.ICMP, type ?? -1, code ?? -1, `Port.icmp(${[type, code].filter((v) => v !== undefined).join(', ')})`);
  }

  /**
   * ICMPv6 messages of one type and code.
   * @param type ICMPv6 type, 0-255. @default - every type
   * @param code ICMPv6 code, 0-255. @default - every code of the type
   */
  public static icmpv6(type?: number, code?: number): Port {
    return new Port(Protocol.ICMPV6, type ?? -1, code ?? -1, `Port.icmpv6(${[type, code].filter((v) => v !== undefined).join(', ')})`);
  }

  /** Every protocol and every port. Use sparingly: policy checks flag it between segments. */
  public static allTraffic(): Port {
    return new Port(Protocol.ALL, -1, -1, 'Port.allTraffic()');
  }

  /**
   * Parses the textual form used by the `microseg` command and by {@link Port.toString}:
   * `tcp/443`, `udp/53`, `tcp/8000-8100`, `sctp/38412`, `icmp`, `icmp/8`, `icmp/8/0`, `all`.
   */
  public static parse(text: string): Port {
    const match = /^(tcp|udp|sctp|icmp|icmpv6|all)(?:\/(\d+)(?:([-/])(\d+))?)?$/i.exec(text.trim());
    if (!match) {
      throw new Error(`Port "${text}" is not valid. Use forms like "tcp/443", "tcp/8000-8100", "udp/53", "sctp/38412", "icmp/8/0" or "all".`);
    }
    const protocol = match[1].toLowerCase();
    const first = match[2] === undefined ? undefined : Number(match[2]);
    const second = match[4] === undefined ? undefined : Number(match[4]);
    if (protocol === 'all') return Port.allTraffic();
    if (protocol === 'icmp' || protocol === 'icmpv6') {
      if (match[3] === '-') throw new Error(`Port "${text}" is not valid: ICMP takes "icmp/<type>/<code>", not a range.`);
      return protocol === 'icmp' ? Port.icmp(first, second) : Port.icmpv6(first, second);
    }
    if (match[3] === '/') throw new Error(`Port "${text}" is not valid: write a range as "${protocol}/${first}-${second}".`);
    if (first === undefined) return protocol === 'tcp' ? Port.allTcp() : protocol === 'udp' ? Port.allUdp() : Port.allSctp();
    const last = second ?? first;
    return protocol === 'tcp' ? Port.tcpRange(first, last) : protocol === 'udp' ? Port.udpRange(first, last) : Port.sctpRange(first, last);
  }

  /** The protocol. */
  public readonly protocol: Protocol;
  /** First port of the range; the ICMP type for ICMP (-1 = every type); -1 for all traffic. */
  public readonly fromPort: number;
  /** Last port of the range; the ICMP code for ICMP (-1 = every code); -1 for all traffic. */
  public readonly toPort: number;
  /** How the port was written, for error messages (`Port.tcp(70000)`). */
  public readonly expression: string;

  private constructor(protocol: Protocol, fromPort: number, toPort: number, expression: string) {
    this.protocol = protocol;
    this.fromPort = fromPort;
    this.toPort = toPort;
    this.expression = expression;
  }

  /** Problems with this port's values; empty when it is valid. */
  public validate(): string[] {
    const problems: string[] = [];
    if (this.protocol === Protocol.TCP || this.protocol === Protocol.UDP || this.protocol === Protocol.SCTP) {
      for (const value of new Set([this.fromPort, this.toPort])) {
        const wrong = valueProblem(value, 'port', 0, 65535);
        if (wrong) problems.push(`${this.expression}: ${wrong}`);
      }
      if (problems.length === 0 && this.fromPort > this.toPort) {
        const fix = `${this.protocol}Range`;
        problems.push(`${this.expression}: the range starts after it ends. Did you mean Port.${fix}(${this.toPort}, ${this.fromPort})?`);
      }
    }
    if (this.protocol === Protocol.ICMP || this.protocol === Protocol.ICMPV6) {
      // -1 stands for every type (code): what Port.icmp() without arguments declares
      const type = this.fromPort === -1 ? undefined : valueProblem(this.fromPort, 'ICMP type', 0, 255);
      if (type) problems.push(`${this.expression}: ${type}`);
      const code = this.toPort === -1 ? undefined : valueProblem(this.toPort, 'ICMP code', 0, 255);
      if (code) problems.push(`${this.expression}: ${code}`);
      if (this.fromPort === -1 && this.toPort !== -1) {
        problems.push(`${this.expression}: an ICMP code needs a type. Did you mean Port.${this.protocol}(<type>, ${this.toPort})?`);
      }
    }
    return problems;
  }

  /** The textual form (`tcp/443`, `tcp/8000-8100`, `icmp/8/0`, `all`), also accepted by {@link Port.parse}. */
  public toString(): string {
    const spec = this._toSpec();
    if (spec.protocol === 'icmp' || spec.protocol === 'icmpv6') {
      if (spec.from === -1) return spec.protocol;
      if (spec.to === -1) return `${spec.protocol}/${spec.from}`;
    }
    return portKey(spec);
  }

  /** @internal The port as the policy model sees it. */
  public _toSpec(): PortSpec {
    return { protocol: this.protocol as RuleProtocol, from: this.fromPort, to: this.toPort };
  }
}

/**
 * What is wrong with a port number or ICMP type or code, if anything: a Terraform expression
 * (rules are decided at synth, so the number must be known then), a fraction, or a value out of range.
 */
function valueProblem(value: number, what: string, min: number, max: number): string | undefined {
  if (Token.isUnresolved(value)) return `${what} is a Terraform expression, known only at apply; rules are decided at synth, so give the number itself.`;
  if (!Number.isInteger(value)) return `${what} ${value} is not a whole number.`;
  if (value < min || value > max) return `${what} ${value} is outside ${min}-${max}.`;
  return undefined;
}
