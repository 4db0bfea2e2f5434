import { Aspects, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { CheckOutcome, CheckPack, CheckResult, CheckResults, FindingLevel, ICheckRule, MicrosegChecks, MicrosegSuppressions, PolicyView } from '../../lib/checks';
import { Peer } from '../../lib/peer';
import { Port, Protocol } from '../../lib/port';
import { Segment } from '../../lib/segment';
import { errorOf, newApp, synthApp } from '../helpers';
import { annotations, estate, manifestAnnotations, runAspects, segmentWithMember } from './check-fixtures';

/** A tidy shop: every segment has members and flows, nothing open. */
function tidyShop(stack: TerraformStack) {
  const web = segmentWithMember(stack, 'Web', 'web');
  const api = segmentWithMember(stack, 'Api', 'api');
  web.allowFrom(Peer.anyIpv4(), Port.HTTPS);
  api.allowFrom(web, Port.tcp(8080));
  return { web, api };
}

describe('MicrosegChecks as an Aspect', () => {
  test('GIVEN a tidy estate WHEN the stack is synthesized THEN no finding is reported', () => {
    const { stack } = estate();
    tidyShop(stack);
    Aspects.of(stack).add(new MicrosegChecks());

    runAspects(stack);

    const all = stack.node.findAll().flatMap((c) => [...annotations(c, 'warn'), ...annotations(c, 'error')]);
    expect(all.filter((m) => m.startsWith('[MS-'))).toEqual([]);
  });

  test('GIVEN SSH open to the internet WHEN the app is synthesized THEN synthesis fails with the rule id, the construct path and the fix', () => {
    const { app, stack } = estate();
    const { web } = tidyShop(stack);
    web.allowFrom(Peer.anyIpv4(), Port.SSH);
    Aspects.of(stack).add(new MicrosegChecks());

    const message = errorOf(() => app.synth());

    expect(message).toContain("[MS-ADMIN-OPEN] AllowFlow 'shop/Web/AllowFrom-ipv4-0.0.0.0_0-tcp-22' opens an administration port to any address: Port.tcp(22) (SSH) from Peer.anyIpv4() (\"0.0.0.0/0\") to 'shop/Web'.");
    expect(message).toContain('Allow it from a bastion segment or a VPN range such as Peer.ipv4("10.0.0.0/8") instead.');
  });

  test('GIVEN only warning findings WHEN the app is synthesized THEN synthesis passes and the warnings are in the manifest', () => {
    const { app, stack } = estate();
    const { web, api } = tidyShop(stack);
    const all = api.allowFrom(web, Port.allTraffic());
    Aspects.of(stack).add(new MicrosegChecks());

    app.synth();

    const warnings = manifestAnnotations(app).filter((a) => a.level === '@cdktf/warn');
    expect(warnings).toEqual([
      expect.objectContaining({ constructPath: 'shop/Api/AllowFrom-shop-Web-tcp-8080', message: expect.stringMatching(/^\[MS-FLOW-REDUNDANT\] .* is shadowed by AllowFlow 'shop\/Api\/AllowFrom-shop-Web-all'/) }),
      expect.objectContaining({ constructPath: all.node.path, message: expect.stringMatching(/^\[MS-ALL-TRAFFIC\] AllowFlow 'shop\/Api\/AllowFrom-shop-Web-all' allows all traffic/) }),
    ]);
  });

  test('GIVEN a rule that cannot decide WHEN synthesized THEN it is a warning "cannot check", not a pass and not an error', () => {
    const { app, stack } = estate();
    const { web } = tidyShop(stack);
    const flow = web.allowFrom(Peer.awsPrefixList('pl-0123456789abcdef0'), Port.SSH);
    Aspects.of(stack).add(new MicrosegChecks());

    app.synth();

    expect(annotations(flow, 'warn')).toEqual([expect.stringMatching(/^\[MS-ADMIN-OPEN\] cannot check: AllowFlow '.*' allows Port.tcp\(22\) \(SSH\) from Peer.awsPrefixList\("pl-0123456789abcdef0"\) is a managed prefix list/)]);
  });

  test('GIVEN an Aspect added to the App only WHEN synthesized THEN cdktf does not run it (the documented trap), and applyTo(app) does', () => {
    const { app, stack } = estate();
    const { web } = tidyShop(stack);
    const flow = web.allowFrom(Peer.anyIpv4(), Port.SSH);
    Aspects.of(app).add(new MicrosegChecks());

    app.synth();
    expect(annotations(flow, 'error')).toEqual([]);

    MicrosegChecks.applyTo(app);
    expect(() => app.synth()).toThrow(/\[MS-ADMIN-OPEN\]/);
  });

  test('GIVEN several stacks with the pack WHEN synthesized THEN each finding is reported once, in the stack of the construct that owns it', () => {
    const app = newApp();
    const network = new TerraformStack(app, 'network');
    const shop = new TerraformStack(app, 'shop');
    const web = segmentWithMember(network, 'Web', 'web');
    const api = segmentWithMember(shop, 'Api', 'api');
    web.allowFrom(Peer.anyIpv4(), Port.HTTPS);
    const all = api.allowFrom(web, Port.allTraffic());
    const unused = new Segment(network, 'Unused', { selector: { tier: 'web' } });
    const pack = MicrosegChecks.applyTo(app);
    Aspects.of(shop).add(pack);

    synthApp(app);
    synthApp(app);

    const findings = manifestAnnotations(app).filter((a) => a.message.startsWith('[MS-'));
    expect(findings.map((f) => [f.stack, f.constructPath, f.message.split(']')[0] + ']'])).toEqual([
      ['network', unused.node.path, '[MS-SEGMENT-UNUSED]'],
      ['shop', all.node.path, '[MS-ALL-TRAFFIC]'],
    ]);
    expect(annotations(all, 'warn')).toHaveLength(1);
  });
});

describe('MicrosegSuppressions', () => {
  test('GIVEN a suppression with a reason on the flow WHEN synthesized THEN synthesis passes and the finding is an info with the reason', () => {
    const { app, stack } = estate();
    const { web } = tidyShop(stack);
    const flow = web.allowFrom(Peer.anyIpv4(), Port.SSH);
    MicrosegSuppressions.addSuppressions(flow, [{ id: 'MS-ADMIN-OPEN', reason: 'Public bastion, MFA enforced (SEC-42)' }]);
    Aspects.of(stack).add(new MicrosegChecks());

    app.synth();

    expect(annotations(flow, 'error')).toEqual([]);
    expect(annotations(flow, 'info')).toEqual([expect.stringMatching(/^\[MS-ADMIN-OPEN\] suppressed: Public bastion, MFA enforced \(SEC-42\) \(on 'shop\/Web\/AllowFrom-ipv4-0.0.0.0_0-tcp-22'; finding: AllowFlow .* opens an administration port/)]);
    expect(flow.node.metadata.find((m) => m.type === MicrosegSuppressions.METADATA_TYPE)?.data).toEqual({
      rules: [{ id: 'MS-ADMIN-OPEN', reason: 'Public bastion, MFA enforced (SEC-42)' }],
      applyToChildren: true,
    });
  });

  test.each([
    ['no reason', ''],
    ['a short reason', 'ok bastn'],
    ['only spaces', '              '],
  ])('GIVEN a suppression with %s WHEN added THEN it throws naming the construct, quoting the reason and suggesting one', (_name, reason) => {
    const { stack } = estate();
    const { web } = tidyShop(stack);

    const message = errorOf(() => MicrosegSuppressions.addSuppressions(web, [{ id: 'MS-ADMIN-OPEN', reason }]));

    expect(message).toContain("MicrosegSuppressions on 'shop/Web'");
    expect(message).toContain(`has the reason ${JSON.stringify(reason)}, shorter than 10 characters`);
    expect(message).toContain("Say why the finding is acceptable, for example { id: \"MS-ADMIN-OPEN\", reason: '");
  });

  test('GIVEN a suppression on a segment WHEN synthesized THEN it covers the flows under it (subtree) but not the other segments', () => {
    const { app, stack } = estate();
    const { web, api } = tidyShop(stack);
    const webSsh = web.allowFrom(Peer.anyIpv4(), Port.SSH);
    const apiSsh = api.allowFrom(Peer.anyIpv4(), Port.SSH);
    MicrosegSuppressions.addSuppressions(web, [{ id: 'MS-ADMIN-OPEN', reason: 'Web tier is a public SFTP drop box' }]);
    Aspects.of(stack).add(new MicrosegChecks());

    const message = errorOf(() => app.synth());

    expect(message).toContain(`[MS-ADMIN-OPEN] AllowFlow '${apiSsh.node.path}'`);
    expect(message).not.toContain(`AllowFlow '${webSsh.node.path}'`);
    expect(annotations(webSsh, 'info')).toEqual([expect.stringContaining("[MS-ADMIN-OPEN] suppressed: Web tier is a public SFTP drop box (on 'shop/Web'")]);
  });

  test('GIVEN a suppression on a segment with applyToChildren false WHEN synthesized THEN its flows are still reported', () => {
    const { app, stack } = estate();
    const { web } = tidyShop(stack);
    web.allowFrom(Peer.anyIpv4(), Port.SSH);
    MicrosegSuppressions.addSuppressions(web, [{ id: 'MS-ADMIN-OPEN', reason: 'Only the segment itself is meant' }], false);
    Aspects.of(stack).add(new MicrosegChecks());

    expect(() => app.synth()).toThrow(/\[MS-ADMIN-OPEN\] AllowFlow 'shop\/Web\/AllowFrom-ipv4-0.0.0.0_0-tcp-22'/);
  });

  test('GIVEN a suppression on the stack WHEN synthesized THEN a "cannot check" warning is suppressed too', () => {
    const { app, stack } = estate();
    const { web } = tidyShop(stack);
    const flow = web.allowFrom(Peer.awsPrefixList('pl-0123456789abcdef0'), Port.SSH);
    MicrosegSuppressions.addSuppressions(stack, [{ id: 'MS-ADMIN-OPEN', reason: 'Prefix list holds office ranges only' }]);
    Aspects.of(stack).add(new MicrosegChecks());

    app.synth();

    expect(annotations(flow, 'warn')).toEqual([]);
    expect(annotations(flow, 'info')).toEqual([expect.stringMatching(/^\[MS-ADMIN-OPEN\] suppressed: Prefix list holds office ranges only \(on 'shop'; finding: cannot check: /)]);
  });
});

describe('custom rules and packs', () => {
  /** ACME-NO-TELNET: nobody allows telnet. */
  class NoTelnet implements ICheckRule {
    public readonly id = 'ACME-NO-TELNET';
    public readonly level = FindingLevel.ERROR;
    public readonly description = 'No flow allows telnet (TCP 23).';
    public check(view: PolicyView): CheckResult[] {
      return view.flows
        .filter((f) => f.ports.some((p) => p.protocol === Protocol.TCP && p.fromPort <= 23 && 23 <= p.toPort))
        .map((f) => CheckResults.nonCompliant(this, f.flow, `AllowFlow '${f.path}' allows telnet. Use Port.SSH.`));
    }
  }

  test('GIVEN a custom pack with a custom rule and the default rules WHEN synthesized THEN both kinds of findings are reported', () => {
    const { app, stack } = estate();
    const { web, api } = tidyShop(stack);
    const telnet = api.allowFrom(web, Port.tcp(23));
    const open = web.allowFrom(Peer.anyIpv4(), Port.SSH);
    class AcmeChecks extends CheckPack {
      constructor() {
        super('acme', [new NoTelnet(), ...MicrosegChecks.RULES]);
      }
    }
    new AcmeChecks().addToEveryStack(app);

    const message = errorOf(() => app.synth());

    expect(message).toContain(`[ACME-NO-TELNET] AllowFlow '${telnet.node.path}' allows telnet. Use Port.SSH.`);
    expect(message).toContain(`[MS-ADMIN-OPEN] AllowFlow '${open.node.path}'`);
  });

  test('GIVEN a custom rule that throws WHEN synthesized THEN it is reported as "cannot check" on the stack', () => {
    const { app, stack } = estate();
    tidyShop(stack);
    const broken: ICheckRule = { id: 'ACME-BROKEN', level: FindingLevel.ERROR, description: 'broken', check: () => { throw new Error('boom'); } };
    Aspects.of(stack).add(new CheckPack('acme', [broken]));

    app.synth();

    expect(annotations(stack, 'warn')).toEqual(["[ACME-BROKEN] cannot check: rule ACME-BROKEN of pack 'acme' failed: boom. Fix the rule, or suppress ACME-BROKEN with a reason."]);
  });

  test('GIVEN two rules with one id WHEN the pack is created THEN it throws naming the id', () => {
    expect(errorOf(() => new CheckPack('acme', [...MicrosegChecks.RULES, MicrosegChecks.RULES[0]]))).toBe(
      "CheckPack 'acme': rule id \"MS-ADMIN-OPEN\" appears twice. Give each rule its own id, or list it once.");
  });

  test('GIVEN a pack WHEN check() is called THEN it returns every result, NOT_APPLICABLE included, and reports nothing', () => {
    const { stack } = estate();
    const { web } = tidyShop(stack);
    const invalid = web.allowFrom(Peer.anyIpv4(), Port.tcpRange(30, 10));
    const ssh = web.allowFrom(Peer.anyIpv4(), Port.SSH);

    const results = new MicrosegChecks().check(stack);

    expect(results.filter((r) => r.ruleId === 'MS-ADMIN-OPEN').map((r) => [r.construct, r.outcome])).toEqual([[ssh, CheckOutcome.NON_COMPLIANT]]);
    expect(stack.node.findAll().flatMap((c: IConstruct) => annotations(c, 'error'))).toEqual([]);
    expect(invalid.node.path).toBeDefined();
  });
});
