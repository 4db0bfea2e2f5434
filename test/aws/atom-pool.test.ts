import * as fc from 'fast-check';
import { AtomPool } from '../../lib/aws/atom-pool';
import { Atom, ModelWorkload, ResolvedSide, sideHolds } from '../../lib/model/guardrail-semantics';

// Property: the pool's index only decides which ends to ask about, so for any pool and any side the
// ends it returns are exactly those that asking sideHolds about every end finds (certainly or
// perhaps), in pool order. Addresses cover what the index places (IPv4 hosts and ranges, CIDRs
// with host bits set) and what it cannot (Terraform expressions, IPv6, bare addresses as CIDRs).

const ADDRESSES = [
  '10.0.1.10', '10.0.1.10/32', '10.0.1.77/32', '10.0.2.5/32', '10.0.1.0/28', '10.0.0.0/16', '192.168.5.7/32',
  '${aws_instance.vm.private_ip}/32', '2001:db8::10/128', '010.0.1.10/32',
];
const CIDRS = ['10.0.0.0/8', '10.0.1.0/24', '10.0.1.5/24', '10.0.1.10/32', '10.0.2.0/24', '192.168.0.0/16', '0.0.0.0/0', '::/0', '2001:db8::/32', '10.0.1.10', '${var.cidr}'];
const PEERS = ['pl-1', 'pl-2'];

const workloadArb: fc.Arbitrary<ModelWorkload> = fc.record({
  endpointName: fc.string({ maxLength: 4 }),
  platform: fc.constantFrom('aws', 'azure', 'external'),
  addressCidrs: fc.array(fc.constantFrom(...ADDRESSES), { maxLength: 3 }),
});

function atomArb(workloads: readonly ModelWorkload[]): fc.Arbitrary<Atom> {
  return fc.oneof(
    fc.constantFrom(...workloads).map((workload): Atom => ({ kind: 'workload', workload })),
    fc.constantFrom(...CIDRS).map((cidr): Atom => ({ kind: 'cidr', cidr })),
    fc.constantFrom(...PEERS).map((id): Atom => ({ kind: 'peer', id, name: id })),
  );
}

/** A side: mostly concrete ends, sometimes anywhere. */
function sideArb(workloads: readonly ModelWorkload[]): fc.Arbitrary<ResolvedSide> {
  return fc.record({
    any: fc.oneof({ arbitrary: fc.constant(true), weight: 1 }, { arbitrary: fc.constant(false), weight: 4 }),
    atoms: fc.array(atomArb(workloads), { maxLength: 4 }),
  });
}

const caseArb = fc.array(workloadArb, { minLength: 1, maxLength: 8 }).chain((workloads) => fc.record({
  pool: fc.array(atomArb(workloads), { maxLength: 12 }),
  sides: fc.array(sideArb(workloads), { minLength: 1, maxLength: 4 }),
}));

describe('AtomPool', () => {
  test('finds exactly the ends a side holds, as asking about every end does', () => {
    fc.assert(fc.property(caseArb, ({ pool, sides }) => {
      const indexed = new AtomPool(pool);
      for (const side of sides) {
        const everyEnd = pool.map((_, position) => position).filter((position) => sideHolds(side, pool[position]) !== 'no');
        expect(indexed.holders(side)).toEqual(everyEnd);
        expect(indexed.holders(side)).toEqual(everyEnd); // asked again: the same answer, from memory
      }
    }), { numRuns: 500, seed: 20261201 });
  });

  test('finds the workloads inside a CIDR by their addresses, and those it cannot place', () => {
    // GIVEN workloads with a host address inside 10.0.1.0/24, one outside, one known only at apply
    const inside: ModelWorkload = { endpointName: 'in', platform: 'aws', addressCidrs: ['10.0.1.10/32'] };
    const outside: ModelWorkload = { endpointName: 'out', platform: 'aws', addressCidrs: ['10.0.2.10/32'] };
    const unknown: ModelWorkload = { endpointName: 'later', platform: 'aws', addressCidrs: ['${aws_instance.vm.private_ip}/32'] };
    const wider: Atom = { kind: 'cidr', cidr: '10.0.0.0/16' };
    const pool: Atom[] = [inside, outside, unknown].map((workload): Atom => ({ kind: 'workload', workload })).concat([wider]);
    // WHEN a side of the CIDR 10.0.1.0/24 is asked about
    const held = new AtomPool(pool).holders({ any: false, atoms: [{ kind: 'cidr', cidr: '10.0.1.0/24' }] });
    // THEN the workload inside, the one that may be inside, and the CIDR around it: not the one outside
    expect(held).toEqual([0, 2, 3]);
  });
});
