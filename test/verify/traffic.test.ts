import * as fc from 'fast-check';
import { IntervalSet, intervalSet, intersectIntervals, subtractIntervals, unionIntervals } from '../../lib/verify/net/interval-set';
import { flowPortTraffic, formatFlowPort, parseFlowPort } from '../../lib/verify/net/port-query';
import { coversTraffic, formatTraffic, icmpTraffic, protocolTraffic, unionTraffic } from '../../lib/verify/net/traffic';

const port = fc.integer({ min: 0, max: 300 });
const intervals = fc.array(fc.tuple(port, port), { maxLength: 6 }).map((pairs) => intervalSet(pairs));
const members = (set: IntervalSet) => new Set(set.flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => a + i)));

describe('interval sets', () => {
  test('union, intersection and difference agree with set semantics', () => {
    fc.assert(fc.property(intervals, intervals, (a, b) => {
      const [ma, mb] = [members(a), members(b)];
      expect(members(unionIntervals(a, b))).toEqual(new Set([...ma, ...mb]));
      expect(members(intersectIntervals(a, b))).toEqual(new Set([...ma].filter((x) => mb.has(x))));
      expect(members(subtractIntervals(a, b))).toEqual(new Set([...ma].filter((x) => !mb.has(x))));
    }));
  });

  test('normalized sets are sorted, disjoint and never adjacent', () => {
    fc.assert(fc.property(intervals, (set) => {
      set.forEach(([first, last], index) => {
        expect(first).toBeLessThanOrEqual(last);
        if (index > 0) expect(first).toBeGreaterThan(set[index - 1][1] + 1);
      });
    }));
  });
});

describe('port queries', () => {
  test.each([
    ['tcp/5432', { protocol: 'tcp', port: 5432 }],
    ['TCP/8000-8100', { protocol: 'tcp', port: 8000, toPort: 8100 }],
    ['udp/53', { protocol: 'udp', port: 53 }],
    ['sctp/38412', { protocol: 'sctp', port: 38412 }],
    ['SCTP/36412-36422', { protocol: 'sctp', port: 36412, toPort: 36422 }],
    ['icmp/8', { protocol: 'icmp', port: 8 }],
    ['icmp/8/0', { protocol: 'icmp', port: 8, code: 0 }],
    ['all', { protocol: 'all' }],
    ['tcp', { protocol: 'tcp' }],
  ])('parses %s', (text, expected) => {
    expect(parseFlowPort(text)).toEqual(expected);
  });

  test.each(['tcp/70000', 'tcp/90-80', 'http', 'all/1', 'icmp/1-2', 'tcp/1/2', 'icmp/300'])('rejects %s', (text) => {
    expect(() => parseFlowPort(text)).toThrow(/is not valid/);
  });

  test('traffic sets format with ranges compressed', () => {
    const traffic = unionTraffic(unionTraffic(protocolTraffic('tcp', 443), protocolTraffic('tcp', 8000, 8100)), protocolTraffic('icmp', 8));
    expect(formatTraffic(traffic)).toEqual(['tcp/443', 'tcp/8000-8100', 'icmp/8']);
    expect(formatTraffic(flowPortTraffic({ protocol: 'all' }))).toEqual(['all']);
    expect(formatTraffic(flowPortTraffic({ protocol: 'icmpv6' }))).toEqual(['icmpv6']);
  });

  test('ICMP is tracked by type and code: a code is a part of its type', () => {
    const echo = flowPortTraffic({ protocol: 'icmp', port: 8 });
    const echoCode0 = flowPortTraffic({ protocol: 'icmp', port: 8, code: 0 });
    expect(coversTraffic(echo, echoCode0)).toBe(true);
    expect(coversTraffic(echoCode0, echo)).toBe(false);
    expect(coversTraffic(icmpTraffic('icmp', 0, 0), echoCode0)).toBe(false);
    expect(formatTraffic(echoCode0)).toEqual(['icmp/8/0']);
    expect(formatTraffic(unionTraffic(unionTraffic(protocolTraffic('icmp', 3, 5), icmpTraffic('icmp', 11, 0)), icmpTraffic('icmp', 11, 1)))).toEqual(['icmp/3-5', 'icmp/11/0-1']);
    expect(formatTraffic(unionTraffic(protocolTraffic('icmpv6', 128), icmpTraffic('icmpv6', 129, 0)))).toEqual(['icmpv6/128', 'icmpv6/129/0']);
    expect(formatFlowPort(parseFlowPort('icmpv6/129/0'))).toBe('icmpv6/129/0');
  });

  test('SCTP is tracked by port, apart from TCP and from other protocols', () => {
    const ngap = flowPortTraffic(parseFlowPort('sctp/38412'));
    expect(formatTraffic(ngap)).toEqual(['sctp/38412']);
    expect(coversTraffic(protocolTraffic('sctp'), ngap)).toBe(true);
    expect(coversTraffic(protocolTraffic('tcp'), ngap)).toBe(false);
    expect(coversTraffic(protocolTraffic('other'), ngap)).toBe(false);
    expect(coversTraffic(flowPortTraffic({ protocol: 'all' }), ngap)).toBe(true);
    expect(formatFlowPort(parseFlowPort('sctp/36412-36422'))).toBe('sctp/36412-36422');
  });

  test.each(['sctp/70000', 'sctp/38412/0'])('rejects %s', (text) => {
    expect(() => parseFlowPort(text)).toThrow(/is not valid/);
  });

  test.each(['tcp/80/0', 'icmp/8/256'])('rejects the code of %s', (text) => {
    expect(() => parseFlowPort(text)).toThrow(/is not valid/);
  });
});
