import { App } from 'cdktf';
import { NsxEnforcement, NsxPolicyCategory, Port, Segment, Workload, VsphereBinding } from '../../lib';
import { evaluate, loadTerraformStacks } from '../../lib/verify';
import { errorOf, newApp, synthApp } from '../helpers';
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
});
