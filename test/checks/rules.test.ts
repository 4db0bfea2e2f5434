import { Token } from 'cdktf';
import { estate, host, resultsOf, segmentWithMember } from './check-fixtures';
import { CheckOutcome, MsAdminOpen, MsAllTraffic, MsDbOpen, MsEgressOpen, MsFlowRedundant, MsSegmentUnused, MsWorkloadUnsegmented } from '../../lib/checks';
import { AllowFlow } from '../../lib/flow';
import { Peer } from '../../lib/peer';
import { Port } from '../../lib/port';
import { Segment } from '../../lib/segment';

describe('MS-ADMIN-OPEN: no ingress from any address on SSH or RDP', () => {
  test.each([
    ['Peer.anyIpv4() on Port.SSH', Peer.anyIpv4(), Port.SSH, 'Port.tcp(22) (SSH) from Peer.anyIpv4() ("0.0.0.0/0")'],
    ['Peer.anyIpv6() on Port.RDP', Peer.anyIpv6(), Port.RDP, 'Port.tcp(3389) (RDP) from Peer.anyIpv6() ("::/0")'],
    ['a range containing 22', Peer.ipv4('0.0.0.0/0'), Port.tcpRange(20, 25), 'Port.tcpRange(20, 25) includes tcp/22 (SSH)'],
    ['all traffic', Peer.anyIpv4(), Port.allTraffic(), 'Port.allTraffic() includes tcp/22 (SSH), Port.allTraffic() includes tcp/3389 (RDP)'],
    ['the Azure Internet tag', Peer.azureServiceTag('Internet'), Port.SSH, 'Peer.azureServiceTag("Internet") (every internet address)'],
  ])('GIVEN %s WHEN checked THEN an error names the flow, quotes the value and suggests a fix', (_name, peer, port, quoted) => {
    const { stack } = estate();
    const web = segmentWithMember(stack, 'Web', 'web');
    const flow = web.allowFrom(peer, port);

    const results = resultsOf(new MsAdminOpen(), stack);

    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ ruleId: 'MS-ADMIN-OPEN', level: 'error', outcome: CheckOutcome.NON_COMPLIANT, construct: flow });
    expect(results[0].message).toContain(`AllowFlow '${flow.node.path}' opens an administration port to any address`);
    expect(results[0].message).toContain(quoted);
    expect(results[0].message).toContain('Allow it from a bastion segment or a VPN range');
  });

  test('GIVEN an external workload whose address is 0.0.0.0/0 as the source WHEN checked THEN it counts as any address', () => {
    const { stack } = estate();
    const web = segmentWithMember(stack, 'Web', 'web');
    const internet = host(stack, 'Internet', {}, '0.0.0.0/0');
    web.allowFrom(internet, Port.SSH);

    expect(resultsOf(new MsAdminOpen(), stack).map((r) => r.message)).toEqual([expect.stringContaining('\'shop/Internet\' with address "0.0.0.0/0"')]);
  });

  test.each([
    ['SSH from a VPN range', Peer.ipv4('10.8.0.0/16'), Port.SSH],
    ['HTTPS from anywhere', Peer.anyIpv4(), Port.HTTPS],
    ['a range that stops before 22', Peer.anyIpv4(), Port.tcpRange(0, 21)],
    ['UDP 22 from anywhere', Peer.anyIpv4(), Port.udp(22)],
  ])('GIVEN %s WHEN checked THEN compliant', (_name, peer, port) => {
    const { stack } = estate();
    segmentWithMember(stack, 'Web', 'web').allowFrom(peer, port);

    expect(resultsOf(new MsAdminOpen(), stack)).toEqual([]);
  });

  test('GIVEN SSH egress to anywhere (not ingress) WHEN checked THEN compliant', () => {
    const { stack } = estate();
    segmentWithMember(stack, 'Web', 'web').allowTo(Peer.anyIpv4(), Port.SSH);

    expect(resultsOf(new MsAdminOpen(), stack)).toEqual([]);
  });

  test('GIVEN a source CIDR that is an unresolved token WHEN checked THEN the rule says it cannot check, with the reason', () => {
    const { stack } = estate();
    const web = segmentWithMember(stack, 'Web', 'web');
    const cidr = Token.asString({ Ref: 'admin_cidr' });
    const flow = new AllowFlow(stack, 'AdminSsh', { from: Peer.ipv4(cidr), to: web, ports: [Port.SSH] });

    const results = resultsOf(new MsAdminOpen(), stack);

    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ outcome: CheckOutcome.UNKNOWN, construct: flow });
    expect(results[0].message).toContain('is an unresolved token, so its address range is not known at synth');
    expect(results[0].message).toContain('suppress MS-ADMIN-OPEN on the flow');
  });

  test('GIVEN an unresolved CIDR on HTTPS only WHEN checked THEN nothing to decide', () => {
    const { stack } = estate();
    const web = segmentWithMember(stack, 'Web', 'web');
    new AllowFlow(stack, 'Https', { from: Peer.ipv4(Token.asString({ Ref: 'cidr' })), to: web, ports: [Port.HTTPS] });

    expect(resultsOf(new MsAdminOpen(), stack)).toEqual([]);
  });

  test('GIVEN SSH from a managed prefix list WHEN checked THEN the rule cannot check', () => {
    const { stack } = estate();
    segmentWithMember(stack, 'Web', 'web').allowFrom(Peer.awsPrefixList('pl-0123456789abcdef0'), Port.SSH);

    const results = resultsOf(new MsAdminOpen(), stack);
    expect(results.map((r) => r.outcome)).toEqual([CheckOutcome.UNKNOWN]);
    expect(results[0].message).toContain('Peer.awsPrefixList("pl-0123456789abcdef0") is a managed prefix list');
  });
});

