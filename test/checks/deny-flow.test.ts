import { estate, host, resultsOf, segmentWithMember } from './check-fixtures';
import { MicrosegChecks, MsFlowDenied, MsFlowRedundant, MsSegmentUnused, MsWorkloadUnsegmented } from '../../lib/checks';
import { DenyFlow } from '../../lib/deny-flow';
import { GuardrailAllow } from '../../lib/guardrail-allow';
import { Peer } from '../../lib/peer';
import { Port } from '../../lib/port';
import { Segment } from '../../lib/segment';
import { Workload } from '../../lib/workload';

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

  test('GIVEN a DenyFlow from Peer.anyIpv4() WHEN checked THEN MS-FLOW-DENIED finds the flows from IPv4 workloads, not from an IPv6-only one', () => {
    const { stack } = estate();
    const web = segmentWithMember(stack, 'Web', 'web');
    const db = segmentWithMember(stack, 'Db', 'db');
    const fromWeb = db.allowFrom(web, Port.POSTGRES);
    db.allowFrom(host(stack, 'V6Client', {}, '2001:db8::6'), Port.POSTGRES);
    new DenyFlow(stack, 'NoPostgresIn', { from: Peer.anyIpv4(), to: db, ports: [Port.POSTGRES] });

    const results = resultsOf(new MsFlowDenied(), stack);

    expect(results.map((r) => r.construct.node.path)).toEqual([fromWeb.node.path]);
    expect(results[0].message).toBe(`AllowFlow '${fromWeb.node.path}' ('shop/Web' to 'shop/Db' on Port.tcp(5432)) is entirely forbidden by DenyFlow 'shop/NoPostgresIn' (Port.tcp(5432)), so it never carries traffic. Remove the flow, or ask the platform team for a GuardrailAllow if the traffic is needed.`);
  });

  test('GIVEN a DenyFlow from a CIDR WHEN checked THEN MS-FLOW-DENIED finds the flows whose source has members and addresses all inside it', () => {
    const { stack } = estate();
    const web = segmentWithMember(stack, 'Web', 'web'); // member address 10.0.3.3
    const db = segmentWithMember(stack, 'Db', 'db');
    const mixed = new Segment(stack, 'Mixed', { selector: { tier: 'mixed' } });
    host(stack, 'MixedIn', { tier: 'mixed' }, '10.0.3.7');
    host(stack, 'MixedOut', { tier: 'mixed' }, '10.9.0.1');
    const lone = host(stack, 'Lone', {}, '10.0.3.9');
    const dualStack = new Workload(stack, 'DualStack', { addresses: ['10.0.3.8', '2001:db8::8'] });
    const empty = new Segment(stack, 'Empty', { selector: { tier: 'nobody' } });
    const fromWeb = db.allowFrom(web, Port.POSTGRES);
    const fromLone = db.allowFrom(lone, Port.POSTGRES);
    db.allowFrom(mixed, Port.POSTGRES);
    db.allowFrom(dualStack, Port.POSTGRES);
    db.allowFrom(empty, Port.POSTGRES);
    new DenyFlow(stack, 'NoLanToDb', { from: Peer.ipv4('10.0.3.0/24'), to: db, ports: [Port.POSTGRES] });

    const results = resultsOf(new MsFlowDenied(), stack);

    expect(results.map((r) => r.construct.node.path)).toEqual([fromWeb.node.path, fromLone.node.path]);
    expect(results[1].message).toBe(`AllowFlow '${fromLone.node.path}' ('shop/Lone' to 'shop/Db' on Port.tcp(5432)) is entirely forbidden by DenyFlow 'shop/NoLanToDb' (Port.tcp(5432)), so it never carries traffic. Remove the flow, or ask the platform team for a GuardrailAllow if the traffic is needed.`);
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

  test('GIVEN GuardrailAllows inside an application flow WHEN checked THEN MS-FLOW-REDUNDANT reports only the one whose traffic no DenyFlow forbids', () => {
    const { stack } = estate();
    const web = segmentWithMember(stack, 'Web', 'web'); // member address 10.0.3.3
    const db = segmentWithMember(stack, 'Db', 'db');
    const wide = db.allowFrom(web, Port.tcpRange(5000, 6000));
    new DenyFlow(stack, 'NoPostgres', { from: web, to: db, ports: [Port.POSTGRES] });
    new DenyFlow(stack, 'NoLanOn5445', { from: Peer.ipv4('10.0.3.0/24'), to: db, ports: [Port.tcp(5445)] });
    // without them the DenyFlows would drop this traffic: they are not redundant
    new GuardrailAllow(stack, 'Postgres', { from: web, to: db, ports: [Port.POSTGRES] });
    new GuardrailAllow(stack, 'Range', { from: web, to: db, ports: [Port.tcpRange(5440, 5450)] });
    const undenied = new GuardrailAllow(stack, 'Undenied', { from: web, to: db, ports: [Port.tcp(5433)] });

    const results = resultsOf(new MsFlowRedundant(), stack);

    expect(results.map((r) => r.construct.node.path)).toEqual([undenied.flow.node.path]);
    expect(results[0].message).toBe(`AllowFlow 'shop/Undenied/Flow' ('shop/Web' to 'shop/Db' on Port.tcp(5433)) is shadowed by AllowFlow '${wide.node.path}' ('shop/Web' to 'shop/Db' on Port.tcpRange(5000, 6000)), which already allows all of its traffic. Remove one of them, or narrow '${wide.node.path}' if it allows more than intended.`);
  });

  test('GIVEN workloads named only by a DenyFlow or a GuardrailAllow WHEN checked THEN MS-WORKLOAD-UNSEGMENTED reports neither', () => {
    const { stack } = estate();
    const db = segmentWithMember(stack, 'Db', 'db');
    const lonely = new Workload(stack, 'Lonely', { addresses: ['192.0.2.9'] });
    const monitor = new Workload(stack, 'Monitor', { addresses: ['192.0.2.10'] });
    const stray = host(stack, 'Stray', { tier: 'dbb' });
    new DenyFlow(stack, 'NoLonely', { from: lonely, to: db });
    new GuardrailAllow(stack, 'Monitoring', { from: monitor, to: db, ports: [Port.HTTPS] });

    const results = resultsOf(new MsWorkloadUnsegmented(), stack);

    expect(results.map((r) => r.construct.node.path)).toEqual([stray.node.path]);
  });
});
