import { estate, resultsOf, segmentWithMember } from './check-fixtures';
import { MicrosegChecks, MsFlowDenied, MsSegmentUnused } from '../../lib/checks';
import { DenyFlow } from '../../lib/deny-flow';
import { GuardrailAllow } from '../../lib/guardrail-allow';
import { Peer } from '../../lib/peer';
import { Port } from '../../lib/port';
import { Segment } from '../../lib/segment';

describe('checks that use guardrail denies (DenyFlow)', () => {
  test('GIVEN an allow flow entirely inside a DenyFlow WHEN checked THEN MS-FLOW-DENIED names both and suggests a fix', () => {
    const { stack } = estate();
    const web = segmentWithMember(stack, 'Web', 'web');
    const db = segmentWithMember(stack, 'Db', 'db');
    const flow = db.allowFrom(web, Port.POSTGRES);
    new DenyFlow(stack, 'NoWebToDb', { from: web, to: db });

    const results = resultsOf(new MsFlowDenied(), stack);

    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ ruleId: 'MS-FLOW-DENIED', level: 'warning', construct: flow });
    expect(results[0].message).toBe(`AllowFlow '${flow.node.path}' ('shop/Web' to 'shop/Db' on Port.tcp(5432)) is entirely forbidden by DenyFlow 'shop/NoWebToDb' (Port.allTraffic()), so it never carries traffic. Remove the flow, or ask the platform team for a GuardrailAllow if the traffic is needed.`);
  });

  test('GIVEN a DenyFlow that only partly overlaps, or a guardrail allow inside the deny WHEN checked THEN compliant', () => {
    const { stack } = estate();
    const web = segmentWithMember(stack, 'Web', 'web');
    const db = segmentWithMember(stack, 'Db', 'db');
    db.allowFrom(web, Port.POSTGRES, Port.HTTPS);
    new DenyFlow(stack, 'NoPostgres', { to: db, ports: [Port.POSTGRES] });
    new GuardrailAllow(stack, 'Monitoring', { from: Peer.ipv4('10.99.0.0/16'), to: db, ports: [Port.POSTGRES] });

    expect(resultsOf(new MsFlowDenied(), stack)).toEqual([]);
  });

  test('GIVEN a segment used only by a DenyFlow and a guardrail selector matching nobody WHEN checked THEN no MS-SEGMENT-UNUSED', () => {
    const { stack } = estate();
    const web = segmentWithMember(stack, 'Web', 'web');
    const quarantine = segmentWithMember(stack, 'Quarantine', 'quarantine');
    web.allowFrom(Peer.ipv4('10.0.0.0/8'), Port.HTTPS);
    new DenyFlow(stack, 'Isolate', { from: quarantine });
    new DenyFlow(stack, 'NoProdSsh', { toSelector: { env: 'prod' }, ports: [Port.SSH] });

    expect(resultsOf(new MsSegmentUnused(), stack)).toEqual([]);
    expect(new MicrosegChecks().check(stack).filter((r) => r.ruleId === 'MS-SEGMENT-UNUSED')).toEqual([]);
    expect(Segment.isSegment(quarantine)).toBe(true);
  });
});
