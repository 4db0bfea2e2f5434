import * as fs from 'fs';
import { App, TerraformStack } from 'cdktf';
import { AllowFlow, AwsEnforcement, DenyFlow, NsxEnforcement, nsxt, Port, Segment, Workload, AwsBinding, VsphereBinding } from '../../lib';
import { evaluate, loadTerraformStacks } from '../../lib/verify';
import { awsStack, danglingReferences, errorOf, instance, newApp, resourcesOf, synthApp } from '../helpers';
import { nsxStack, vm } from './nsx-fixtures';

// A flow's NSX rules live in the stack that declares the flow, as on AWS (issue 11, item 1): the
// declaring stack needs the enforcement's stack (its policy and tag groups), never the reverse, and
// a cycle that remains is a synth error naming the flows and the two stacks.

function synthAndCheck(app: App) {
  const out = synthApp(app);
  const model = loadTerraformStacks(Object.fromEntries(Object.entries(out).map(([name, stack]) => [name, stack.json])));
  const manifest = JSON.parse(fs.readFileSync(`${app.outdir}/manifest.json`, 'utf8'));
  return { out, manifest, check: (from: string, to: string, port: string) => evaluate(model, { from, to, port }) };
}

/** The flow paths of the NSX rules of a synthesized stack, sorted. */
function nsxRuleFlows(stack: { json: any }): string[] {
  return Object.values<any>(resourcesOf(stack as any, 'nsxt_policy_security_policy_rule')).flatMap((r) => r['//']?.microseg?.flows ?? []).sort();
}

/**
 * An NSX team stack `id` with an enforcement and one segment `name` of one VM, addressed by a
 * Terraform expression (vm.defaultIpAddress) or by `literal`.
 */
function nsxTeam(app: App, id: string, name: string, literal?: string): { stack: TerraformStack; segment: Segment } {
  const stack = nsxStack(app, id);
  new NsxEnforcement(stack, 'Nsx');
  const segment = new Segment(stack, name, { selector: { team: id, tier: name } });
  const machine = vm(stack, `${id}-${name}`);
  new Workload(stack, `${name}Vm`, { binding: VsphereBinding.virtualMachine(machine), labels: { team: id, tier: name }, addresses: [literal ?? machine.defaultIpAddress] });
  return { stack, segment };
}

