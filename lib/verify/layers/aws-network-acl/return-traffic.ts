import { Interval, containsIntervals, intervalSet, subtractIntervals } from '../../net/interval-set';
import { NO_TRAFFIC, Traffic } from '../../net/traffic';

/** ICMP request types whose reply is a distinct type (echo request to echo reply). */
const ICMP_REPLIES: Readonly<Record<'icmp' | 'icmpv6', readonly [number, number]>> = { icmp: [8, 0], icmpv6: [128, 129] };

/**
 * The packets a stateless filter must let back for the request traffic to work: TCP and UDP answers
 * go to the client's ephemeral ports; an ICMP echo request is answered by an echo reply; other ICMP
 * types need no answer; other protocols answer with the same protocol.
 */
export function returnTrafficOf(request: Traffic, ephemeral: Interval): Traffic {
  return {
    tcp: request.tcp.length > 0 ? intervalSet([ephemeral]) : [],
    udp: request.udp.length > 0 ? intervalSet([ephemeral]) : [],
    icmp: echoReply(request, 'icmp'),
    icmpv6: echoReply(request, 'icmpv6'),
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
    icmp: echoServed(request, passing, 'icmp'),
    icmpv6: echoServed(request, passing, 'icmpv6'),
    other: passing.other.length > 0 ? request.other : [],
  };
}

function echoReply(request: Traffic, protocol: 'icmp' | 'icmpv6'): Traffic['icmp'] {
  const [echo, reply] = ICMP_REPLIES[protocol];
  return containsIntervals(request[protocol], [[echo, echo]]) ? [[reply, reply]] : [];
}

function echoServed(request: Traffic, passing: Traffic, protocol: 'icmp' | 'icmpv6'): Traffic['icmp'] {
  const [echo, reply] = ICMP_REPLIES[protocol];
  const replyPasses = containsIntervals(passing[protocol], [[reply, reply]]);
  return replyPasses ? request[protocol] : subtractIntervals(request[protocol], [[echo, echo]]);
}
