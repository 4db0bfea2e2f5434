import { NSX_LIMITS, nsxQuotaFindings } from '../../lib/vsphere/nsx-quota';
import { NSX_ALLOW_SEQUENCES, NSX_DROP_IN_SEQUENCE, NSX_DROP_OUT_SEQUENCE, NSX_GUARDRAIL_ALLOW_SEQUENCES, NSX_GUARDRAIL_DENY_SEQUENCES } from '../../lib/vsphere/nsx-sequence-bands';
import { nsxServiceShape } from '../../lib/vsphere/nsx-service';
import { segmentTag, tagCollisions } from '../../lib/vsphere/nsx-tag';

describe('NSX sequence bands', () => {
  // the numbers inside a band come from the persisted allocation (lib/render/allocations.ts,
  // tested in test/model and test/change-safety/nsx.test.ts); the bands fix the order of the tiers
  test('allow rules come before both drop rules; guardrail allows before guardrail denies', () => {
    expect(NSX_ALLOW_SEQUENCES.last).toBeLessThan(NSX_DROP_IN_SEQUENCE);
    expect(NSX_DROP_IN_SEQUENCE).toBeLessThan(NSX_DROP_OUT_SEQUENCE);
    expect(NSX_GUARDRAIL_ALLOW_SEQUENCES.last).toBeLessThan(NSX_GUARDRAIL_DENY_SEQUENCES.first);
  });
});

describe('NSX services', () => {
  test('ports merge, sort and split by protocol; the key does not depend on order', () => {
    const shape = nsxServiceShape([
      { protocol: 'tcp', from: 8443, to: 8443 },
      { protocol: 'udp', from: 53, to: 53 },
      { protocol: 'tcp', from: 443, to: 443 },
      { protocol: 'tcp', from: 8000, to: 8100 },
      { protocol: 'tcp', from: 8050, to: 8200 },
    ]);
    expect(shape).toEqual({
      key: 'tcp/443,tcp/8000-8200,tcp/8443,udp/53',
      any: false,
      l4: [{ protocol: 'TCP', destinationPorts: ['443', '8000-8200', '8443'] }, { protocol: 'UDP', destinationPorts: ['53'] }],
      icmp: [],
      ipProtocols: [],
    });
    expect(nsxServiceShape([{ protocol: 'tcp', from: 8443, to: 8443 }, { protocol: 'udp', from: 53, to: 53 }, { protocol: 'tcp', from: 443, to: 443 }, { protocol: 'tcp', from: 8000, to: 8200 }]).key).toBe(shape.key);
  });

  test('more than 15 ports split into several entries (NSX limit per l4_port_set_entry)', () => {
    const shape = nsxServiceShape(Array.from({ length: 20 }, (_, i) => ({ protocol: 'tcp' as const, from: 1000 + 2 * i, to: 1000 + 2 * i })));
    expect(shape.l4.map((e) => e.destinationPorts.length)).toEqual([15, 5]);
  });

  test('a range counts as two of the 15 values of an l4_port_set_entry (NSX L4PortSetNSService)', () => {
    // GIVEN nine TCP ranges that do not merge, and one single port
    const ranges = Array.from({ length: 9 }, (_, i) => ({ protocol: 'tcp' as const, from: 1000 + 10 * i, to: 1001 + 10 * i }));

    // WHEN
    const shape = nsxServiceShape([...ranges, { protocol: 'tcp', from: 2000, to: 2000 }]);

    // THEN seven ranges (14 values) and the next range would be 16: the eighth range starts a new entry
    expect(shape.l4).toEqual([
      { protocol: 'TCP', destinationPorts: ['1000-1001', '1010-1011', '1020-1021', '1030-1031', '1040-1041', '1050-1051', '1060-1061'] },
      { protocol: 'TCP', destinationPorts: ['1070-1071', '1080-1081', '2000'] },
    ]);
    for (const entry of shape.l4) {
      expect(entry.destinationPorts.reduce((sum, p) => sum + (p.includes('-') ? 2 : 1), 0)).toBeLessThanOrEqual(15);
    }
  });

  test('seven ranges and one port fill exactly one entry', () => {
    const ranges = Array.from({ length: 7 }, (_, i) => ({ protocol: 'udp' as const, from: 3000 + 10 * i, to: 3005 + 10 * i }));
    const shape = nsxServiceShape([...ranges, { protocol: 'udp', from: 53, to: 53 }]);
    expect(shape.l4.map((e) => e.destinationPorts.length)).toEqual([8]);
    expect(shape.l4[0].destinationPorts[0]).toBe('53');
  });

  test('ICMP renders type and code as strings, any type renders neither; all traffic needs no service', () => {
    expect(nsxServiceShape([{ protocol: 'icmp', from: 8, to: 0 }, { protocol: 'icmpv6', from: -1, to: -1 }]).icmp).toEqual([
      { protocol: 'ICMPv4', icmpType: '8', icmpCode: '0' },
      { protocol: 'ICMPv6' },
    ]);
    expect(nsxServiceShape([{ protocol: 'icmp', from: 3, to: -1 }]).icmp).toEqual([{ protocol: 'ICMPv4', icmpType: '3' }]);
    expect(nsxServiceShape([{ protocol: 'all', from: -1, to: -1 }, { protocol: 'tcp', from: 1, to: 1 }])).toEqual({ key: 'all', any: true, l4: [], icmp: [], ipProtocols: [] });
  });
});

describe('NSX segment tags', () => {
  test('the tag is the segment path, without characters that break scope|tag conditions', () => {
    expect(segmentTag('shop/Web')).toBe('shop/Web');
    expect(segmentTag('shop/a|b c')).toBe('shop/a_b_c');
  });

  test('long paths are shortened with a digest, within 256 characters', () => {
    const long = `shop/${'x'.repeat(300)}`;
    expect(segmentTag(long)).toHaveLength(256);
    expect(segmentTag(long)).not.toBe(segmentTag(`${long}y`));
  });

  test('paths that differ only in case collide (NSX matches tags without regard to case)', () => {
    expect(tagCollisions(['shop/Web', 'shop/web', 'shop/Db'])).toEqual([['shop/Web', 'shop/web']]);
    expect(tagCollisions(['shop/Web', 'shop/Db'])).toEqual([]);
  });
});

describe('NSX quotas', () => {
  test('a policy within the limits has no findings', () => {
    expect(nsxQuotaFindings([{ name: 'r', sourceGroups: 2, destinationGroups: 1 }], [{ name: 'g', conditionsPerCriteria: [1, 1] }], NSX_LIMITS)).toEqual([]);
  });

  test('each exceeded limit is reported with its count and limit', () => {
    const rules = Array.from({ length: 3 }, (_, i) => ({ name: `r${i}`, sourceGroups: i === 1 ? 129 : 1, destinationGroups: 1 }));
    const groups = [{ name: 'g1', conditionsPerCriteria: [1, 1, 1, 1, 1, 1] }, { name: 'g2', conditionsPerCriteria: [6] }];
    expect(nsxQuotaFindings(rules, groups, { ...NSX_LIMITS, rulesPerPolicy: 2 })).toEqual([
      { quota: 'rules-per-policy', count: 3, limit: 2 },
      { quota: 'groups-per-rule-side', rule: 'r1', side: 'source', count: 129, limit: 128 },
      { quota: 'criteria-per-group', group: 'g1', count: 6, limit: 5 },
      { quota: 'conditions-per-criteria', group: 'g2', criteria: 1, count: 6, limit: 5 },
    ]);
  });
});
