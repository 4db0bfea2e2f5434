import { App, TerraformStack } from 'cdktf';
import { AllowFlow, DenyFlow, GuardrailAllow, NsxEnforcement, Port, Segment, Workload, VsphereBinding } from '../../lib';
import '../../lib/verify/jest';
import { PolicyRegistry } from '../../lib/registry';
import { newApp, resourcesOf, SynthesizedStack, synthApp } from '../helpers';
import { nsxStack, vm } from './nsx-fixtures';

// A DenyFlow's DROP rule and the ALLOW rule of a GuardrailAllow that carves an exception from it are
// separate nsxt_policy_security_policy_rule resources (NSX evaluates the ALLOW first). The DROP
// depends on the ALLOW, so Terraform creates the ALLOW first and destroys it last: the excepted flow,
// allowed before and after the change, is never dropped while the apply runs.

const RULE = 'nsxt_policy_security_policy_rule';
const DENY = 'Nsx_Guardrail-dc-NoWebToDb-1864d895_466C282C';
const PG_ALLOW = 'Nsx_Guardrail-dc-WebDbPg-Flow-20a6dfb8_FA8E4F8A';

/** The web and db segments with one VM each and the application flow web -> db tcp/5432. */
function estate(app: App = newApp()) {
  const stack = nsxStack(app, 'dc');
  new NsxEnforcement(stack, 'Nsx');
  const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
  const db = new Segment(stack, 'Db', { selector: { tier: 'db' } });
  new Workload(stack, 'Web1', { binding: VsphereBinding.virtualMachine(vm(stack, 'web1')), labels: { tier: 'web' }, addresses: ['10.0.0.10'] });
  new Workload(stack, 'Db1', { binding: VsphereBinding.virtualMachine(vm(stack, 'db1')), labels: { tier: 'db' }, addresses: ['10.0.0.30'] });
  new AllowFlow(stack, 'WebToDb', { from: web, to: db, ports: [Port.POSTGRES] });
  return { app, stack, web, db };
}

/** The rule resources of a synthesized stack, by Terraform name. */
function rules(out: SynthesizedStack): Record<string, any> {
  return resourcesOf(out, RULE);
}

/** The Terraform names of the rules whose name contains `part`. */
function rulesNamed(out: SynthesizedStack, part: string): string[] {
  return Object.keys(rules(out)).filter((name) => name.includes(part)).sort();
}

