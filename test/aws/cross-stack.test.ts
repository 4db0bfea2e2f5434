import * as fs from 'fs';
import { TerraformStack } from 'cdktf';
import { AllowFlow, AwsEnforcement, Port, Segment, Workload, AwsBinding } from '../../lib';
import { evaluate, loadTerraformStacks } from '../../lib/verify';
import { awsStack, danglingReferences, errorOf, instance, newApp, resourcesOf, synthApp } from '../helpers';

describe('segments used across stacks', () => {
  test('a segment of one stack serves workloads and flows of other stacks, without dangling references or cycles', () => {
    // GIVEN a shared stack declaring segments, a workload stack, and a flow stack
    const app = newApp();
    const shared = awsStack(app, 'shared');
    new AwsEnforcement(shared, 'Aws', { vpcId: 'vpc-0123' });
    const web = new Segment(shared, 'Web', { selector: { tier: 'web' } });
    const db = new Segment(shared, 'Db', { selector: { tier: 'db' } });

    const policy = awsStack(app, 'policy');
    db.allowFrom(web, Port.POSTGRES); // declared on the segment: lives in the segment's stack
    new AllowFlow(policy, 'WebToDbMetrics', { from: web, to: db, ports: [Port.tcp(9187)] });

    const workloads = awsStack(app, 'workloads');
    new AwsEnforcement(workloads, 'Aws', { vpcId: 'vpc-0123' });
    new Workload(workloads, 'WebVm', { binding: AwsBinding.instance(instance(workloads, 'web')), labels: { tier: 'web' } });
    new Workload(workloads, 'DbVm', { binding: AwsBinding.instance(instance(workloads, 'db')), labels: { tier: 'db' } });

    // WHEN
    const out = synthApp(app);

    // THEN every stack only references its own resources (cross-stack values go through remote state)
    for (const [name, stack] of Object.entries(out)) {
      expect({ name, dangling: danglingReferences(stack.json) }).toEqual({ name, dangling: [] });
    }
    // the groups live with the workloads' enforcement, the rules with the flows that declare them
    expect(Object.keys(resourcesOf(out.workloads, 'aws_security_group'))).toHaveLength(2);
    const policyRules = Object.values<any>(resourcesOf(out.policy, 'aws_vpc_security_group_ingress_rule'));
    expect(policyRules.map((r) => r.from_port)).toEqual([9187]);
    expect(policyRules[0].security_group_id).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-workloads\.outputs\./);
    const sharedRules = Object.values<any>(resourcesOf(out.shared, 'aws_vpc_security_group_ingress_rule'));
    expect(sharedRules.map((r) => r.from_port)).toEqual([5432]);
    // the instances carry their groups by same-stack reference
    expect(resourcesOf(out.workloads, 'aws_instance').web.vpc_security_group_ids[0]).toMatch(/^\$\{aws_security_group\./);
    // and the dependency graph is acyclic: the manifest lists dependencies, none back to a dependant
    const manifest = JSON.parse(fs.readFileSync(`${app.outdir}/manifest.json`, 'utf8'));
    expect(manifest.stacks.workloads.dependencies).toEqual([]);
    expect(manifest.stacks.policy.dependencies).toEqual(['workloads']);
    expect(manifest.stacks.shared.dependencies).toEqual(['workloads']);
  });
});

describe('a segment with groups in two enforcements of one VPC', () => {
  test('rules of a flow declared in a third stack get distinct ids per group and allow only the declared direction', () => {
    // GIVEN workloads in two stacks, each with its own enforcement on one VPC, and a flow declared in a third
    const app = newApp();
    const shared = awsStack(app, 'shared');
    const wa = awsStack(app, 'wa');
    const wb = awsStack(app, 'wb');
    new AwsEnforcement(wa, 'Aws', { vpcId: 'vpc-0123' });
    new AwsEnforcement(wb, 'Aws', { vpcId: 'vpc-0123' });
    const db = new Segment(shared, 'Db', { selector: { tier: 'db' } });
    const web = new Workload(wa, 'Web', { binding: AwsBinding.instance(instance(wa, 'web')), labels: { tier: 'web' } });
    new Workload(wa, 'DbA', { binding: AwsBinding.instance(instance(wa, 'dba')), labels: { tier: 'db' } });
    new Workload(wb, 'DbB', { binding: AwsBinding.instance(instance(wb, 'dbb')), labels: { tier: 'db' } });

    // WHEN the flow reaches the segment's group in each enforcement (this crashed: both rules had one id)
    new AllowFlow(shared, 'WebToDb', { from: web, to: db, ports: [Port.POSTGRES] });
    const out = synthApp(app);

    // THEN the shared stack holds one egress rule per destination group, named with that group's identity
    const egress = Object.keys(resourcesOf(out.shared, 'aws_vpc_security_group_egress_rule')).sort();
    expect(egress).toHaveLength(2);
    expect(egress[0]).toMatch(/^Microseg_wa-Web-Self-wa-Aws-egress-sg-shared-Db-wa-Aws-shared-WebToDb-0-/);
    expect(egress[1]).toMatch(/^Microseg_wa-Web-Self-wa-Aws-egress-sg-shared-Db-wb-Aws-shared-WebToDb-0-/);
    // and the flow works to both members, but not back
    const model = loadTerraformStacks(Object.fromEntries(Object.entries(out).map(([name, s]) => [name, s.json])));
    expect(evaluate(model, { from: 'wa/Web', to: 'wa/DbA', port: 'tcp/5432' }).allowed).toBe(true);
    expect(evaluate(model, { from: 'wa/Web', to: 'wb/DbB', port: 'tcp/5432' }).allowed).toBe(true);
    expect(evaluate(model, { from: 'wb/DbB', to: 'wa/Web', port: 'tcp/5432' }).allowed).toBe(false);
  });
});

