import { App } from 'cdktf';
import { callsDuring } from './calls-during';
import { SMALL_ESTATES } from './small-estates';
import { benchEstate, synthesizeApp } from './synthesize-app';
import { scaled } from '../../bench/estates/size';
import { MicrosegChecks, Peer, Port, Segment } from '../../lib';
import * as coverage from '../../lib/checks/private/endpoint-coverage';

/**
 * The small AWS estate at `times` its size, with flows that other flows shadow (a segment pair on
 * one port beside the same pair on every TCP port, a /16 beside 10.0.0.0/8) and the default check
 * pack: how many endpoint comparisons the checks made, and the MS-FLOW-REDUNDANT findings.
 */
function checked(times: number): { comparisons: number; redundant: string[] } {
  let redundant: string[] = [];
  const comparisons = callsDuring(() => jest.spyOn(coverage, 'endpointCovers'), () => synthesizeApp((app: App) => {
    benchEstate('aws-sg', scaled(SMALL_ESTATES['aws-sg'], times))(app);
    const segments = app.node.findAll().filter((c): c is Segment => c instanceof Segment);
    for (let i = 0; i + 1 < segments.length; i += 2) {
      segments[i].allowFrom(segments[i + 1], Port.allTcp());
      segments[i].allowFrom(segments[i + 1], Port.HTTPS);
      segments[i].allowFrom(Peer.ipv4('10.0.0.0/8'), Port.SSH);
      segments[i].allowFrom(Peer.ipv4(`10.${i}.0.0/16`), Port.SSH);
    }
    MicrosegChecks.applyTo(app);
  }, (app) => {
    redundant = app.node.findAll().flatMap((c) => c.node.metadata.map((m) => String(m.data))).filter((text) => text.startsWith('[MS-FLOW-REDUNDANT]'));
  }));
  return { comparisons, redundant };
}

describe('the check pack compares flows in proportion to the estate', () => {
  test('twice the flows take at most about twice the endpoint comparisons, with every shadowed flow found', () => {
    // GIVEN the small AWS estate at 1x and 2x (10, then 20 segments), with two shadowed flows per pair of segments
    // WHEN each is synthesized with MicrosegChecks, counting the endpoint comparisons
    const once = checked(1);
    const twice = checked(2);
    // THEN the HTTPS flow and the /16 flow of each pair are reported (5 pairs, then 10)
    for (const [result, pairs] of [[once, 5], [twice, 10]] as const) {
      expect(result.redundant.filter((text) => /AllowFrom-estate-Seg\d+-tcp-443' .* is shadowed by AllowFlow '[^']*-tcp-0-65535'/.test(text))).toHaveLength(pairs);
      expect(result.redundant.filter((text) => /AllowFrom-ipv4-10\.\d+\.0\.0_16-tcp-22' .* is shadowed by AllowFlow '[^']*ipv4-10\.0\.0\.0_8-tcp-22'/.test(text))).toHaveLength(pairs);
      // AND every other finding is an estate flow that a pair's flow on every TCP port shadows
      expect(result.redundant.every((text) => /is shadowed by AllowFlow '[^']*(-tcp-0-65535|ipv4-10\.0\.0\.0_8-tcp-22)'/.test(text))).toBe(true);
    }
    // AND a flow is compared with the flows that may cover it, not with every flow (every pair:
    // 4x the comparisons at twice the flows)
    expect(once.comparisons).toBeGreaterThan(0);
    expect(twice.comparisons / once.comparisons).toBeLessThanOrEqual(2.2);
  });
});