describe('MS-DB-OPEN: no ingress from any address on database ports', () => {
  test.each([
    [Port.POSTGRES, 'PostgreSQL'],
    [Port.MYSQL, 'MySQL'],
    [Port.MSSQL, 'SQL Server'],
    [Port.tcp(1521), 'Oracle'],
    [Port.tcp(27017), 'MongoDB'],
    [Port.REDIS, 'Redis'],
    [Port.allTcp(), 'PostgreSQL'],
  ])('GIVEN %s from 0.0.0.0/0 WHEN checked THEN error', (port, name) => {
    const { stack } = estate();
    const flow = segmentWithMember(stack, 'Db', 'db').allowFrom(Peer.anyIpv4(), port);

    const results = resultsOf(new MsDbOpen(), stack);

    expect(results.length).toBeGreaterThan(0);
    expect(results[0]).toMatchObject({ ruleId: 'MS-DB-OPEN', level: 'error', construct: flow });
    expect(results[0].message).toContain(`AllowFlow '${flow.node.path}' opens a database port to any address`);
    expect(results[0].message).toContain(`(${name})`);
    expect(results[0].message).toContain('db.allowFrom(api, Port.POSTGRES)');
  });

  test('GIVEN Postgres from the api segment WHEN checked THEN compliant', () => {
    const { stack } = estate();
    const api = segmentWithMember(stack, 'Api', 'api');
    segmentWithMember(stack, 'Db', 'db').allowFrom(api, Port.POSTGRES);

    expect(resultsOf(new MsDbOpen(), stack)).toEqual([]);
  });

  test('GIVEN Postgres from an unresolved IPv6 CIDR WHEN checked THEN cannot check', () => {
    const { stack } = estate();
    segmentWithMember(stack, 'Db', 'db').allowFrom(Peer.ipv6(Token.asString({ Ref: 'v6' })), Port.POSTGRES);

    expect(resultsOf(new MsDbOpen(), stack).map((r) => r.outcome)).toEqual([CheckOutcome.UNKNOWN]);
  });
});

describe('MS-ALL-TRAFFIC: no all-traffic flow between segments', () => {
  test.each([
    ['Port.allTraffic()', [Port.allTraffic()]],
    ['all TCP and all UDP', [Port.allTcp(), Port.allUdp()]],
    ['two TCP halves and all UDP', [Port.tcpRange(0, 30000), Port.tcpRange(30001, 65535), Port.allUdp()]],
    ['TCP and UDP 1-65535 (port 0 is reserved)', [Port.tcpRange(1, 65535), Port.udpRange(1, 65535)]],
  ])('GIVEN %s between two segments WHEN checked THEN warning', (_name, ports) => {
    const { stack } = estate();
    const web = segmentWithMember(stack, 'Web', 'web');
    const flow = segmentWithMember(stack, 'Api', 'api').allowFrom(web, ...ports);

    const results = resultsOf(new MsAllTraffic(), stack);

    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ ruleId: 'MS-ALL-TRAFFIC', level: 'warning', construct: flow });
    expect(results[0].message).toContain(`AllowFlow '${flow.node.path}' allows all traffic from 'shop/Web' to 'shop/Api'`);
    expect(results[0].message).toContain('List only the ports the application uses');
  });

  test('GIVEN all TCP only, or all traffic from a peer WHEN checked THEN compliant', () => {
    const { stack } = estate();
    const web = segmentWithMember(stack, 'Web', 'web');
    const api = segmentWithMember(stack, 'Api', 'api');
    api.allowFrom(web, Port.allTcp());
    api.allowFrom(Peer.ipv4('10.0.0.0/8'), Port.allTraffic());

    expect(resultsOf(new MsAllTraffic(), stack)).toEqual([]);
  });

  test('GIVEN all traffic inside one segment WHEN checked THEN warning', () => {
    const { stack } = estate();
    segmentWithMember(stack, 'Web', 'web').allowInternally(Port.allTraffic());

    expect(resultsOf(new MsAllTraffic(), stack)[0].message).toContain("between the members of 'shop/Web'");
  });
});