describe('a segment whose members are in two VPCs', () => {
  test.each(['shared', 'a'])('gets a group per VPC whose rules are named by that group\'s identity; members in the other VPC are addressed by IP (segments declared in stack %s)', (segmentStack) => {
    // GIVEN two stacks, each with its own enforcement in its own VPC, and segments with members in both
    const app = newApp();
    const stacks: Record<string, TerraformStack> = { shared: awsStack(app, 'shared'), a: awsStack(app, 'a'), b: awsStack(app, 'b') };
    new AwsEnforcement(stacks.a, 'Aws', { vpcId: 'vpc-0aaa' });
    new AwsEnforcement(stacks.b, 'Aws', { vpcId: 'vpc-0bbb' });
    const web = new Segment(stacks[segmentStack], 'Web', { selector: { tier: 'web' } });
    const db = new Segment(stacks[segmentStack], 'Db', { selector: { tier: 'db' } });
    const member = (stack: TerraformStack, id: string, tier: string, ip: string) =>
      new Workload(stack, id, {
        binding: AwsBinding.instance(instance(stack, id.toLowerCase(), { privateIp: ip })),
        labels: { tier },
        addresses: [ip],
      });
    member(stacks.a, 'WebA', 'web', '10.1.0.10');
    member(stacks.a, 'DbA', 'db', '10.1.0.20');
    member(stacks.b, 'WebB', 'web', '10.2.0.10');
    member(stacks.b, 'DbB', 'db', '10.2.0.20');

    // WHEN a flow joins the two segments (this is where rule ids of the two groups of a segment met)
    new AllowFlow(stacks.shared, 'WebToDb', { from: web, to: db, ports: [Port.POSTGRES] });
    const out = synthApp(app);

    // THEN each of Db's groups has its own ingress rules, named by the group's identity (segment and enforcement)
    const ingress = Object.entries<any>(resourcesOf(out.shared, 'aws_vpc_security_group_ingress_rule'));
    const names = ingress.map(([name]) => name).sort();
    expect(names).toHaveLength(4);
    expect(names.filter((n) => n.startsWith(`Microseg_${segmentStack}-Db-a-Aws-ingress-`))).toHaveLength(2);
    expect(names.filter((n) => n.startsWith(`Microseg_${segmentStack}-Db-b-Aws-ingress-`))).toHaveLength(2);
    // a group reference within the VPC, the other VPC's member by its address
    expect(ingress.map(([, r]) => r.cidr_ipv4 ?? 'group').sort()).toEqual(['10.1.0.10/32', '10.2.0.10/32', 'group', 'group']);
    // and the flow works across the VPCs, in its direction only
    const model = loadTerraformStacks(Object.fromEntries(Object.entries(out).map(([name, s]) => [name, s.json])));
    for (const [from, to] of [['a/WebA', 'b/DbB'], ['b/WebB', 'a/DbA'], ['a/WebA', 'a/DbA'], ['b/WebB', 'b/DbB']]) {
      expect({ from, to, allowed: evaluate(model, { from, to, port: 'tcp/5432' }).allowed }).toEqual({ from, to, allowed: true });
    }
    expect(evaluate(model, { from: 'b/DbB', to: 'a/WebA', port: 'tcp/5432' }).allowed).toBe(false);
  });

  test('GIVEN a member in the other VPC without addresses WHEN a flow names its segment THEN synthesis fails with the message every platform gives', () => {
    const app = newApp();
    const a = awsStack(app, 'a');
    const b = awsStack(app, 'b');
    new AwsEnforcement(a, 'Aws', { vpcId: 'vpc-0aaa' });
    new AwsEnforcement(b, 'Aws', { vpcId: 'vpc-0bbb' });
    const web = new Segment(a, 'Web', { selector: { tier: 'web' } });
    const db = new Segment(a, 'Db', { selector: { tier: 'db' } });
    new Workload(a, 'DbA', { binding: AwsBinding.instance(instance(a, 'dba')), labels: { tier: 'db' } });
    new Workload(b, 'WebB', { binding: AwsBinding.instance(instance(b, 'webb')), labels: { tier: 'web' } });
    new AllowFlow(a, 'WebToDb', { from: web, to: db, ports: [Port.POSTGRES] });

    expect(errorOf(() => synthApp(app))).toContain("AllowFlow 'a/WebToDb' needs the addresses of workload 'b/WebB' (in 'b/Aws', whose security groups the rules of 'a/Aws' cannot name), but it has none. Give the workload addresses, for example addresses: [instance.privateIp].");
  });
});

