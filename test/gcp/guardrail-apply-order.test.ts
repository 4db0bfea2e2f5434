import { App, TerraformStack } from 'cdktf';
import { AllowFlow, DenyFlow, GcpBinding, GcpEnforcementProps, GuardrailAllow, Port, Segment, Workload } from '../../lib';
import '../../lib/verify/jest';
import { PolicyRegistry } from '../../lib/registry';
import { newApp, resourcesOf, SynthesizedStack, synthApp } from '../helpers';
import { gcpEstate, vmWorkload } from './gcp-fixtures';

// A DenyFlow's deny rules and the allow (or, in a hierarchical policy, goto_next) rules of a
// GuardrailAllow that carves an exception from it are separate resources (the allow's lower
// priority wins). Each deny rule depends on the grant's rules in its policy, so Terraform creates
// the allows first and destroys them last: the excepted flow, allowed before and after the change,
// never drops mid-apply.

const NETWORK_RULE = 'google_compute_network_firewall_policy_rule';
const HIERARCHY_RULE = 'google_compute_firewall_policy_rule';

const DENY_OUT = 'Gcp_Rule-guardrail-deny-EGRESS-shop-Web-shop-NoWebToDb-6add46dd_498EDF00';
const DENY_IN = 'Gcp_Rule-guardrail-deny-INGRESS-shop-Db-shop-NoWebToDb-8744c238_28D07499';
const PG_OUT = 'Gcp_Rule-guardrail-allow-EGRESS-shop-Web-shop-WebDbPg-Flow-06617fb5_E956B96C';
const PG_IN = 'Gcp_Rule-guardrail-allow-INGRESS-shop-Db-shop-WebDbPg-Flow-be603efd_2D9444F1';

const H_DENY_OUT = 'Gcp_Hierarchy-guardrail-deny-EGRESS-shop-Web-shop-NoWebToDb-ee0fbf21_198A3606';
const H_DENY_IN = 'Gcp_Hierarchy-guardrail-deny-INGRESS-shop-Db-shop-NoWebToDb-3338d93d_AFC036AF';
const H_PG_OUT = 'Gcp_Hierarchy-guardrail-allow-EGRESS-shop-Web-shop-WebDbPg-Flow-4b7a49c8_A4FE9496';
const H_PG_IN = 'Gcp_Hierarchy-guardrail-allow-INGRESS-shop-Db-shop-WebDbPg-Flow-8d1ab755_1D0F9404';

/** One network (stack `shop`), segments Web and Db with one instance each, and the application flow Web -> Db tcp/5432. */
function estate(props: Partial<GcpEnforcementProps> = {}, app: App = newApp()) {
  const { stack } = gcpEstate(app, 'shop', props);
  const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
  const db = new Segment(stack, 'Db', { selector: { tier: 'db' } });
  vmWorkload(stack, 'web');
  vmWorkload(stack, 'db');
  new AllowFlow(stack, 'WebToDb', { from: web, to: db, ports: [Port.tcp(5432)] });
  return { app, stack, web, db };
}

/** The DenyFlow Web -> Db (every port). */
function denyWebToDb(stack: TerraformStack, web: Segment, db: Segment): DenyFlow {
  return new DenyFlow(stack, 'NoWebToDb', { from: web, to: db });
}

/** The GuardrailAllow Web -> Db tcp/5432, an exception from the DenyFlow. */
function grantPostgres(stack: TerraformStack, web: Segment, db: Segment): GuardrailAllow {
  return new GuardrailAllow(stack, 'WebDbPg', { from: web, to: db, ports: [Port.tcp(5432)] });
}

/** The `depends_on` of every rule of a type that has one, by Terraform name. */
function dependsOnOf(out: SynthesizedStack, type: string): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  for (const [name, rule] of Object.entries<any>(resourcesOf(out, type))) {
    if ('depends_on' in rule) found[name] = rule.depends_on;
  }
  return found;
}

/** Whether any resource of the stack has a `depends_on` key. */
function anyDependsOn(out: SynthesizedStack): boolean {
  return Object.values<any>(out.json.resource ?? {}).some((byName) => Object.values<any>(byName).some((r) => 'depends_on' in r));
}