describe('MS-EGRESS-OPEN: no egress to any address on every port', () => {
  test('GIVEN all traffic to 0.0.0.0/0 WHEN checked THEN warning', () => {
    const { stack } = estate();
    const flow = segmentWithMember(stack, 'Web', 'web').allowTo(Peer.anyIpv4(), Port.allTraffic());

    const results = resultsOf(new MsEgressOpen(), stack);

    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ ruleId: 'MS-EGRESS-OPEN', level: 'warning', construct: flow });
    expect(results[0].message).toContain("allows 'shop/Web' to reach any address on every TCP and UDP port: Port.allTraffic() to Peer.anyIpv4()");
    expect(results[0].message).toContain('Allow only the ports it needs');
  });

  test('GIVEN TCP 1-65535 to 0.0.0.0/0 (port 0 is reserved) WHEN checked THEN warning for every TCP port', () => {
    const { stack } = estate();
    const flow = segmentWithMember(stack, 'Web', 'web').allowTo(Peer.anyIpv4(), Port.tcpRange(1, 65535));

    const results = resultsOf(new MsEgressOpen(), stack);

    expect(results.map((r) => r.construct.node.path)).toEqual([flow.node.path]);
    expect(results[0].message).toBe(`AllowFlow '${flow.node.path}' allows 'shop/Web' to reach any address on every TCP port: Port.tcpRange(1, 65535) to Peer.anyIpv4() ("0.0.0.0/0"). Allow only the ports it needs (for example Port.HTTPS) or a narrower destination (a proxy, a prefix list or a CIDR).`);
  });

  test('GIVEN HTTPS to 0.0.0.0/0, or all TCP to a private range WHEN checked THEN compliant', () => {
    const { stack } = estate();
    const web = segmentWithMember(stack, 'Web', 'web');
    web.allowTo(Peer.anyIpv4(), Port.HTTPS);
    web.allowTo(Peer.ipv4('10.0.0.0/8'), Port.allTcp());

    expect(resultsOf(new MsEgressOpen(), stack)).toEqual([]);
  });

  test('GIVEN all TCP to an unresolved CIDR WHEN checked THEN cannot check', () => {
    const { stack } = estate();
    segmentWithMember(stack, 'Web', 'web').allowTo(Peer.ipv4(Token.asString({ Ref: 'out' })), Port.allTcp());

    expect(resultsOf(new MsEgressOpen(), stack).map((r) => r.outcome)).toEqual([CheckOutcome.UNKNOWN]);
  });
});

describe('MS-WORKLOAD-UNSEGMENTED: every workload in a segment', () => {
  test('GIVEN a workload whose labels match no segment WHEN checked THEN warning on the workload', () => {
    const { stack } = estate();
    segmentWithMember(stack, 'Web', 'web');
    const stray = host(stack, 'Stray', { tier: 'wbe' });

    const results = resultsOf(new MsWorkloadUnsegmented(), stack);

    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ ruleId: 'MS-WORKLOAD-UNSEGMENTED', level: 'warning', construct: stray });
    expect(results[0].message).toContain("Workload 'shop/Stray' (labels {tier=wbe}) is in no segment");
    expect(results[0].message).toContain('Give it labels that a Segment selector matches');
  });

  test('GIVEN workloads in a segment, or named directly by a flow WHEN checked THEN compliant', () => {
    const { stack } = estate();
    const web = segmentWithMember(stack, 'Web', 'web');
    const admin = host(stack, 'Admin', {});
    web.allowFrom(admin, Port.SSH);

    expect(resultsOf(new MsWorkloadUnsegmented(), stack)).toEqual([]);
  });
});

