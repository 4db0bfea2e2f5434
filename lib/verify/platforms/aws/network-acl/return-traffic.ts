import { Interval, IntervalSet, containsIntervals, intersectIntervals, intervalSet, subtractIntervals, unionIntervals } from '../../../net/interval-set';
import { NO_TRAFFIC, Traffic, icmpTraffic, protocolTraffic } from '../../../net/traffic';

type IcmpFamily = 'icmp' | 'icmpv6';

/**
 * ICMP request types and the type of their reply (RFC 792, RFC 4443): echo, timestamp,
 * information and address mask requests. A reply always carries code 0.
 */
const ICMP_REPLIES: Readonly<Record<IcmpFamily, ReadonlyArray<readonly [number, number]>>> = {
  icmp: [[8, 0], [13, 14], [15, 16], [17, 18]],
  icmpv6: [[128, 129]],
};

/**
 * The packets a stateless filter must let back for the request traffic to work: TCP and UDP answers
 * go to the client's ephemeral ports; an ICMP request (echo, timestamp...) is answered by its reply
 * type with code 0; other ICMP types need no answer; SCTP answers on any SCTP port (an entry for
 * protocol 132 matches every port); other protocols answer with the same protocol.
 */
export function returnTrafficOf(request: Traffic, ephemeral: Interval): Traffic {
  return {
    tcp: request.tcp.length > 0 ? intervalSet([ephemeral]) : [],
    udp: request.udp.length > 0 ? intervalSet([ephemeral]) : [],
    sctp: request.sctp.length > 0 ? intervalSet([[0, 65535]]) : [],
    icmp: icmpReplies(request, 'icmp'),
    icmpv6: icmpReplies(request, 'icmpv6'),
    other: request.other,
  };
}

/** The part of the request traffic that works when `passing` is what the filter lets back. */
export function servedRequests(request: Traffic, ephemeral: Interval, passing: Traffic): Traffic {
  const needed = returnTrafficOf(request, ephemeral);
  const served = (protocol: 'tcp' | 'udp') => (containsIntervals(passing[protocol], needed[protocol]) ? request[protocol] : []);
  return {
    ...NO_TRAFFIC,
    tcp: served('tcp'),
    udp: served('udp'),
    sctp: containsIntervals(passing.sctp, needed.sctp) ? request.sctp : [],
    icmp: icmpServed(request, passing, 'icmp'),
    icmpv6: icmpServed(request, passing, 'icmpv6'),
    other: passing.other.length > 0 ? request.other : [],
  };
}

/** The request messages of `family` that are of type `type` (any code). */
function ofType(request: Traffic, family: IcmpFamily, type: number): IntervalSet {
  return intersectIntervals(request[family], protocolTraffic(family, type)[family]);
}

function icmpReplies(request: Traffic, family: IcmpFamily): IntervalSet {
  let replies: IntervalSet = [];
  for (const [ask, answer] of ICMP_REPLIES[family]) {
    if (ofType(request, family, ask).length > 0) replies = unionIntervals(replies, icmpTraffic(family, answer, 0)[family]);
  }
  return replies;
}

/** The request messages that work: a request whose reply (type, code 0) is blocked does not. */
function icmpServed(request: Traffic, passing: Traffic, family: IcmpFamily): IntervalSet {
  let served = request[family];
  for (const [ask, answer] of ICMP_REPLIES[family]) {
    if (!containsIntervals(passing[family], icmpTraffic(family, answer, 0)[family])) served = subtractIntervals(served, ofType(request, family, ask));
  }
  return served;
}