describe('NSX: a DenyFlow\'s DROP rule is applied after the GuardrailAllow rules excepted from it', () => {
  test('the DROP rule depends on exactly the ALLOW rule of the overlapping GuardrailAllow', () => {
    // GIVEN a DenyFlow web -> db (every port) and its exception web -> db tcp/5432
    const { app, stack, web, db } = estate();
    new DenyFlow(stack, 'NoWebToDb', { from: web, to: db });
    new GuardrailAllow(stack, 'WebDbPg', { from: web, to: db, ports: [Port.POSTGRES] });

    // WHEN
    const out = synthApp(app).dc;
    // THEN once applied the exception holds and the rest of the DenyFlow does
    expect(stack).toAllowFlow('dc/Web1', 'dc/Db1', Port.POSTGRES);
    expect(stack).toDenyFlow('dc/Web1', 'dc/Db1', Port.SSH);

    // THEN the rules are the ones expected: a DROP and an ALLOW in the guardrail policy
    expect(rules(out)[DENY]).toEqual(expect.objectContaining({ action: 'DROP', policy_path: '${nsxt_policy_parent_security_policy.Nsx_GuardrailPolicy_69EC3194.path}' }));
    expect(rules(out)[PG_ALLOW]).toEqual(expect.objectContaining({ action: 'ALLOW', policy_path: '${nsxt_policy_parent_security_policy.Nsx_GuardrailPolicy_69EC3194.path}' }));
    // AND the DROP waits for the ALLOW, which waits for its service by reference
    expect(rules(out)[DENY].depends_on).toEqual([`${RULE}.${PG_ALLOW}`]);
    expect(rules(out)[PG_ALLOW].services).toEqual(['${nsxt_policy_service.Nsx_Service-dc-WebDbPg-Flow-d5a01c81_0ED165FC.path}']);
    // AND no other rule gets an order
    for (const [name, body] of Object.entries<any>(rules(out))) if (name !== DENY) expect(body.depends_on).toBeUndefined();
  });

  test('a DenyFlow that no GuardrailAllow overlaps gets no depends_on', () => {
    // GIVEN a DenyFlow web -> db tcp/22 and a GuardrailAllow web -> db tcp/5432 (no common port)
    const { app, stack, web, db } = estate();
    new DenyFlow(stack, 'NoWebToDb', { from: web, to: db, ports: [Port.SSH] });
    new GuardrailAllow(stack, 'WebDbPg', { from: web, to: db, ports: [Port.POSTGRES] });

    // WHEN
    const out = synthApp(app).dc;

    // THEN both rules exist, unordered
    const [deny] = rulesNamed(out, 'Guardrail-dc-NoWebToDb');
    expect(rules(out)[deny].action).toBe('DROP');
    expect(rules(out)[PG_ALLOW].action).toBe('ALLOW');
    expect(out.text).not.toContain('depends_on');
  });

  test('an estate with a DenyFlow and no GuardrailAllow synthesizes without depends_on', () => {
    // GIVEN
    const { app, stack, web, db } = estate();
    new DenyFlow(stack, 'NoWebToDb', { from: web, to: db });

    // WHEN
    const out = synthApp(app).dc;

    // THEN
    expect(rules(out)[DENY].action).toBe('DROP');
    expect(out.text).not.toContain('depends_on');
  });

  test('a GuardrailAllow declared after the app was rendered is waited for', () => {
    // GIVEN a rendered app with a DenyFlow
    const { app, stack, web, db } = estate();
    new DenyFlow(stack, 'NoWebToDb', { from: web, to: db });
    PolicyRegistry.of(stack).ensureRendered();

    // WHEN its exception is declared afterwards
    new GuardrailAllow(stack, 'WebDbPg', { from: web, to: db, ports: [Port.POSTGRES] });
    const out = synthApp(app).dc;

    // THEN
    expect(rules(out)[DENY].depends_on).toEqual([`${RULE}.${PG_ALLOW}`]);
  });

  test('a DenyFlow declared after the app was rendered waits for the GuardrailAllow declared before', () => {
    // GIVEN a rendered app with a GuardrailAllow
    const { app, stack, web, db } = estate();
    new GuardrailAllow(stack, 'WebDbPg', { from: web, to: db, ports: [Port.POSTGRES] });
    PolicyRegistry.of(stack).ensureRendered();

    // WHEN
    new DenyFlow(stack, 'NoWebToDb', { from: web, to: db });
    const out = synthApp(app).dc;

    // THEN
    expect(rules(out)[DENY].depends_on).toEqual([`${RULE}.${PG_ALLOW}`]);
  });

  test('several exceptions are listed sorted by address, whatever the declaration order', () => {
    // GIVEN the DenyFlow and two exceptions, declared in every order
    const declare = (order: Array<'deny' | 'pg' | 'alt'>) => {
      const { app, stack, web, db } = estate();
      for (const what of order) {
        if (what === 'deny') new DenyFlow(stack, 'NoWebToDb', { from: web, to: db });
        if (what === 'pg') new GuardrailAllow(stack, 'WebDbPg', { from: web, to: db, ports: [Port.POSTGRES] });
        if (what === 'alt') new GuardrailAllow(stack, 'WebDbAlt', { from: web, to: db, ports: [Port.tcp(5433)] });
      }
      return synthApp(app).dc;
    };
    const orders: Array<Array<'deny' | 'pg' | 'alt'>> = [['deny', 'pg', 'alt'], ['alt', 'pg', 'deny'], ['pg', 'deny', 'alt'], ['alt', 'deny', 'pg']];

    // WHEN
    const outs = orders.map(declare);

    // THEN every order lists both ALLOW rules, sorted
    const [alt] = rulesNamed(outs[0], 'Guardrail-dc-WebDbAlt-Flow');
    const expected = [`${RULE}.${alt}`, `${RULE}.${PG_ALLOW}`];
    expect(expected).toEqual([...expected].sort());
    for (const out of outs) expect(rules(out)[DENY].depends_on).toEqual(expected);
  });

  test('a GuardrailAllow declared in another stack is left out (its rule lives in that stack)', () => {
    // GIVEN the DenyFlow in dc and its exception declared in stack sec
    const app = newApp();
    const { stack, web, db } = estate(app);
    const sec: TerraformStack = nsxStack(app, 'sec');
    new DenyFlow(stack, 'NoWebToDb', { from: web, to: db });
    new GuardrailAllow(sec, 'WebDbPg', { from: web, to: db, ports: [Port.POSTGRES] });

    // WHEN
    const out = synthApp(app);

    // THEN the ALLOW rule is in sec, and the DROP in dc names nothing of sec
    expect(rulesNamed(out.sec, 'WebDbPg-Flow').map((name) => rules(out.sec)[name].action)).toEqual(['ALLOW']);
    expect(rules(out.dc)[DENY].action).toBe('DROP');
    expect(out.dc.text).not.toContain('depends_on');
  });
});
