import * as fc from 'fast-check';
import { Peer } from '../../lib';
import { EndpointKind, EndpointView, FlowView } from '../../lib/checks/policy-view';
import { CoveringFlows } from '../../lib/checks/private/covering-flows';
import { endpointCovers } from '../../lib/checks/private/endpoint-coverage';

const WORKLOADS = ['app/W0', 'app/W1', 'app/W2', 'app/W3', 'app/W4'];
const CIDRS = ['10.0.0.0/8', '10.1.0.0/16', '10.1.2.0/24', '10.1.2.3/32', '192.168.0.0/16', '2001:db8::/32', '2001:db8:1::/48'];

/**
 * A segment or workload endpoint: one of a few names, with the members `segmentMembers` gives that
 * name (one name, one endpoint: the same members wherever it appears; possibly none).
 */
function memberEndpoint(segmentMembers: readonly string[][]): fc.Arbitrary<EndpointView> {
  return fc.record({ kind: fc.constantFrom(EndpointKind.SEGMENT, EndpointKind.WORKLOAD), index: fc.nat(segmentMembers.length - 1) })
    .map(({ kind, index }) => ({
      kind,
      name: `app/${kind}${index}`,
      members: kind === EndpointKind.WORKLOAD ? [WORKLOADS[index]] : segmentMembers[index],
      addressCidrs: [],
      unresolved: false,
    }));
}

/** A peer endpoint: a CIDR, or anywhere. */
const peerEndpoint: fc.Arbitrary<EndpointView> = fc.oneof(
  fc.constantFrom(...CIDRS).map((cidr) => (cidr.includes(':') ? Peer.ipv6(cidr) : Peer.ipv4(cidr))),
  fc.constant(Peer.anyIpv4()),
  fc.constant(Peer.anyIpv6()),
).map((peer) => ({ kind: EndpointKind.PEER, name: peer.endpointName, peer, members: [], addressCidrs: [], unresolved: false }));

/** A peer whose value is known only at apply. */
const unresolvedPeer: fc.Arbitrary<EndpointView> = fc.constant({
  kind: EndpointKind.PEER, name: 'Peer.ipv4(${var.cidr})', peer: Peer.ipv4('${var.cidr}'), members: [], addressCidrs: [], unresolved: true,
});

/** Up to 25 flows between such endpoints. */
const flows = fc.array(fc.subarray(WORKLOADS), { minLength: 4, maxLength: 4 }).chain((segmentMembers) => {
  const endpoint = fc.oneof(
    { arbitrary: memberEndpoint(segmentMembers), weight: 3 },
    { arbitrary: peerEndpoint, weight: 2 },
    { arbitrary: unresolvedPeer, weight: 1 },
  );
  return fc.array(fc.record({ from: endpoint, to: endpoint }), { minLength: 1, maxLength: 25 });
}).map((sides) => sides.map(({ from, to }, i) => ({ path: `app/F${i}`, from, to }) as unknown as FlowView));

describe('CoveringFlows', () => {
  test('the candidates of a flow hold every flow whose endpoints cover its own, in order and once each', () => {
    fc.assert(fc.property(flows, (all) => {
      const covering = new CoveringFlows(all);
      all.forEach((flow, i) => {
        const candidates = covering.candidates(i);
        expect([...candidates].sort((a, b) => a - b)).toEqual([...new Set(candidates)]);
        all.forEach((other, j) => {
          if (endpointCovers(other.from, flow.from) && endpointCovers(other.to, flow.to)) expect(candidates).toContain(j);
        });
      });
    }), { numRuns: 300 });
  });

  test('a segment of members is not a candidate for a segment holding a member it lacks', () => {
    const view = (name: string, members: string[]): EndpointView => ({
      kind: EndpointKind.SEGMENT, name, members, addressCidrs: [], unresolved: false,
    });
    const web = view('app/Web', ['app/W0', 'app/W1']);
    const db = view('app/Db', ['app/W2']);
    const covering = new CoveringFlows([{ from: web, to: db }, { from: db, to: web }] as unknown as FlowView[]);
    expect(covering.candidates(0)).toEqual([0]);
  });
});
