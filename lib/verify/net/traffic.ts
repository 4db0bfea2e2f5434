import {
  EMPTY_INTERVALS, Interval, IntervalSet, containsIntervals, formatIntervals, intersectIntervals, intervalSet,
  subtractIntervals, unionIntervals,
} from './interval-set';

/** The protocol families the evaluator tracks; `other` stands for every other IP protocol at once. */
export type TrafficProtocol = 'tcp' | 'udp' | 'sctp' | 'icmp' | 'icmpv6' | 'other';

/** Every tracked protocol family, in display order. */
export const TRAFFIC_PROTOCOLS: readonly TrafficProtocol[] = ['tcp', 'udp', 'sctp', 'icmp', 'icmpv6', 'other'];

/**
 * A set of packets as the evaluator sees them: destination ports for TCP, UDP and SCTP, messages for
 * ICMP and ICMPv6 as `type * 256 + code` (so one type with every code is one interval, and a rule
 * restricted to a code matches exactly that code), and one element (0) standing for all other
 * protocols.
 */
export type Traffic = Readonly<Record<TrafficProtocol, IntervalSet>>;

/** Codes per ICMP type: an ICMP message is the element `type * ICMP_CODES + code`. */
const ICMP_CODES = 256;

const SPACE: Readonly<Record<TrafficProtocol, Interval>> = {
  tcp: [0, 65535],
  udp: [0, 65535],
  sctp: [0, 65535],
  icmp: [0, 255 * ICMP_CODES + 255],
  icmpv6: [0, 255 * ICMP_CODES + 255],
  other: [0, 0],
};

/** No packet at all. */
export const NO_TRAFFIC: Traffic = {
  tcp: EMPTY_INTERVALS,
  udp: EMPTY_INTERVALS,
  sctp: EMPTY_INTERVALS,
  icmp: EMPTY_INTERVALS,
  icmpv6: EMPTY_INTERVALS,
  other: EMPTY_INTERVALS,
};

/** Every packet of every protocol. */
export const ALL_TRAFFIC: Traffic = {
  tcp: [SPACE.tcp],
  udp: [SPACE.udp],
  sctp: [SPACE.sctp],
  icmp: [SPACE.icmp],
  icmpv6: [SPACE.icmpv6],
  other: [SPACE.other],
};

/**
 * The traffic of one protocol family between `first` and `last` (ports, or ICMP types with every
 * code); both omitted = the whole family.
 */
export function protocolTraffic(protocol: TrafficProtocol, first?: number, last?: number): Traffic {
  if (isIcmp(protocol)) {
    const [low, high] = [0, 255];
    const from = first === undefined ? low : Math.max(low, first);
    const to = last === undefined ? (first === undefined ? high : first) : Math.min(high, last);
    return { ...NO_TRAFFIC, [protocol]: from <= to ? intervalSet([[from * ICMP_CODES, to * ICMP_CODES + ICMP_CODES - 1]]) : EMPTY_INTERVALS };
  }
  const [low, high] = SPACE[protocol];
  const from = first === undefined ? low : Math.max(low, first);
  const to = last === undefined ? (first === undefined ? high : first) : Math.min(high, last);
  return { ...NO_TRAFFIC, [protocol]: from <= to ? intervalSet([[from, to]]) : EMPTY_INTERVALS };
}

/** The ICMP (or ICMPv6) messages of one type: every code, or only `code`. */
export function icmpTraffic(protocol: 'icmp' | 'icmpv6', type: number, code?: number): Traffic {
  if (code === undefined || code < 0) return protocolTraffic(protocol, type);
  if (type < 0 || type > 255 || code > 255) return NO_TRAFFIC;
  const element = type * ICMP_CODES + code;
  return { ...NO_TRAFFIC, [protocol]: intervalSet([[element, element]]) };
}

/** Packets in `a` or `b`. */
export function unionTraffic(a: Traffic, b: Traffic): Traffic {
  if (a === NO_TRAFFIC) return b;
  if (b === NO_TRAFFIC) return a;
  return mapProtocols((p) => unionIntervals(a[p], b[p]));
}

