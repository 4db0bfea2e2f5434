import { NACL_ALLOW_NUMBERS, NACL_DENY_NUMBERS, allocateRuleNumbers } from '../../lib/private/rule-number';
import { returnSpecs } from '../../lib/private/stateless-rules';

const EPHEMERAL = { from: 1024, to: 65535 };

describe('allocateRuleNumbers', () => {
  const identities = Array.from({ length: 30 }, (_, i) => `cidr:10.0.${i}.0/24|tcp/443`);

  test('gives every identity a distinct number in 100-32000 on a step of 10', () => {
    // WHEN
    const numbers = allocateRuleNumbers(identities, NACL_ALLOW_NUMBERS);
    // THEN
    const values = [...numbers.values()];
    expect(new Set(values).size).toBe(identities.length);
    for (const n of values) {
      expect(n).toBeGreaterThanOrEqual(100);
      expect(n).toBeLessThanOrEqual(32000);
      expect(n % 10).toBe(0);
    }
  });

  test('depends only on the set of identities, not on their order', () => {
    const forward = allocateRuleNumbers(identities, NACL_ALLOW_NUMBERS);
    const backward = allocateRuleNumbers([...identities].reverse(), NACL_ALLOW_NUMBERS);
    expect([...backward.entries()].sort()).toEqual([...forward.entries()].sort());
  });

  test('adding or removing an identity keeps the numbers of the others', () => {
    // GIVEN
    const before = allocateRuleNumbers(identities, NACL_ALLOW_NUMBERS);
    // WHEN
    const added = allocateRuleNumbers([...identities, 'cidr:192.0.2.0/24|udp/53'], NACL_ALLOW_NUMBERS);
    const removed = allocateRuleNumbers(identities.slice(1), NACL_ALLOW_NUMBERS);
    // THEN
    for (const identity of identities) expect(added.get(identity)).toBe(before.get(identity));
    for (const identity of identities.slice(1)) expect(removed.get(identity)).toBe(before.get(identity));
  });

  test('resolves collisions by probing the next free slot (a full range fills every slot)', () => {
    // GIVEN as many identities as slots: some hash onto the same slot
    const numbers = allocateRuleNumbers(['a', 'b', 'c', 'd', 'e'], { first: 1, last: 5, step: 1 });
    // THEN
    expect([...numbers.values()].sort()).toEqual([1, 2, 3, 4, 5]);
  });

  test('deny entries are numbered in 1-99, before every allow', () => {
    const numbers = allocateRuleNumbers(['deny-a', 'deny-b', 'deny-c'], NACL_DENY_NUMBERS);
    for (const n of numbers.values()) {
      expect(n).toBeGreaterThanOrEqual(1);
      expect(n).toBeLessThanOrEqual(99);
    }
  });

  test('more identities than slots is an error', () => {
    expect(() => allocateRuleNumbers(['a', 'b', 'c'], { first: 1, last: 2, step: 1 })).toThrow(/3 rules do not fit in the 2 rule numbers 1-2/);
  });
});

describe('returnSpecs (stateless return traffic)', () => {
  test('TCP and UDP replies go to the ephemeral ports', () => {
    expect(returnSpecs({ protocol: 'tcp', from: 443, to: 443 }, EPHEMERAL)).toEqual([{ protocol: 'tcp', from: 1024, to: 65535 }]);
    expect(returnSpecs({ protocol: 'udp', from: 53, to: 53 }, { from: 32768, to: 60999 })).toEqual([{ protocol: 'udp', from: 32768, to: 60999 }]);
  });

  test('an ICMP echo request comes back as an echo reply; any ICMP as any ICMP', () => {
    expect(returnSpecs({ protocol: 'icmp', from: 8, to: -1 }, EPHEMERAL)).toEqual([{ protocol: 'icmp', from: 0, to: 0 }]);
    expect(returnSpecs({ protocol: 'icmpv6', from: 128, to: -1 }, EPHEMERAL)).toEqual([{ protocol: 'icmpv6', from: 129, to: 0 }]);
    expect(returnSpecs({ protocol: 'icmp', from: -1, to: -1 }, EPHEMERAL)).toEqual([{ protocol: 'icmp', from: -1, to: -1 }]);
  });

  test('ICMP messages without a reply need no return rule; all traffic returns as all traffic', () => {
    expect(returnSpecs({ protocol: 'icmp', from: 3, to: 4 }, EPHEMERAL)).toEqual([]);
    expect(returnSpecs({ protocol: 'all', from: -1, to: -1 }, EPHEMERAL)).toEqual([{ protocol: 'all', from: -1, to: -1 }]);
  });
});
