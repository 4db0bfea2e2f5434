import { App, TerraformStack } from 'cdktf';
import { countChildReads } from './child-reads';
import { Peer, Port, Segment, Workload } from '../../lib';

/**
 * How many children were read from construct nodes while `count` flows were declared on one
 * segment and one workload through their helpers (allowFrom, allowTo), and how many flows resulted.
 */
function declareOnOneOwner(count: number): { childReads: number; flows: number } {
  const { reads, result: flows } = countChildReads(() => {
    const stack = new TerraformStack(new App({ stackTraces: false }), 'hub');
    const hub = new Segment(stack, 'Hub', { selector: { app: 'hub' } });
    const gateway = new Workload(stack, 'Gateway', { addresses: ['10.0.0.10'] });
    const declared = new Set<unknown>();
    for (let i = 0; i < count; i++) {
      const partner = Peer.ipv4(`10.${100 + Math.floor(i / 256)}.${i % 256}.0/24`);
      declared.add(hub.allowFrom(partner, Port.tcp(443)));
      declared.add(hub.allowTo(partner, Port.tcp(8443)));
      declared.add(gateway.allowTo(partner, Port.tcp(443)));
      // the same flow declared again is the one already there
      declared.add(hub.allowFrom(partner, Port.tcp(443)));
    }
    return declared;
  });
  return { childReads: reads, flows: flows.size };
}

describe('declaring many flows on one segment or workload', () => {
  test('costs the same per flow at 300 flows per owner as at 150: no scan of the owner\'s earlier flows', () => {
    // GIVEN one segment and one workload that each declare N flows to N partner CIDRs through the
    // helpers (each helper call asks whether the flow, or another with its identity, exists)
    // WHEN N is 150 and then 300, counting the children read from construct nodes
    const once = declareOnOneOwner(150);
    const twice = declareOnOneOwner(300);
    // THEN every helper call made its own flow, and a repeated call returned the existing one
    expect(once.flows).toBe(3 * 150);
    expect(twice.flows).toBe(3 * 300);
    // AND the children read grow at most with the flows (a scan of the owner's children per call
    // would read N²/2: four times as many at twice the flows)
    expect(twice.childReads).toBeLessThanOrEqual(2.2 * Math.max(once.childReads, 1));
    expect(twice.childReads).toBeLessThan(300 * 300 / 4);
  });
});
