import { App } from 'cdktf';
import { DenyFlow, GuardrailAllow, NsxEnforcement, NsxEnforcementProps, NsxPolicyCategory, Port, Segment, Workload, VsphereBinding } from '../../lib';
import { evaluate, loadTerraformStacks } from '../../lib/verify';
import { errorOf, newApp, resourcesOf, synthApp } from '../helpers';
import { nsxStack, one, ref, vm } from './nsx-fixtures';


// Two teams, two stacks, two NsxEnforcements (two policies) in one NSX manager: each policy's
// default deny must cover its own VMs only (issue 11, item 2).

/** Team `id`: an enforcement, a web and a db segment, one VM each, and web to db on 5432. */
function team(app: App, id: string, app_: string) {
  const stack = nsxStack(app, id);
  new NsxEnforcement(stack, 'Nsx', { policyName: `${id}-policy` });
  const web = new Segment(stack, 'Web', { selector: { app: app_, tier: 'web' } });
  const db = new Segment(stack, 'Db', { selector: { app: app_, tier: 'db' } });
  new Workload(stack, 'WebVm', { binding: VsphereBinding.virtualMachine(vm(stack, `${id}-web`)), labels: { app: app_, tier: 'web' } });
  new Workload(stack, 'DbVm', { binding: VsphereBinding.virtualMachine(vm(stack, `${id}-db`)), labels: { app: app_, tier: 'db' } });
  db.allowFrom(web, Port.POSTGRES);
  return stack;
}

function verdicts(app: App) {
  const out = synthApp(app);
  const model = loadTerraformStacks(Object.fromEntries(Object.entries(out).map(([name, stack]) => [name, stack.json])));
  return { out, check: (from: string, to: string, port: string) => evaluate(model, { from, to, port }) };
}