describe('NSX rules of a flow live in the stack that declares it', () => {
  test('AWS instances to NSX VMs, both addressed by Terraform expressions, flow declared in the AWS stack: no cycle', () => {
    // GIVEN an NSX stack whose VM is addressed by vm.defaultIpAddress
    const app = newApp();
    const dc = nsxTeam(app, 'dc', 'Db');
    // and an AWS stack (with the NSX provider, since the flow's NSX rule lives there) whose instance is addressed by instance.privateIp
    const cloud = awsStack(app, 'cloud');
    new nsxt.NsxtProvider(cloud, 'nsxt', { host: 'nsx.example', username: 'u', password: 'p' });
    new AwsEnforcement(cloud, 'Aws', { vpcId: 'vpc-0123' });
    const api = new Segment(cloud, 'Api', { selector: { tier: 'api' } });
    const ec2 = instance(cloud, 'api', { privateIp: '10.0.2.10' });
    new Workload(cloud, 'ApiVm', { binding: AwsBinding.instance(ec2), labels: { tier: 'api' }, addresses: [ec2.privateIp] });
    api.allowTo(dc.segment, Port.POSTGRES);

    // WHEN
    const { out, manifest, check } = synthAndCheck(app);

    // THEN the NSX rule and its address group live in the declaring stack, under dc's policy
    expect(nsxRuleFlows(out.cloud)).toEqual(['cloud/Api/AllowTo-dc-Db-tcp-5432']);
    expect(nsxRuleFlows(out.dc)).toEqual([]);
    const rule = Object.values<any>(resourcesOf(out.cloud, 'nsxt_policy_security_policy_rule'))[0];
    expect(rule.policy_path).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-dc\.outputs\./);
    expect(rule.destination_groups).toEqual([expect.stringMatching(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-dc\.outputs\./)]);
    expect(rule.source_groups).toEqual([expect.stringMatching(/^\$\{nsxt_policy_group\./)]);
    const sourceGroup = Object.values<any>(resourcesOf(out.cloud, 'nsxt_policy_group'))[0];
    expect(sourceGroup.criteria).toEqual([{ ipaddress_expression: { ip_addresses: ['${aws_instance.api.private_ip}'] } }]);
    expect(Object.keys(resourcesOf(out.dc, 'nsxt_policy_group')).filter((n) => n.includes('Addresses'))).toEqual([]);
    // every reference resolves inside its own stack, and only cloud depends on dc
    for (const [name, stack] of Object.entries(out)) expect({ name, dangling: danglingReferences(stack.json) }).toEqual({ name, dangling: [] });
    expect(manifest.stacks.dc.dependencies).toEqual([]);
    expect(manifest.stacks.cloud.dependencies).toEqual(['dc']);
    // and the flow means what it says
    expect(check('cloud/ApiVm', 'dc/DbVm', 'tcp/5432').allowed).toBe(true);
    expect(check('cloud/ApiVm', 'dc/DbVm', 'tcp/22').allowed).toBe(false);
    expect(check('dc/DbVm', 'cloud/ApiVm', 'tcp/5432').allowed).toBe(false);
  });

  test.each([
    ['Terraform-expression', undefined, undefined],
    ['literal', '10.1.0.10', '10.2.0.20'],
  ])('NSX to NSX across two enforcements, %s addresses: both policies\' rules live in the declaring stack, the other stack needs nothing', (_kind, aAddress, bAddress) => {
    // GIVEN two teams, each with its own enforcement; team a declares a flow to team b
    const app = newApp();
    const a = nsxTeam(app, 'a', 'Web', aAddress);
    const b = nsxTeam(app, 'b', 'Api', bAddress);
    new AllowFlow(a.stack, 'WebToApi', { from: a.segment, to: b.segment, ports: [Port.tcp(8080)] });

    // WHEN
    const { out, manifest, check } = synthAndCheck(app);

    // THEN
    expect(nsxRuleFlows(out.a)).toEqual(['a/WebToApi', 'a/WebToApi']); // one rule under each policy
    expect(nsxRuleFlows(out.b)).toEqual([]);
    expect(manifest.stacks.b.dependencies).toEqual([]);
    expect(manifest.stacks.a.dependencies).toEqual(['b']);
    for (const [name, stack] of Object.entries(out)) expect({ name, dangling: danglingReferences(stack.json) }).toEqual({ name, dangling: [] });
    expect(check('a/WebVm', 'b/ApiVm', 'tcp/8080').allowed).toBe(true);
    expect(check('b/ApiVm', 'a/WebVm', 'tcp/8080').allowed).toBe(false);
    expect(check('a/WebVm', 'b/ApiVm', 'tcp/8081').allowed).toBe(false);
  });

  test('a flow declared in a third stack keeps both enforcement stacks free of it', () => {
    const app = newApp();
    const a = nsxTeam(app, 'a', 'Web');
    const b = nsxTeam(app, 'b', 'Api');
    const flows = nsxStack(app, 'flows');
    new AllowFlow(flows, 'WebToApi', { from: a.segment, to: b.segment, ports: [Port.tcp(8080)] });
    new AllowFlow(flows, 'ApiToWeb', { from: b.segment, to: a.segment, ports: [Port.tcp(9090)] });
    const { out, manifest, check } = synthAndCheck(app);
    expect(nsxRuleFlows(out.a)).toEqual([]);
    expect(nsxRuleFlows(out.b)).toEqual([]);
    expect(manifest.stacks.flows.dependencies.sort()).toEqual(['a', 'b']);
    expect(check('a/WebVm', 'b/ApiVm', 'tcp/8080').allowed).toBe(true);
    expect(check('b/ApiVm', 'a/WebVm', 'tcp/9090').allowed).toBe(true);
    expect(check('b/ApiVm', 'a/WebVm', 'tcp/8080').allowed).toBe(false);
  });

  test('the placement does not depend on declaration order: permuted programs give byte-identical stacks', () => {
    // GIVEN the same estate declared in two orders (flows first, or workloads first)
    const build = (flowsFirst: boolean) => {
      const app = newApp();
      const stacks = { a: nsxStack(app, 'a'), b: nsxStack(app, 'b'), flows: nsxStack(app, 'flows') };
      new NsxEnforcement(stacks.a, 'Nsx');
      new NsxEnforcement(stacks.b, 'Nsx');
      const web = new Segment(stacks.a, 'Web', { selector: { tier: 'web' } });
      const api = new Segment(stacks.b, 'Api', { selector: { tier: 'api' } });
      const steps = [
        () => new AllowFlow(stacks.flows, 'WebToApi', { from: web, to: api, ports: [Port.tcp(8080)] }),
        () => new AllowFlow(stacks.a, 'WebToApiMetrics', { from: web, to: api, ports: [Port.tcp(9100)] }),
        () => {
          const machine = vm(stacks.a, 'web');
          new Workload(stacks.a, 'WebVm', { binding: VsphereBinding.virtualMachine(machine), labels: { tier: 'web' }, addresses: [machine.defaultIpAddress] });
        },
        () => new Workload(stacks.b, 'ApiVm', { binding: VsphereBinding.virtualMachine(vm(stacks.b, 'api')), labels: { tier: 'api' }, addresses: ['10.2.0.20'] }),
      ];
      for (const step of flowsFirst ? steps : [...steps].reverse()) step();
      return Object.fromEntries(Object.entries(synthApp(app)).map(([name, stack]) => [name, stack.text]));
    };

    // WHEN / THEN
    expect(build(false)).toEqual(build(true));
  });

  test('flows declared both ways between two stacks are a synth error naming the flows and the two stacks', () => {
    // GIVEN team a declares a flow to b, and team b one to a
    const app = newApp();
    const a = nsxTeam(app, 'a', 'Web');
    const b = nsxTeam(app, 'b', 'Api');
    new AllowFlow(a.stack, 'WebToApi', { from: a.segment, to: b.segment, ports: [Port.tcp(8080)] });
    new AllowFlow(b.stack, 'ApiToWeb', { from: b.segment, to: a.segment, ports: [Port.tcp(9090)] });

    // WHEN
    const message = errorOf(() => app.synth());

    // THEN
    expect(message).toMatch(/Stacks '(a|b)' and '(a|b)' would depend on each other, which Terraform cannot deploy \(cdktf: circular dependency\)\./);
    expect(message).toContain("'a' needs 'b': AllowFlow 'a/WebToApi' (its NSX rule in the policy of 'b/Nsx'; the addresses of its NSX group \"members of b/Api outside a/Nsx\")");
    expect(message).toContain("'b' needs 'a': AllowFlow 'b/ApiToWeb' (its NSX rule in the policy of 'a/Nsx'; the addresses of its NSX group \"members of a/Web outside b/Nsx\")");
    expect(message).toContain('declare the flows between these stacks in one of them, or in a third stack that neither of them needs.');
    expect(message).not.toContain('needs..');
    expect(message).not.toContain('Cannot add dependency');
    expect(fs.existsSync(`${app.outdir}/stacks/a/cdk.tf.json`)).toBe(false);
  });

  test('a DenyFlow declared in another stack puts its DROP rule there, under the enforcement\'s guardrail policy', () => {
    const app = newApp();
    const dc = nsxTeam(app, 'dc', 'Db', '10.1.0.10');
    const web = new Segment(dc.stack, 'Web', { selector: { team: 'dc', tier: 'Web' } });
    new Workload(dc.stack, 'WebVm', { binding: VsphereBinding.virtualMachine(vm(dc.stack, 'dc-web')), labels: { team: 'dc', tier: 'Web' }, addresses: ['10.1.0.11'] });
    new AllowFlow(dc.stack, 'WebToDb', { from: web, to: dc.segment, ports: [Port.POSTGRES] });
    const security = nsxStack(app, 'security');
    new DenyFlow(security, 'NoWebToDb', { from: web, to: dc.segment, ports: [Port.POSTGRES] });
    const { out, manifest, check } = synthAndCheck(app);
    const drops = Object.values<any>(resourcesOf(out.security, 'nsxt_policy_security_policy_rule'));
    expect(drops.map((r) => [r.action, r['//'].microseg.guardrails])).toEqual([['DROP', ['security/NoWebToDb']]]);
    expect(drops[0].policy_path).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-dc\.outputs\./);
    expect(manifest.stacks.dc.dependencies).toEqual([]);
    expect(check('dc/WebVm', 'dc/DbVm', 'tcp/5432').allowed).toBe(false);
  });

  test('a declaring stack without the NSX provider is a synth error naming the flow and the stack', () => {
    const app = newApp();
    const dc = nsxTeam(app, 'dc', 'Db');
    const cloud = awsStack(app, 'cloud');
    new AllowFlow(cloud, 'Ops', { from: new Workload(cloud, 'Bastion', { addresses: ['192.0.2.7'] }), to: dc.segment, ports: [Port.SSH] });
    expect(errorOf(() => synthApp(app))).toContain("NsxEnforcement 'dc/Nsx': the NSX rules of 'cloud/Ops' live in stack 'cloud', which declares it (a flow's rules live in the stack that declares it), but that stack has no NSX provider, so Terraform would look for \"hashicorp/nsxt\". Add new nsxt.NsxtProvider(stack, 'nsxt', { host, username, password }) (import { nsxt } from 'cdktf-microseg') to 'cloud'.");
  });
});