describe('Google Cloud: a DenyFlow\'s deny rules are applied after the GuardrailAllow rules excepted from them', () => {
  test('network firewall policy: each deny rule depends on exactly the allow rules of the overlapping GuardrailAllow', () => {
    // GIVEN a DenyFlow Web -> Db (every port) and its exception Web -> Db tcp/5432
    const { app, stack, web, db } = estate();
    denyWebToDb(stack, web, db);
    grantPostgres(stack, web, db);

    // WHEN
    const out = synthApp(app).shop;
    // THEN once applied the exception holds and the rest of the DenyFlow does
    expect(stack).toAllowFlow('shop/WebVm', 'shop/DbVm', Port.tcp(5432));
    expect(stack).toDenyFlow('shop/WebVm', 'shop/DbVm', Port.SSH);

    // THEN the deny rules are in the guardrail-deny band and the grant's rules in the guardrail-allow band
    const rules = resourcesOf(out, NETWORK_RULE);
    expect([rules[DENY_OUT].action, rules[DENY_OUT].direction, rules[DENY_IN].action, rules[DENY_IN].direction]).toEqual(['deny', 'EGRESS', 'deny', 'INGRESS']);
    expect([rules[PG_OUT].action, rules[PG_OUT].direction, rules[PG_IN].action, rules[PG_IN].direction]).toEqual(['allow', 'EGRESS', 'allow', 'INGRESS']);
    expect(Math.max(rules[PG_OUT].priority, rules[PG_IN].priority)).toBeLessThan(Math.min(rules[DENY_OUT].priority, rules[DENY_IN].priority));
    // AND only the deny rules carry depends_on, naming exactly the grant's rules, sorted
    const grant = [`${NETWORK_RULE}.${PG_OUT}`, `${NETWORK_RULE}.${PG_IN}`];
    expect(dependsOnOf(out, NETWORK_RULE)).toEqual({ [DENY_OUT]: grant, [DENY_IN]: grant });
  });

  test('hierarchical (folder) policy: each deny rule depends on exactly the goto_next rules of the overlapping GuardrailAllow', () => {
    // GIVEN guardrails in the folder's policy
    const { app, stack, web, db } = estate({ folder: 'folders/123' });
    denyWebToDb(stack, web, db);
    grantPostgres(stack, web, db);

    // WHEN
    const out = synthApp(app).shop;

    // THEN the hierarchical deny rules name the grant's goto_next rules of the same policy
    const rules = resourcesOf(out, HIERARCHY_RULE);
    expect([rules[H_DENY_OUT].action, rules[H_DENY_IN].action, rules[H_PG_OUT].action, rules[H_PG_IN].action]).toEqual(['deny', 'deny', 'goto_next', 'goto_next']);
    const grant = [`${HIERARCHY_RULE}.${H_PG_OUT}`, `${HIERARCHY_RULE}.${H_PG_IN}`];
    expect(dependsOnOf(out, HIERARCHY_RULE)).toEqual({ [H_DENY_OUT]: grant, [H_DENY_IN]: grant });
    // AND the network policy holds no deny of the DenyFlow, so none of its rules gets an order
    expect(dependsOnOf(out, NETWORK_RULE)).toEqual({});
  });

  test('a deny no GuardrailAllow overlaps, and an estate without guardrails, carry no depends_on key at all', () => {
    // GIVEN a DenyFlow Web -> Db tcp/22 and a GuardrailAllow Web -> Db tcp/5432 (no common port)
    const guarded = estate();
    new DenyFlow(guarded.stack, 'NoSsh', { from: guarded.web, to: guarded.db, ports: [Port.SSH] });
    grantPostgres(guarded.stack, guarded.web, guarded.db);
    // AND an estate with application flows only
    const plain = estate();

    // WHEN
    const guardedOut = synthApp(guarded.app).shop;
    const plainOut = synthApp(plain.app).shop;

    // THEN both rule kinds are rendered, yet no resource has a depends_on key
    const actions = Object.values<any>(resourcesOf(guardedOut, NETWORK_RULE)).filter((r) => r.priority < 3000).map((r) => r.action).sort();
    expect(actions).toEqual(['allow', 'allow', 'deny', 'deny']);
    expect(anyDependsOn(guardedOut)).toBe(false);
    expect(plainOut.text).not.toContain('depends_on');
    expect(anyDependsOn(plainOut)).toBe(false);
  });

  test('a GuardrailAllow declared after the app is rendered still orders the deny rules', () => {
    // GIVEN a DenyFlow, rendered
    const { app, stack, web, db } = estate();
    denyWebToDb(stack, web, db);
    PolicyRegistry.of(stack).ensureRendered();

    // WHEN its exception is declared afterwards
    grantPostgres(stack, web, db);
    const out = synthApp(app).shop;

    // THEN the deny rules depend on the late grant's rules
    const grant = [`${NETWORK_RULE}.${PG_OUT}`, `${NETWORK_RULE}.${PG_IN}`];
    expect(dependsOnOf(out, NETWORK_RULE)).toEqual({ [DENY_OUT]: grant, [DENY_IN]: grant });
  });

  test('the depends_on lists do not depend on the order of declarations', () => {
    // GIVEN two exceptions (tcp/5432 and tcp/22) from the DenyFlow, declared in two orders
    const synth = (order: 'deny-first' | 'grants-first') => {
      const { app, stack, web, db } = estate();
      const grants = () => {
        new GuardrailAllow(stack, 'WebDbSsh', { from: web, to: db, ports: [Port.SSH] });
        grantPostgres(stack, web, db);
      };
      if (order === 'deny-first') denyWebToDb(stack, web, db);
      grants();
      if (order === 'grants-first') denyWebToDb(stack, web, db);
      return synthApp(app).shop;
    };

    // WHEN
    const first = dependsOnOf(synth('deny-first'), NETWORK_RULE);
    const second = dependsOnOf(synth('grants-first'), NETWORK_RULE);

    // THEN each deny rule names the four rules of both grants, sorted, the same either way
    expect(Object.keys(first).sort()).toEqual([DENY_OUT, DENY_IN].sort());
    expect(first[DENY_OUT]).toHaveLength(4);
    expect(first[DENY_OUT]).toEqual([...first[DENY_OUT]].sort());
    expect(first[DENY_OUT]).toEqual(expect.arrayContaining([`${NETWORK_RULE}.${PG_OUT}`, `${NETWORK_RULE}.${PG_IN}`]));
    expect(first[DENY_IN]).toEqual(first[DENY_OUT]);
    expect(second).toEqual(first);
  });

  test('no depends_on crosses stacks: each network\'s deny rule names only the grant\'s rule in its own stack', () => {
    // GIVEN Web in network `front` and Db in network `back`, each in its own stack (existing
    // instances at literal addresses, so neither stack references the other's instances)
    const app = newApp();
    const front = gcpEstate(app, 'front');
    const back = gcpEstate(app, 'back');
    const web = new Segment(front.stack, 'Web', { selector: { tier: 'web' } });
    const db = new Segment(back.stack, 'Db', { selector: { tier: 'db' } });
    new Workload(front.stack, 'WebVm', { binding: GcpBinding.existingInstance('shop-prod', 'europe-west1-b', '111'), labels: { tier: 'web' }, addresses: ['10.10.0.2'] });
    new Workload(back.stack, 'DbVm', { binding: GcpBinding.existingInstance('shop-prod', 'europe-west1-b', '222'), labels: { tier: 'db' }, addresses: ['10.20.0.3'] });
    new AllowFlow(front.stack, 'WebToDb', { from: web, to: db, ports: [Port.tcp(5432)] });
    new DenyFlow(front.stack, 'NoWebToDb', { from: web, to: db });
    new GuardrailAllow(front.stack, 'WebDbPg', { from: web, to: db, ports: [Port.tcp(5432)] });

    // WHEN
    const out = synthApp(app);

    // THEN the EGRESS deny in `front` and the INGRESS deny in `back` each depend on their stack's allow only
    for (const [name, direction] of [['front', 'EGRESS'], ['back', 'INGRESS']] as const) {
      const rules = resourcesOf(out[name], NETWORK_RULE);
      const names = (action: string) => Object.keys(rules).filter((n) => rules[n].action === action && rules[n].priority < 3000);
      expect(names('deny').map((n) => rules[n].direction)).toEqual([direction]);
      expect(names('allow').map((n) => rules[n].direction)).toEqual([direction]);
      expect(dependsOnOf(out[name], NETWORK_RULE)).toEqual({ [names('deny')[0]]: [`${NETWORK_RULE}.${names('allow')[0]}`] });
    }
  });
});
