import * as fc from 'fast-check';
import { coversPort, mergePortSpecs, PortSpec, RuleProtocol } from '../../lib/model/ports';

const port = fc.integer({ min: 0, max: 65535 });
const icmpNumber = fc.integer({ min: -1, max: 255 });
const spec: fc.Arbitrary<PortSpec> = fc.oneof(
  fc.tuple(fc.constantFrom<RuleProtocol>('tcp', 'udp', 'sctp'), port, port).map(([protocol, a, b]) => ({ protocol, from: Math.min(a, b), to: Math.max(a, b) })),
  fc.tuple(fc.constantFrom<RuleProtocol>('icmp', 'icmpv6'), icmpNumber, icmpNumber).map(([protocol, from, to]) => ({ protocol, from, to })),
  fc.constant<PortSpec>({ protocol: 'all', from: -1, to: -1 }),
);

describe('mergePortSpecs', () => {
  test('one entry is its own merge: the same as the entry twice, and a copy, never the entry itself', () => {
    fc.assert(fc.property(spec, (entry) => {
      const merged = mergePortSpecs([entry]);
      expect(merged).toEqual(mergePortSpecs([entry, entry]));
      expect(merged[0]).not.toBe(entry);
    }), { numRuns: 2000 });
  });

  test('several entries cover exactly the ports their union covers', () => {
    fc.assert(fc.property(fc.array(spec, { minLength: 1, maxLength: 6 }), fc.constantFrom<RuleProtocol>('tcp', 'udp', 'sctp', 'icmp', 'icmpv6'), port, (entries, protocol, probe) => {
      const number = protocol === 'icmp' || protocol === 'icmpv6' ? probe % 256 : probe;
      const merged = mergePortSpecs(entries);
      expect(merged.some((s) => coversPort(s, protocol, number))).toBe(entries.some((s) => coversPort(s, protocol, number)));
    }), { numRuns: 2000 });
  });
});
