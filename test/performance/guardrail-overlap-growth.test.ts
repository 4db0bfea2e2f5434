import { Atom, ModelWorkload, ResolvedSide, overlapOf } from '../../lib/model/guardrail-semantics';

/** A workload of the model with one literal address. */
function workload(i: number): ModelWorkload {
  return { endpointName: `estate/W${i}`, platform: 'aws', addressCidrs: [`10.${Math.floor(i / 250)}.${i % 250}.10/32`] };
}

/**
 * A side of `members` workloads (the even ones of 2 x members, so half of a guard of the same size
 * overlaps) and one CIDR, whose atoms count every time one of them is read.
 */
function side(members: number, offset: number, reads: { count: number }): ResolvedSide {
  const atoms: Atom[] = [];
  for (let i = 0; i < members; i++) atoms.push({ kind: 'workload', workload: WORKLOADS[offset + 2 * i] });
  atoms.push({ kind: 'cidr', cidr: '192.168.0.0/24' });
  const counted = atoms.map((atom) => new Proxy(atom, {
    get: (target, key) => {
      reads.count++;
      return (target as any)[key];
    },
  }));
  return { any: false, atoms: counted };
}

const WORKLOADS = Array.from({ length: 4_000 }, (_, i) => workload(i));

/** How many atom fields `overlapOf` read for a side and a guard of `members` workloads each, and how many atoms overlap. */
function overlap(members: number): { reads: number; overlapping: number } {
  const reads = { count: 0 };
  const flowSide = side(members, 0, reads);
  const guard = side(members, members, reads);
  const overlapping = overlapOf(flowSide, guard).length;
  return { reads: reads.count, overlapping };
}

describe('a guardrail side is matched against a flow side in proportion to their sizes', () => {
  test('two sides of 1,000 workloads each are matched with at most about twice the reads of two sides of 500', () => {
    // GIVEN a flow side and a guardrail side that share half their workloads, at 500 and at 1,000 members
    // WHEN their overlap is worked out, counting the reads of their atoms
    const once = overlap(500);
    const twice = overlap(1_000);
    // THEN the overlap is right: the shared workloads and the CIDR both sides name
    expect(once.overlapping).toBe(250 + 1);
    expect(twice.overlapping).toBe(500 + 1);
    // AND a workload is looked up among the guardrail's, not compared with each of them
    // (comparing every pair read 5 million fields at 1,000, 4 times the 1.26 million at 500; now 10,012)
    expect(twice.reads / once.reads).toBeLessThanOrEqual(2.2);
  });
});
