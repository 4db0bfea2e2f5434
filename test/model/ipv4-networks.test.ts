import * as fc from 'fast-check';
import { cidrContains } from '../../lib/model/cidr';
import { Ipv4Networks } from '../../lib/model/ipv4-networks';

/** The network of `prefix` bits holding `address`, written as a normalized subnet is (host bits cleared). */
function networkOf(address: number, prefix: number): string {
  const block = 2 ** (32 - prefix);
  const start = Math.floor(address / block) * block;
  return `${[24, 16, 8, 0].map((shift) => Math.floor(start / 2 ** shift) % 256).join('.')}/${prefix}`;
}

/** Any IPv4 network. */
const network = fc.tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 32 }))
  .map(([address, prefix]) => networkOf(address, prefix));

/** Networks of one small region (10.0.0.0/16), so that they often hold one another. */
const nearby = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 16, max: 32 }))
  .map(([third, prefix]) => networkOf((10 * 2 ** 24) + (third * 256), prefix));

const overlaps = (a: string, b: string) => cidrContains(a, b) || cidrContains(b, a);

/** Files the networks the way a VPC's subnets are mapped: one that overlaps a filed one is refused. */
function fileApart(cidrs: readonly string[]): { index: Ipv4Networks<string>; filed: string[] } {
  const index = new Ipv4Networks<string>();
  const filed: string[] = [];
  for (const cidr of cidrs) {
    if (filed.some((other) => overlaps(other, cidr))) continue;
    index.add(cidr, cidr);
    filed.push(cidr);
  }
  return { index, filed };
}

describe('Ipv4Networks', () => {
  test('tells the network a CIDR overlaps, and the one that holds it, as comparing it with every filed network does', () => {
    fc.assert(fc.property(fc.array(fc.oneof(nearby, network), { maxLength: 40 }), fc.oneof(nearby, network), (cidrs, asked) => {
      const { index, filed } = fileApart(cidrs);
      expect(index.overlapping(asked)).toBe(filed.find((other) => overlaps(other, asked)));
      expect(index.holding(asked)).toBe(filed.find((other) => cidrContains(other, asked)));
    }), { numRuns: 500 });
  });

  test('a subnet inside the VPC range is held by nothing filed and overlaps the first subnet filed inside it', () => {
    const { index } = fileApart(['10.0.2.0/24', '10.0.1.0/24', '10.1.0.0/16']);
    expect(index.overlapping('10.0.0.0/16')).toBe('10.0.2.0/24');
    expect(index.holding('10.0.0.0/16')).toBeUndefined();
    expect(index.holding('10.0.1.7/32')).toBe('10.0.1.0/24');
    expect(index.overlapping('10.1.5.0/24')).toBe('10.1.0.0/16');
    expect(index.overlapping('10.2.0.0/24')).toBeUndefined();
  });
});