/** Packets in both `a` and `b`. */
export function intersectTraffic(a: Traffic, b: Traffic): Traffic {
  if (a === NO_TRAFFIC || b === NO_TRAFFIC) return NO_TRAFFIC;
  if (a === ALL_TRAFFIC) return b;
  if (b === ALL_TRAFFIC) return a;
  return mapProtocols((p) => intersectIntervals(a[p], b[p]));
}

/** Packets in `a` but not in `b`. */
export function subtractTraffic(a: Traffic, b: Traffic): Traffic {
  if (a === NO_TRAFFIC || b === NO_TRAFFIC) return a;
  return mapProtocols((p) => subtractIntervals(a[p], b[p]));
}

/** Whether the set holds no packet. */
export function isNoTraffic(t: Traffic): boolean {
  // written out: the matrix asks this several times for every cell
  if (t === NO_TRAFFIC) return true;
  return t.tcp.length === 0 && t.udp.length === 0 && t.sctp.length === 0 && t.icmp.length === 0 && t.icmpv6.length === 0 && t.other.length === 0;
}

/** Whether every packet of `inner` is in `outer`. */
export function coversTraffic(outer: Traffic, inner: Traffic): boolean {
  if (outer === inner) return true;
  return containsIntervals(outer.tcp, inner.tcp) && containsIntervals(outer.udp, inner.udp) && containsIntervals(outer.sctp, inner.sctp)
    && containsIntervals(outer.icmp, inner.icmp) && containsIntervals(outer.icmpv6, inner.icmpv6) && containsIntervals(outer.other, inner.other);
}

/** Whether the two sets hold the same packets. */
export function sameTraffic(a: Traffic, b: Traffic): boolean {
  return coversTraffic(a, b) && coversTraffic(b, a);
}

/**
 * The set as port strings with ranges compressed: `all`, `tcp/443`, `tcp/8000-8100`, `udp/0-65535`,
 * `icmp` (every type), `icmp/8` (every code), `icmp/3-5`, `icmp/0/0` (one code), `other-protocols`.
 */
export function formatTraffic(t: Traffic): string[] {
  if (sameTraffic(t, ALL_TRAFFIC)) return ['all'];
  const parts: string[] = [];
  for (const protocol of TRAFFIC_PROTOCOLS) {
    const set = t[protocol];
    if (set.length === 0) continue;
    if (protocol === 'other') {
      parts.push('other-protocols');
    } else if ((protocol === 'icmp' || protocol === 'icmpv6') && containsIntervals(set, [SPACE[protocol]])) {
      parts.push(protocol);
    } else if (protocol === 'icmp' || protocol === 'icmpv6') {
      parts.push(...formatIcmp(set).map((text) => `${protocol}/${text}`));
    } else {
      parts.push(...formatIntervals(set).split(',').map((range) => `${protocol}/${range}`));
    }
  }
  return parts;
}

function mapProtocols(fn: (protocol: TrafficProtocol) => IntervalSet): Traffic {
  return { tcp: fn('tcp'), udp: fn('udp'), sctp: fn('sctp'), icmp: fn('icmp'), icmpv6: fn('icmpv6'), other: fn('other') };
}

function isIcmp(protocol: TrafficProtocol): protocol is 'icmp' | 'icmpv6' {
  return protocol === 'icmp' || protocol === 'icmpv6';
}

/** ICMP messages as `8`, `3-5` (types with every code), `0/0` or `3/0-3` (codes of one type). */
function formatIcmp(set: IntervalSet): string[] {
  const parts: string[] = [];
  for (const [first, last] of set) {
    let at = first;
    while (at <= last) {
      const type = Math.floor(at / ICMP_CODES);
      const code = at % ICMP_CODES;
      if (code === 0 && last >= at + ICMP_CODES - 1) {
        const lastType = Math.floor((last + 1) / ICMP_CODES) - 1; // the last type whose codes are all in
        parts.push(lastType === type ? `${type}` : `${type}-${lastType}`);
        at = (lastType + 1) * ICMP_CODES;
        continue;
      }
      const lastCode = Math.min(ICMP_CODES - 1, last - type * ICMP_CODES);
      parts.push(lastCode === code ? `${type}/${code}` : `${type}/${code}-${lastCode}`);
      at = type * ICMP_CODES + lastCode + 1;
    }
  }
  return parts;
}
