import { aggregateCidrs, prefixContains } from '../../lib/private/cidr-aggregate';
import { NACL_ALLOW_NUMBERS, NACL_DENY_NUMBERS, allocateRuleNumbers } from '../../lib/private/rule-number';
import { aggregateRules, returnSpecs } from '../../lib/private/stateless-rules';

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

describe('aggregateCidrs', () => {
  test('merges siblings, repeatedly', () => {
    expect(aggregateCidrs(['10.0.2.0/24', '10.0.3.0/24'])).toEqual(['10.0.2.0/23']);
    expect(aggregateCidrs(['10.0.0.0/26', '10.0.0.64/26', '10.0.0.128/26', '10.0.0.192/26'])).toEqual(['10.0.0.0/24']);
  });

  test('drops contained CIDRs', () => {
    expect(aggregateCidrs(['10.0.0.0/16', '10.0.5.0/24', '10.0.5.7/32'])).toEqual(['10.0.0.0/16']);
  });

  test('keeps adjacent CIDRs that are not siblings apart (their union is no prefix)', () => {
    expect(aggregateCidrs(['10.0.1.0/24', '10.0.2.0/24'])).toEqual(['10.0.1.0/24', '10.0.2.0/24']);
  });

  test('covers exactly the same addresses: 20 consecutive hosts become a /28 and a /30', () => {
    const hosts = Array.from({ length: 20 }, (_, i) => `192.0.2.${i}/32`);
    expect(aggregateCidrs(hosts)).toEqual(['192.0.2.0/28', '192.0.2.16/30']);
  });

  test('aggregates IPv6 separately from IPv4', () => {
    expect(aggregateCidrs(['2001:db8::/33', '2001:db8:8000::/33', '0.0.0.0/1', '128.0.0.0/1'])).toEqual(['0.0.0.0/0', '2001:db8::/32']);
  });

  test('prefixContains', () => {
    expect(prefixContains('10.0.0.0/16', '10.0.3.0/24')).toBe(true);
    expect(prefixContains('10.0.3.0/24', '10.0.0.0/16')).toBe(false);
    expect(prefixContains('10.0.0.0/16', '2001:db8::/32')).toBe(false);
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

describe('aggregateRules', () => {
  const rule = (cidr: string, protocol: 'tcp' | 'udp', from: number, to: number, flow: string) =>
    ({ peerKey: `cidr:${cidr}`, cidr, spec: { protocol, from, to }, flows: [flow] });

  test('merges the CIDRs of rules with the same ports and keeps every flow', () => {
    const merged = aggregateRules([rule('10.0.2.0/24', 'tcp', 443, 443, 'a'), rule('10.0.3.0/24', 'tcp', 443, 443, 'b')]);
    expect(merged).toEqual([{ peerKey: 'cidr:10.0.2.0/23', cidr: '10.0.2.0/23', spec: { protocol: 'tcp', from: 443, to: 443 }, flows: ['a', 'b'] }]);
  });

  test('then merges the ports of rules that now share a CIDR, and drops covered rules', () => {
    const merged = aggregateRules([
      rule('10.0.2.0/24', 'tcp', 80, 80, 'a'),
      rule('10.0.3.0/24', 'tcp', 80, 80, 'b'),
      rule('10.0.2.0/23', 'tcp', 81, 90, 'c'),
      rule('10.0.2.5/32', 'tcp', 85, 85, 'd'),
    ]);
    expect(merged.map((r) => `${r.cidr} ${r.spec.protocol}/${r.spec.from}-${r.spec.to}`)).toEqual(['10.0.2.0/23 tcp/80-90']);
    expect(merged[0].flows).toEqual(['a', 'b', 'c', 'd']);
  });

  test('leaves Terraform expressions alone', () => {
    const token = { peerKey: 'addr:app/Vm#0', cidr: '${aws_instance.vm.private_ip}/32', spec: { protocol: 'tcp' as const, from: 22, to: 22 }, flows: ['e'] };
    expect(aggregateRules([token])).toEqual([token]);
  });
});