describe('flows of two stacks that each need the other stack\'s groups', () => {
  test('are a synth error naming the flows and the two stacks, and nothing is written', () => {
    // GIVEN segment Db declared in stack b with members in stacks a and b (each with its own enforcement in one VPC)
    const app = newApp();
    const a = awsStack(app, 'a');
    const b = awsStack(app, 'b');
    new AwsEnforcement(a, 'Aws', { vpcId: 'vpc-0123' });
    new AwsEnforcement(b, 'Aws', { vpcId: 'vpc-0123' });
    const db = new Segment(b, 'Db', { selector: { tier: 'db' } });
    const web = new Segment(a, 'Web', { selector: { tier: 'web' } });
    new Workload(a, 'WebVm', { binding: AwsBinding.instance(instance(a, 'web')), labels: { tier: 'web' } });
    new Workload(a, 'DbA', { binding: AwsBinding.instance(instance(a, 'dba')), labels: { tier: 'db' } });
    new Workload(b, 'DbB', { binding: AwsBinding.instance(instance(b, 'dbb')), labels: { tier: 'db' } });

    // WHEN b declares Db's internal flow (its rules in b name Db's group in a) and a declares a flow to Db (its rules in a name Db's group in b)
    db.allowInternally(Port.tcp(5432));
    new AllowFlow(a, 'WebToDb', { from: web, to: db, ports: [Port.POSTGRES] });
    const message = errorOf(() => app.synth());

    // THEN synthesis fails with the project's message, not cdktf's raw one
    expect(message).not.toContain('Cannot add dependency');
    expect(message).toBe("Stacks 'b' and 'a' would depend on each other, which Terraform cannot deploy (cdktf: circular dependency). "
      + "'b' needs 'a': AllowFlow 'b/Db/AllowInternal-tcp-5432' (its aws_vpc_security_group_egress_rule references 'a/Aws/Sg-b-Db-178902ba'; its aws_vpc_security_group_ingress_rule references 'a/Aws/Sg-b-Db-178902ba'). "
      + "And 'a' needs 'b': AllowFlow 'a/WebToDb' (its aws_vpc_security_group_egress_rule references 'b/Aws/Sg-b-Db-178902ba'; its aws_vpc_security_group_ingress_rule references 'b/Aws/Sg-b-Db-178902ba'). "
      + "A flow's rules live in the stack that declares it and reference the enforcement resources (groups, NSGs, policies) of both its sides: declare the flows between these stacks in one of them, or in a third stack that neither of them needs.");
    expect(fs.existsSync(`${app.outdir}/stacks/a/cdk.tf.json`)).toBe(false);
    expect(fs.existsSync(`${app.outdir}/stacks/b/cdk.tf.json`)).toBe(false);
  });

  test('synthesize once those flows are declared in one of the stacks, as the error suggests', () => {
    // GIVEN the same estate
    const app = newApp();
    const a = awsStack(app, 'a');
    const b = awsStack(app, 'b');
    new AwsEnforcement(a, 'Aws', { vpcId: 'vpc-0123' });
    new AwsEnforcement(b, 'Aws', { vpcId: 'vpc-0123' });
    const db = new Segment(b, 'Db', { selector: { tier: 'db' } });
    const web = new Segment(a, 'Web', { selector: { tier: 'web' } });
    new Workload(a, 'WebVm', { binding: AwsBinding.instance(instance(a, 'web')), labels: { tier: 'web' } });
    new Workload(a, 'DbA', { binding: AwsBinding.instance(instance(a, 'dba')), labels: { tier: 'db' } });
    new Workload(b, 'DbB', { binding: AwsBinding.instance(instance(b, 'dbb')), labels: { tier: 'db' } });

    // WHEN both flows are declared in b
    db.allowInternally(Port.tcp(5432));
    new AllowFlow(b, 'WebToDb', { from: web, to: db, ports: [Port.POSTGRES] });
    const out = synthApp(app);

    // THEN only b needs a, and the flows hold in their directions only
    const manifest = JSON.parse(fs.readFileSync(`${app.outdir}/manifest.json`, 'utf8'));
    expect(manifest.stacks.a.dependencies).toEqual([]);
    expect(manifest.stacks.b.dependencies).toEqual(['a']);
    const model = loadTerraformStacks(Object.fromEntries(Object.entries(out).map(([name, s]) => [name, s.json])));
    for (const [from, to] of [['a/WebVm', 'a/DbA'], ['a/WebVm', 'b/DbB'], ['a/DbA', 'b/DbB'], ['b/DbB', 'a/DbA']]) {
      expect({ from, to, allowed: evaluate(model, { from, to, port: 'tcp/5432' }).allowed }).toEqual({ from, to, allowed: true });
    }
    expect(evaluate(model, { from: 'b/DbB', to: 'a/WebVm', port: 'tcp/5432' }).allowed).toBe(false);
    expect(evaluate(model, { from: 'a/WebVm', to: 'b/DbB', port: 'tcp/5433' }).allowed).toBe(false);
  });
});