describe('a segment of one stack with members in two NSX stacks', () => {
  test('flows of both stacks that need the other stack\'s policy are a synth error naming the flows and the two stacks', () => {
    // GIVEN segment Db declared in stack b with members in stacks a and b, each stack with its own enforcement
    const app = newApp();
    const a = nsxStack(app, 'a');
    const b = nsxStack(app, 'b');
    new NsxEnforcement(a, 'Nsx');
    new NsxEnforcement(b, 'Nsx');
    const db = new Segment(b, 'Db', { selector: { tier: 'db' } });
    const web = new Segment(a, 'Web', { selector: { tier: 'web' } });
    new Workload(a, 'WebVm', { binding: VsphereBinding.virtualMachine(vm(a, 'web')), labels: { tier: 'web' }, addresses: ['10.1.0.10'] });
    new Workload(a, 'DbA', { binding: VsphereBinding.virtualMachine(vm(a, 'dba')), labels: { tier: 'db' }, addresses: ['10.1.0.20'] });
    new Workload(b, 'DbB', { binding: VsphereBinding.virtualMachine(vm(b, 'dbb')), labels: { tier: 'db' }, addresses: ['10.2.0.20'] });

    // WHEN b declares Db's internal flow (its rules go into a's policy too) and a declares a flow to Db (its rules go into b's policy too)
    db.allowInternally(Port.tcp(5432));
    new AllowFlow(a, 'WebToDb', { from: web, to: db, ports: [Port.POSTGRES] });
    const message = errorOf(() => app.synth());

    // THEN synthesis fails with the project's message, not cdktf's raw one
    expect(message).not.toContain('Cannot add dependency');
    expect(message).toBe("Stacks 'b' and 'a' would depend on each other, which Terraform cannot deploy (cdktf: circular dependency). "
      + "'b' needs 'a': AllowFlow 'b/Db/AllowInternal-tcp-5432' (its NSX rule in the policy of 'a/Nsx'). "
      + "And 'a' needs 'b': AllowFlow 'a/WebToDb' (its NSX rule in the policy of 'b/Nsx'). "
      + "A flow's rules live in the stack that declares it and reference the enforcement resources (groups, NSGs, policies) of both its sides: declare the flows between these stacks in one of them, or in a third stack that neither of them needs.");
    expect(fs.existsSync(`${app.outdir}/stacks/a/cdk.tf.json`)).toBe(false);
    expect(fs.existsSync(`${app.outdir}/stacks/b/cdk.tf.json`)).toBe(false);
  });
});
