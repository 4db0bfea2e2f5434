import {
  EMPTY_INTERVALS, IntervalSet, containsIntervals, intersectIntervals, intervalSet, subtractIntervals, unionIntervals,
} from '../../net/interval-set';
import { NO_TRAFFIC, Traffic } from '../../net/traffic';

/** The protocols Kubernetes policies name (SCTP included), plus everything else (ICMP and the rest) as one element. */
export type KubeProtocol = 'tcp' | 'udp' | 'sctp' | 'other';

const PROTOCOLS: readonly KubeProtocol[] = ['tcp', 'udp', 'sctp', 'other'];

/**
 * A set of packets as Kubernetes policies see them: destination ports for TCP, UDP and SCTP, and one
 * element (0) for every other protocol (ICMP included), which only a rule without ports matches.
 */
export type KubeTraffic = Readonly<Record<KubeProtocol, IntervalSet>>;

/** No packet. */
export const NO_KUBE_TRAFFIC: KubeTraffic = { tcp: EMPTY_INTERVALS, udp: EMPTY_INTERVALS, sctp: EMPTY_INTERVALS, other: EMPTY_INTERVALS };

/** Every packet: what a rule without ports matches. */
export const ALL_KUBE_TRAFFIC: KubeTraffic = { tcp: [[0, 65535]], udp: [[0, 65535]], sctp: [[0, 65535]], other: [[0, 0]] };

/** The ports `first`..`last` of one port protocol (both omitted: every port). */
export function kubePorts(protocol: 'tcp' | 'udp' | 'sctp', first?: number, last?: number): KubeTraffic {
  const from = first ?? 0;
  const to = last ?? (first ?? 65535);
  return { ...NO_KUBE_TRAFFIC, [protocol]: from <= to ? intervalSet([[from, to]]) : EMPTY_INTERVALS };
}

/** Packets in `a` or `b`. */
export function kubeUnion(a: KubeTraffic, b: KubeTraffic): KubeTraffic {
  return map((p) => unionIntervals(a[p], b[p]));
}

/** Packets in both. */
export function kubeIntersect(a: KubeTraffic, b: KubeTraffic): KubeTraffic {
  return map((p) => intersectIntervals(a[p], b[p]));
}

/** Packets in `a` but not `b`. */
export function kubeSubtract(a: KubeTraffic, b: KubeTraffic): KubeTraffic {
  return map((p) => subtractIntervals(a[p], b[p]));
}

/** Whether the set is empty. */
export function kubeIsEmpty(t: KubeTraffic): boolean {
  return PROTOCOLS.every((p) => t[p].length === 0);
}

/** Whether `outer` holds every packet of `inner`. */
export function kubeCovers(outer: KubeTraffic, inner: KubeTraffic): boolean {
  return PROTOCOLS.every((p) => containsIntervals(outer[p], inner[p]));
}

/**
 * The evaluator's traffic as Kubernetes sees it: TCP, UDP and SCTP ports carry over; ICMP, ICMPv6 and other
 * protocols become the one `other` element (no Kubernetes port matches them).
 */
export function fromTraffic(traffic: Traffic): KubeTraffic {
  const other = traffic.icmp.length > 0 || traffic.icmpv6.length > 0 || traffic.other.length > 0;
  return { tcp: traffic.tcp, udp: traffic.udp, sctp: traffic.sctp, other: other ? [[0, 0]] : EMPTY_INTERVALS };
}

/**
 * The part of `query` (evaluator traffic) that `allowed` (Kubernetes traffic) lets through: TCP, UDP
 * and SCTP ports as allowed; ICMP and other protocols only when `other` is allowed (a rule without ports).
 */
export function toTraffic(query: Traffic, allowed: KubeTraffic): Traffic {
  const other = allowed.other.length > 0;
  return {
    ...NO_TRAFFIC,
    tcp: intersectIntervals(query.tcp, allowed.tcp),
    udp: intersectIntervals(query.udp, allowed.udp),
    sctp: intersectIntervals(query.sctp, allowed.sctp),
    icmp: other ? query.icmp : EMPTY_INTERVALS,
    icmpv6: other ? query.icmpv6 : EMPTY_INTERVALS,
    other: other ? query.other : EMPTY_INTERVALS,
  };
}

function map(fn: (protocol: KubeProtocol) => IntervalSet): KubeTraffic {
  return { tcp: fn('tcp'), udp: fn('udp'), sctp: fn('sctp'), other: fn('other') };
}
