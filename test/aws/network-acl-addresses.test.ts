import * as fc from 'fast-check';
import { addressAclEntries, entryOfContent, PreviousEntries } from '../../lib/aws/network-acl-addresses';
import { AclEntry, entryContent } from '../../lib/aws/network-acl-entry';
import { parsePortKey, portKey, PortSpec } from '../../lib/model/ports';

function allow(cidr: string, spec: PortSpec, owner = 'shop/Flow'): AclEntry {
  return { action: 'allow', peerKey: `cidr:${cidr}`, cidr, spec, owners: [owner] };
}

const tcp = (from: number, to = from): PortSpec => ({ protocol: 'tcp', from, to });

/** What the allocation file would hold after addressing `entries` with `previous`. */
function remembered(entries: AclEntry[], previous: PreviousEntries): PreviousEntries {
  const result = addressAclEntries(entries, previous);
  return { contents: new Set(entries.map(entryContent)), plainHolders: new Set(result.plainHolders), adopted: result.adopted };
}

const NONE: PreviousEntries = { contents: new Set(), plainHolders: new Set(), adopted: new Map() };

describe('network ACL entry addresses', () => {
  test('a port key names the spec it came from', () => {
    for (const spec of [tcp(443), tcp(8000, 8100), { protocol: 'udp', from: 53, to: 53 }, { protocol: 'icmp', from: 8, to: -1 }, { protocol: 'icmpv6', from: 128, to: 0 }, { protocol: 'all', from: -1, to: -1 }] as PortSpec[]) {
      expect(parsePortKey(portKey(spec))).toEqual(spec);
    }
    expect(parsePortKey('tcp/eighty')).toBeUndefined();
  });

  test('a content names its entry', () => {
    expect(entryOfContent('deny|cidr:10.0.0.0/8|udp/53')).toEqual({ action: 'deny', peerKey: 'cidr:10.0.0.0/8', cidr: '10.0.0.0/8', spec: { protocol: 'udp', from: 53, to: 53 }, owners: [] });
    expect(() => entryOfContent('allow|cidr:10.0.0.0/8|tcp/x')).toThrow(/not a network ACL entry content/);
  });

  test('a range whose first port moves takes the address of the range it replaces, and the next synthesis keeps it there', () => {
    // GIVEN tcp/9000-9100 at its identity's address
    const first = addressAclEntries([allow('203.0.113.0/24', tcp(9000, 9100))], NONE);
    expect([...first.byAddress.keys()]).toEqual(['allow|203.0.113.0|tcp/9000']);
    const previous = remembered([allow('203.0.113.0/24', tcp(9000, 9100))], NONE);
    // WHEN it becomes tcp/9050-9200 (another identity, shared ports)
    const second = addressAclEntries([allow('203.0.113.0/24', tcp(9050, 9200))], previous);
    // THEN it adopts the old address, no window remains, and the adoption is remembered
    expect([...second.byAddress.keys()]).toEqual(['allow|203.0.113.0|tcp/9000']);
    expect(second.windows).toEqual([]);
    expect([...second.adopted]).toEqual([['allow|cidr:203.0.113.0/24|tcp/9050-9200', 'allow|203.0.113.0|tcp/9000']]);
    const third = addressAclEntries([allow('203.0.113.0/24', tcp(9050, 9200))], remembered([allow('203.0.113.0/24', tcp(9050, 9200))], previous));
    expect([...third.byAddress.keys()]).toEqual(['allow|203.0.113.0|tcp/9000']);
  });

  test('an entry sharing no traffic with the one that went takes an address of its own', () => {
    const previous = remembered([allow('198.51.100.0/24', tcp(22))], NONE);
    const next = addressAclEntries([allow('192.0.2.0/24', tcp(22))], previous);
    expect([...next.byAddress.keys()]).toEqual(['allow|192.0.2.0|tcp/22']);
    expect(next.windows).toEqual([]);
  });

  test('any sequence of edits: addresses stay unique, a living content keeps its address, and every window is traffic two entries at two addresses share', () => {
    const arbEntry = fc.record({
      net: fc.constantFrom('10.0.0.0/16', '10.0.1.0/24', '10.0.2.0/24', '10.0.0.0/23'),
      from: fc.integer({ min: 8000, max: 8010 }),
      width: fc.integer({ min: 0, max: 5 }),
    }).map(({ net, from, width }) => allow(net, tcp(from, from + width)));
    const arbState = fc.uniqueArray(arbEntry, { selector: entryContent, maxLength: 6 });
    fc.assert(fc.property(fc.array(arbState, { minLength: 2, maxLength: 5 }), (states) => {
      let previous = NONE;
      let addressOf = new Map<string, string>();
      for (const entries of states) {
        const result = addressAclEntries(entries, previous);
        expect(result.byAddress.size).toBe(entries.length);
        const now = new Map([...result.byAddress].map(([address, entry]) => [entryContent(entry), address]));
        for (const [content, address] of now) if (addressOf.has(content)) expect(address).toBe(addressOf.get(content));
        for (const window of result.windows) {
          expect(now.has(window.gone)).toBe(false);
          expect(now.get(entryContent(window.created))).not.toBe(addressOf.get(window.gone));
        }
        previous = remembered(entries, previous);
        addressOf = now;
      }
    }), { numRuns: 200 });
  });
});