describe('MS-SEGMENT-UNUSED: no segment without members or flows', () => {
  test('GIVEN a segment with members but no flow WHEN checked THEN warning', () => {
    const { stack } = estate();
    const web = segmentWithMember(stack, 'Web', 'web');

    const results = resultsOf(new MsSegmentUnused(), stack);

    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ ruleId: 'MS-SEGMENT-UNUSED', level: 'warning', construct: web });
    expect(results[0].message).toBe("Segment 'shop/Web' is in no flow, so it renders no useful rule. Declare the flows it needs (segment.allowFrom(...)), or remove the segment.");
  });

  test('GIVEN a segment whose selector matches nobody WHEN checked THEN warning quoting the selector', () => {
    const { stack } = estate();
    const ghost = new Segment(stack, 'Ghost', { selector: { tier: 'ghost' } });
    ghost.allowFrom(Peer.ipv4('10.0.0.0/8'), Port.HTTPS);

    expect(resultsOf(new MsSegmentUnused(), stack).map((r) => r.message)).toEqual([
      "Segment 'shop/Ghost' has no members (selector {tier=ghost} matches no workload), so it renders no useful rule. Fix the selector or add members, or remove the segment.",
    ]);
  });

  test('GIVEN used segments and a workload named in a flow (implicit segment) WHEN checked THEN compliant', () => {
    const { stack } = estate();
    const web = segmentWithMember(stack, 'Web', 'web');
    const admin = host(stack, 'Admin', {});
    web.allowFrom(admin, Port.SSH);
    admin._asSegment();

    expect(resultsOf(new MsSegmentUnused(), stack)).toEqual([]);
  });
});

describe('MS-FLOW-REDUNDANT: no flow covered by another', () => {
  test('GIVEN a flow on a port range and one on a port inside it WHEN checked THEN the narrower flow is shadowed, naming both', () => {
    const { stack } = estate();
    const web = segmentWithMember(stack, 'Web', 'web');
    const api = segmentWithMember(stack, 'Api', 'api');
    const narrow = api.allowFrom(web, Port.tcp(8080));
    const wide = api.allowFrom(web, Port.tcpRange(8000, 8100));

    const results = resultsOf(new MsFlowRedundant(), stack);

    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ ruleId: 'MS-FLOW-REDUNDANT', level: 'warning', construct: narrow });
    expect(results[0].message).toContain(`AllowFlow '${narrow.node.path}' ('shop/Web' to 'shop/Api' on Port.tcp(8080)) is shadowed by AllowFlow '${wide.node.path}'`);
    expect(results[0].message).toContain('Remove one of them');
  });

  test('GIVEN two identical flows WHEN checked THEN only the later one is reported, as a duplicate', () => {
    const { stack } = estate();
    const web = segmentWithMember(stack, 'Web', 'web');
    const api = segmentWithMember(stack, 'Api', 'api');
    new AllowFlow(stack, 'First', { from: web, to: api, ports: [Port.HTTPS] });
    const second = new AllowFlow(stack, 'Second', { from: web, to: api, ports: [Port.HTTPS] });

    const results = resultsOf(new MsFlowRedundant(), stack);
    expect(results.map((r) => r.construct)).toEqual([second]);
    expect(results[0].message).toContain("is a duplicate of AllowFlow 'shop/First'");
  });

  test('GIVEN a flow to a workload that is a member of a segment with a wider flow WHEN checked THEN shadowed', () => {
    const { stack } = estate();
    const web = segmentWithMember(stack, 'Web', 'web');
    const db = new Segment(stack, 'Db', { selector: { tier: 'db' } });
    const dbVm = host(stack, 'DbVm', { tier: 'db' }, '10.0.9.9');
    db.allowFrom(web, Port.POSTGRES, Port.tcp(5433));
    const direct = new AllowFlow(stack, 'Direct', { from: web, to: dbVm, ports: [Port.POSTGRES] });

    expect(resultsOf(new MsFlowRedundant(), stack).map((r) => r.construct)).toEqual([direct]);
  });

  test('GIVEN a CIDR inside another CIDR on the same port WHEN checked THEN shadowed', () => {
    const { stack } = estate();
    const web = segmentWithMember(stack, 'Web', 'web');
    web.allowFrom(Peer.ipv4('10.0.0.0/8'), Port.HTTPS);
    const inner = web.allowFrom(Peer.ipv4('10.1.0.0/16'), Port.HTTPS);

    expect(resultsOf(new MsFlowRedundant(), stack).map((r) => r.construct)).toEqual([inner]);
  });

  test('GIVEN flows that overlap without covering (other port, other source, unresolved CIDR) WHEN checked THEN compliant', () => {
    const { stack } = estate();
    const web = segmentWithMember(stack, 'Web', 'web');
    const api = segmentWithMember(stack, 'Api', 'api');
    api.allowFrom(web, Port.tcpRange(8000, 8080));
    api.allowFrom(web, Port.tcpRange(8050, 8100));
    api.allowFrom(Peer.ipv4('10.0.0.0/8'), Port.HTTPS);
    api.allowFrom(Peer.ipv4(Token.asString({ Ref: 'cidr' })), Port.HTTPS);
    api.allowFrom(Peer.ipv6('2001:db8::/32'), Port.HTTPS);

    expect(resultsOf(new MsFlowRedundant(), stack)).toEqual([]);
  });
});
