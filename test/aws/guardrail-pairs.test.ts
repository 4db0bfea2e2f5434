import * as fc from 'fast-check';
import { AllowFlow, Workload } from '../../lib';
import { flowIndex, GuardrailCheckFlow, guardrailBreach, pairsWithRenderedFlows } from '../../lib/aws/guardrail-breach';
import { sideHolds } from '../../lib/model/guardrail-semantics';
import { PortSpec } from '../../lib/model/ports';
import { Atom, ResolvedSide } from '../../lib/render/guardrail-sides';

// Property: the DenyFlow check on AWS looks only at the pairs of ends a flow is rendered for
// (pairsWithRenderedFlows). On random estates (workloads of AWS, Azure, NSX and external hosts,
// literal, unknown or no addresses, some known from their configuration only; flows between workloads, CIDRs and named peers, some of them
// GuardrailAllows; a DenyFlow between random sides) every pair that asking about every source and
// every destination finds a breach for is among those pairs, and the pairs come in the order of
// that loop, so the first breach of each kind is the same one.

const ADDRESSES = ['10.0.1.10/32', '10.0.1.11/32', '10.0.2.10/32', '10.0.1.0/28', '${aws_instance.vm.private_ip}/32'];
const CIDRS = ['10.0.0.0/8', '10.0.1.0/24', '10.0.2.0/24', '0.0.0.0/0', '192.168.0.0/16'];
const PORTS: PortSpec[] = [{ protocol: 'tcp', from: 22, to: 22 }, { protocol: 'tcp', from: 443, to: 443 }, { protocol: 'tcp', from: 0, to: 65535 }];

// the check reads a workload's platform and addresses only
const workloadArb: fc.Arbitrary<Workload> = fc.record({
  endpointName: fc.constantFrom('a', 'b', 'c'),
  platform: fc.constantFrom('aws', 'aws', 'azure', 'nsx', 'external'),
  // an instance bound without `addresses` often has none here, only its configured private_ip below
  addressCidrs: fc.oneof(fc.constant([]), fc.array(fc.constantFrom(...ADDRESSES), { maxLength: 2 })),
  // an instance's literal private_ip, known from its configuration whatever addressCidrs says
  configuredAddressCidrs: fc.array(fc.constantFrom('10.0.1.12/32', '10.0.2.11/32'), { maxLength: 1 }),
}).map((workload) => workload as unknown as Workload);

function sideArb(workloads: readonly Workload[]): fc.Arbitrary<ResolvedSide> {
  const atom: fc.Arbitrary<Atom> = fc.oneof(
    { arbitrary: fc.constantFrom(...workloads).map((workload): Atom => ({ kind: 'workload', workload })), weight: 4 },
    { arbitrary: fc.constantFrom(...CIDRS).map((cidr): Atom => ({ kind: 'cidr', cidr })), weight: 1 },
    { arbitrary: fc.constant<Atom>({ kind: 'peer', id: 'pl-1', name: 'pl-1' }), weight: 1 },
  );
  return fc.record({
    any: fc.oneof({ arbitrary: fc.constant(true), weight: 1 }, { arbitrary: fc.constant(false), weight: 6 }),
    atoms: fc.uniqueArray(atom, { maxLength: 4, selector: (a) => (a.kind === 'workload' ? a.workload : a.kind === 'cidr' ? a.cidr : a.id) }),
  });
}

const estateArb = fc.uniqueArray(workloadArb, { minLength: 2, maxLength: 8 }).chain((workloads) => fc.record({
  workloads: fc.constant(workloads),
  flows: fc.array(fc.record({
    from: sideArb(workloads),
    to: sideArb(workloads),
    ports: fc.uniqueArray(fc.constantFrom(...PORTS), { minLength: 1, maxLength: 2 }),
    grant: fc.oneof({ arbitrary: fc.constant(true), weight: 1 }, { arbitrary: fc.constant(false), weight: 3 }),
  }), { maxLength: 6 }),
  denyFrom: sideArb(workloads),
  denyTo: sideArb(workloads),
  denied: fc.uniqueArray(fc.constantFrom(...PORTS), { minLength: 1, maxLength: 2 }),
}));

describe('the pairs of ends the DenyFlow check on AWS looks at', () => {
  test('hold every pair a check of every source and destination finds a breach for, in that check\'s order', () => {
    let breaches = 0;
    fc.assert(fc.property(estateArb, ({ workloads, flows, denyFrom, denyTo, denied }) => {
      const resolved: GuardrailCheckFlow[] = flows.map((f, n) => ({ ...f, flow: fakeFlow(`Flow${n}`) }));
      const index = flowIndex(resolved);
      const candidates: Atom[] = [
        ...workloads.map((workload): Atom => ({ kind: 'workload', workload })),
        ...CIDRS.map((cidr): Atom => ({ kind: 'cidr', cidr })),
      ];
      const sources = candidates.filter((a) => sideHolds(denyFrom, a) !== 'no');
      const destinations = candidates.filter((a) => sideHolds(denyTo, a) !== 'no');
      const checked = pairsWithRenderedFlows(sources, destinations, index);
      const position = (pair: [Atom, Atom]) => [sources.indexOf(pair[0]), destinations.indexOf(pair[1])];
      // in the order of a loop over sources, then destinations, each pair once
      const positions = checked.map(position);
      for (let i = 1; i < positions.length; i++) {
        const [[s0, d0], [s1, d1]] = [positions[i - 1], positions[i]];
        expect(s0 < s1 || (s0 === s1 && d0 < d1)).toBe(true);
      }
      // every breach of the full check is among them
      for (const source of sources) {
        for (const destination of destinations) {
          if (guardrailBreach(denyFrom, denyTo, index, source, destination, denied, () => false) === undefined) continue;
          breaches++;
          expect(checked.some(([s, d]) => s === source && d === destination)).toBe(true);
        }
      }
    }), { numRuns: 400, seed: 20261201 });
    // the estates did hold breaches to find
    expect(breaches).toBeGreaterThan(100);
  });
});

/** A flow as the check reads it: only its construct path (`app/<id>`), through its scopes as constructs give it. */
function fakeFlow(id: string): AllowFlow {
  const app = { node: { id: 'app' } };
  const flow = { node: { id, path: `app/${id}`, scopes: [] as unknown[] } };
  flow.node.scopes.push(app, flow);
  return flow as unknown as AllowFlow;
}