describe('two NsxEnforcements in one NSX manager', () => {
  test('each team\'s allowed flow is allowed, and each team\'s VMs stay default-deny', () => {
    // GIVEN two teams whose policies have the same category and sequence number
    const app = newApp();
    team(app, 'team-a', 'shop');
    team(app, 'team-b', 'crm');

    // WHEN
    const { check } = verdicts(app);

    // THEN both teams' declared flows are allowed, whichever policy NSX evaluates first
    expect(check('team-a/WebVm', 'team-a/DbVm', 'tcp/5432').allowed).toBe(true);
    expect(check('team-b/WebVm', 'team-b/DbVm', 'tcp/5432').allowed).toBe(true);
    // and what neither declared is dropped by the owning team's default deny
    for (const [from, to] of [['team-a/DbVm', 'team-a/WebVm'], ['team-b/DbVm', 'team-b/WebVm'], ['team-a/WebVm', 'team-b/DbVm'], ['team-b/WebVm', 'team-a/DbVm']]) {
      const verdict = check(from, to, 'tcp/5432');
      expect({ from, to, allowed: verdict.allowed, denied: verdict.denied }).toEqual({ from, to, allowed: false, denied: true });
    }
    const intoB = check('team-a/WebVm', 'team-b/DbVm', 'tcp/5432').layers.find((l) => l.point.startsWith('IN'))!;
    expect(intoB.decidingRules.map((r) => r.constructPath)).toEqual(['team-b/Nsx/DefaultDenyIn']);
  });

  test('each enforcement tags its VMs with its own managed tag, and its default deny selects only that tag', () => {
    const app = newApp();
    team(app, 'team-a', 'shop');
    team(app, 'team-b', 'crm');
    const { out } = verdicts(app);
    for (const id of ['team-a', 'team-b']) {
      const value = `microseg|managed:${id}:Nsx`;
      expect(one(out[id], 'nsxt_policy_group', 'ManagedVms').criteria).toEqual([{ condition: [{ key: 'Tag', member_type: 'VirtualMachine', operator: 'EQUALS', value }] }]);
      expect(one(out[id], 'nsxt_policy_vm_tags', 'WebVm').tag).toContainEqual({ scope: 'microseg', tag: `managed:${id}:Nsx` });
      const managed = [ref(out[id], 'nsxt_policy_group', 'ManagedVms', 'path')];
      expect(one(out[id], 'nsxt_policy_security_policy_rule', 'DefaultDenyIn')).toEqual(expect.objectContaining({ action: 'DROP', destination_groups: managed, scope: managed }));
      expect(one(out[id], 'nsxt_policy_security_policy_rule', 'DefaultDenyOut')).toEqual(expect.objectContaining({ action: 'DROP', source_groups: managed, scope: managed }));
    }
  });

  test('two enforcements whose managed tags would collide (stack ids that differ only in case) are a synth error naming both', () => {
    const app = newApp();
    team(app, 'Team', 'shop');
    team(app, 'team', 'crm');
    expect(errorOf(() => synthApp(app))).toContain('NsxEnforcement \'team/Nsx\': its VMs would carry the same NSX tag "microseg|managed:team:Nsx" as the VMs of NsxEnforcement \'Team/Nsx\' (NSX compares tags without regard to case)');
  });

  test('with distinct tag scopes, the same managed tag cannot collide', () => {
    const app = newApp();
    const a = nsxStack(app, 'Team');
    new NsxEnforcement(a, 'Nsx', { tagScope: 'team-a' });
    const b = nsxStack(app, 'team');
    new NsxEnforcement(b, 'Nsx', { tagScope: 'team-b', category: NsxPolicyCategory.APPLICATION });
    new Workload(a, 'Vm', { binding: VsphereBinding.virtualMachine(vm(a, 'a')) });
    new Workload(b, 'Vm', { binding: VsphereBinding.virtualMachine(vm(b, 'b')) });
    expect(() => synthApp(app)).not.toThrow();
  });

  test('a label named like another team\'s tag scope is a synth error naming that enforcement', () => {
    const app = newApp();
    const a = nsxStack(app, 'team-a');
    new NsxEnforcement(a, 'Nsx', { tagScope: 'team-a' });
    const b = nsxStack(app, 'team-b');
    new NsxEnforcement(b, 'Nsx', { tagScope: 'team-b' });
    new Workload(b, 'Vm', { binding: VsphereBinding.virtualMachine(vm(b, 'b')), labels: { 'team-a': 'managed:team-a:Nsx' } });
    expect(errorOf(() => synthApp(app))).toContain("Workload 'team-b/Vm' has the label \"team-a\", which is the NSX tag scope of 'team-a/Nsx'");
  });

  describe('a DenyFlow over segments that both teams\' VMs are in, and a GuardrailAllow of one team', () => {
    // Team a declares web and db, a DenyFlow web -> db and a GuardrailAllow from its own web VM to
    // its own db VM. Team b's web VM is in web too, so team b's guardrail policy also drops web -> db.
    // Each team's rules name the other team's VMs by address.
    function estate(a: NsxEnforcementProps, b: NsxEnforcementProps) {
      const app = newApp();
      const [stackA, stackB] = [nsxStack(app, 'a'), nsxStack(app, 'b')];
      new NsxEnforcement(stackA, 'Nsx', a);
      new NsxEnforcement(stackB, 'Nsx', b);
      const web = new Segment(stackA, 'Web', { selector: { tier: 'web' } });
      const db = new Segment(stackA, 'Db', { selector: { tier: 'db' } });
      const webA = new Workload(stackA, 'WebA', { binding: VsphereBinding.virtualMachine(vm(stackA, 'web-a')), labels: { tier: 'web' }, addresses: ['10.0.0.1'] });
      const dbA = new Workload(stackA, 'DbA', { binding: VsphereBinding.virtualMachine(vm(stackA, 'db-a')), labels: { tier: 'db' }, addresses: ['10.0.0.2'] });
      new Workload(stackB, 'WebB', { binding: VsphereBinding.virtualMachine(vm(stackB, 'web-b')), labels: { tier: 'web' }, addresses: ['10.0.0.3'] });
      new DenyFlow(stackA, 'NoWebToDb', { from: web, to: db, ports: [Port.tcp(1005)] });
      new GuardrailAllow(stackA, 'Grant', { from: webA, to: dbA, ports: [Port.tcp(1005)] });
      return verdicts(app);
    }

    test.each([
      ['team b\'s guardrail policy first (a lower sequence number)', {}, { guardrailSequenceNumber: 10 }],
      ['team a\'s guardrail policy in a later category', { guardrailCategory: NsxPolicyCategory.ENVIRONMENT }, {}],
      ['both in one category with one sequence number (either order)', {}, {}],
    ])('GIVEN %s THEN the grant holds and the DenyFlow still drops team b\'s web VM', (_, a, b) => {
      const { out, check } = estate(a, b);
      expect(check('a/WebA', 'a/DbA', 'tcp/1005').allowed).toBe(true);
      const fromB = check('b/WebB', 'a/DbA', 'tcp/1005');
      expect({ allowed: fromB.allowed, denied: fromB.denied }).toEqual({ allowed: false, denied: true });
      // each team's guardrail DROP (both live in stack a, which declares the DenyFlow) applies at
      // that team's own VMs only: a's managed VMs, and b's (read from stack b)
      const [ownA, ownB] = ['Nsx_Guardrail', 'Microseg_Nsx-b-Nsx_Guardrail'].map((prefix) => Object.entries<any>(resourcesOf(out.a, 'nsxt_policy_security_policy_rule')).find(([name]) => name.startsWith(`${prefix}-a-NoWebToDb`))![1]);
      expect(ownA).toEqual(expect.objectContaining({ action: 'DROP', scope: [ref(out.a, 'nsxt_policy_group', 'ManagedVms', 'path')] }));
      expect(ownB).toEqual(expect.objectContaining({ action: 'DROP', scope: [expect.stringContaining('ManagedVms')] }));
      expect(ownB.scope).not.toEqual(ownA.scope);
    });

    test.each([
      ['team a\'s application policy in a category before team b\'s guardrails', { category: NsxPolicyCategory.INFRASTRUCTURE }, { guardrailCategory: NsxPolicyCategory.ENVIRONMENT }, '"Environment", sequence_number 1000) is not evaluated before the application policy of NsxEnforcement \'a/Nsx\' (category "Infrastructure", sequence_number 1000)'],
      ['both in one category with one sequence number', { category: NsxPolicyCategory.ENVIRONMENT }, { guardrailCategory: NsxPolicyCategory.ENVIRONMENT }, '"Environment", sequence_number 1000) is not evaluated before the application policy of NsxEnforcement \'a/Nsx\' (category "Environment", sequence_number 1000)'],
    ])('GIVEN %s THEN synthesis fails: team a\'s ALLOWs would apply at team b\'s VMs before team b\'s DROPs', (_, a, b, expected) => {
      expect(errorOf(() => estate(a, b))).toContain(`NsxEnforcement 'b/Nsx': its guardrail policy (category ${expected}, whose ALLOW rules apply to every member of their segments`);
    });

    test('GIVEN both in one category WHEN team b\'s guardrail policy has the lower sequence number THEN it synthesizes and the DenyFlow drops team b\'s web VM', () => {
      const { check } = estate(
        { category: NsxPolicyCategory.ENVIRONMENT, policySequenceNumber: 2000 },
        { guardrailCategory: NsxPolicyCategory.ENVIRONMENT, guardrailSequenceNumber: 10 },
      );
      const fromB = check('b/WebB', 'a/DbA', 'tcp/1005');
      expect({ allowed: fromB.allowed, denied: fromB.denied }).toEqual({ allowed: false, denied: true });
    });
  });
});
