import { AclEntry, entryContent, entryCovers, entryIdentity } from '../../lib/aws/network-acl-entry';
import { returnSpecs } from '../../lib/aws/stateless-rules';

const EPHEMERAL = { from: 1024, to: 65535 };

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

describe('network ACL entry identity', () => {
  const entry = (cidr: string, from: number, to: number, action: 'allow' | 'deny' = 'allow'): AclEntry =>
    ({ action, peerKey: `cidr:${cidr}`, cidr, spec: { protocol: 'tcp', from, to }, owners: ['f'] });

  test('a widened range or an edited prefix length keeps the identity, not the content', () => {
    expect(entryIdentity(entry('10.0.1.0/24', 9000, 9200))).toBe(entryIdentity(entry('10.0.1.0/24', 9000, 9100)));
    expect(entryIdentity(entry('198.51.100.0/25', 22, 22))).toBe(entryIdentity(entry('198.51.100.0/24', 22, 22)));
    expect(entryContent(entry('10.0.1.0/24', 9000, 9200))).not.toBe(entryContent(entry('10.0.1.0/24', 9000, 9100)));
    expect(entryContent(entry('198.51.100.0/25', 22, 22))).not.toBe(entryContent(entry('198.51.100.0/24', 22, 22)));
  });

  test('another first port, another network or another action is another identity', () => {
    const base = entryIdentity(entry('10.0.1.0/24', 8080, 8080));
    expect(entryIdentity(entry('10.0.1.0/24', 8081, 8081))).not.toBe(base);
    expect(entryIdentity(entry('10.0.2.0/24', 8080, 8080))).not.toBe(base);
    expect(entryIdentity(entry('10.0.1.0/24', 8080, 8080, 'deny'))).not.toBe(base);
  });

  test('an expression peer is identified by its key', () => {
    const token = { action: 'allow' as const, peerKey: 'addr:app/Vm#0', cidr: '${aws_instance.vm.private_ip}/32', spec: { protocol: 'tcp' as const, from: 22, to: 22 }, owners: ['f'] };
    expect(entryIdentity(token)).toBe('allow|addr:app/Vm#0|tcp/22');
  });

  test('covers: a wider or equal peer and ports of the same action', () => {
    expect(entryCovers(entry('10.0.0.0/16', 8080, 8090), entry('10.0.1.0/24', 8080, 8080))).toBe(true);
    expect(entryCovers(entry('10.0.1.0/24', 8080, 8080), entry('10.0.1.0/24', 8080, 8090))).toBe(false);
    expect(entryCovers(entry('10.0.1.0/24', 8080, 8090), entry('10.0.0.0/16', 8080, 8080))).toBe(false);
    expect(entryCovers(entry('10.0.1.0/24', 8080, 8090, 'deny'), entry('10.0.1.0/24', 8080, 8080))).toBe(false);
  });
});
