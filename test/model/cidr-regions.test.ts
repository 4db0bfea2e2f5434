import * as fc from 'fast-check';
import { cidrRegions } from '../../lib/model/cidr-regions';
import { atomName, sideHolds } from '../../lib/model/guardrail-semantics';

describe('the regions CIDRs cut the address space into', () => {
  test('a CIDR with narrower ones inside is the region outside them; one they fill is no region; unreadable text stays as it is', () => {
    const regions = cidrRegions(['0.0.0.0/0', '10.0.0.0/8', '10.0.0.0/9', '10.128.0.0/9', '192.0.2.0/25', '2001:db8::/32', '::/0', 'not-a-cidr']);
    expect(regions).toEqual([
      { kind: 'cidr', cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '192.0.2.0/25'] },
      // 10.0.0.0/8 is filled by its two halves: no address lies in it and in neither half
      { kind: 'cidr', cidr: '10.0.0.0/9', except: [] },
      { kind: 'cidr', cidr: '10.128.0.0/9', except: [] },
      { kind: 'cidr', cidr: '192.0.2.0/25', except: [] },
      { kind: 'cidr', cidr: '2001:db8::/32', except: [] },
      { kind: 'cidr', cidr: '::/0', except: ['2001:db8::/32'] },
      { kind: 'cidr', cidr: 'not-a-cidr' },
    ]);
    expect(atomName(regions[0])).toBe('"0.0.0.0/0" outside "10.0.0.0/8" and "192.0.2.0/25"');
    expect(atomName(regions[2])).toBe('"10.128.0.0/9"');
  });

  test('an IPv4 CIDR with host bits is read as its network; one with a leading-zero octet as the general parser reads it (octal)', () => {
    // 010.0.0.0/8 is 8.0.0.0/8, inside 8.0.0.0/7; 10.0.0.1/8 is 10.0.0.0/8, which holds 10.1.2.3/16
    expect(cidrRegions(['10.0.0.1/8', '10.1.2.3/16', '010.0.0.0/8', '8.0.0.0/7'])).toEqual([
      { kind: 'cidr', cidr: '10.0.0.1/8', except: ['10.1.2.3/16'] },
      { kind: 'cidr', cidr: '10.1.2.3/16', except: [] },
      { kind: 'cidr', cidr: '010.0.0.0/8', except: [] },
      { kind: 'cidr', cidr: '8.0.0.0/7', except: ['010.0.0.0/8'] },
    ]);
  });

  test('a region is held whole or not at all: a side holds it exactly when it holds any address of it', () => {
    // GIVEN random IPv4 CIDRs (a small space, so that they nest and repeat) and a side of some of them
    const cidr = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 8 })).map(([value, length]) => {
      const block = 2 ** (8 - length);
      const network = value - (value % block);
      return `10.0.0.${network}/${24 + length}`;
    });
    fc.assert(fc.property(fc.array(cidr, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(7), { maxLength: 3 }), (cidrs, picks) => {
      const side = { any: false, atoms: picks.filter((i) => i < cidrs.length).map((i) => ({ kind: 'cidr' as const, cidr: cidrs[i] })) };
      const addressesOf = (text: string) => {
        const [network, length] = text.replace('10.0.0.', '').split('/').map(Number);
        return Array.from({ length: 2 ** (32 - length) }, (_, i) => network + i);
      };
      const covered = new Set<number>();
      for (const region of cidrRegions(cidrs)) {
        // WHEN the region's addresses are listed (its CIDR's, less its narrower ones)
        const outside = new Set(region.except!.flatMap(addressesOf));
        const addresses = addressesOf(region.cidr).filter((a) => !outside.has(a));
        expect(addresses.length).toBeGreaterThan(0);
        for (const a of addresses) {
          // THEN no two regions share an address
          expect(covered.has(a)).toBe(false);
          covered.add(a);
        }
        // AND the side holds the region exactly when one of its CIDRs holds one (then every) address of it
        const held = side.atoms.some((atom) => addressesOf(atom.cidr).includes(addresses[0]));
        expect(addresses.every((a) => side.atoms.some((atom) => addressesOf(atom.cidr).includes(a)) === held)).toBe(true);
        expect(sideHolds(side, region)).toBe(held ? 'yes' : 'no');
      }
      // AND the regions are every address of the CIDRs
      expect(covered).toEqual(new Set(cidrs.flatMap(addressesOf)));
    }));
  });
});
