import * as fs from 'fs';
import { AllowFlow, AwsEnforcement, Port, Segment, Workload, AwsBinding } from '../../lib';
import { evaluate, loadTerraformStacks } from '../../lib/verify';
import { awsStack, danglingReferences, instance, newApp, resourcesOf, synthApp } from '../helpers';

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

    // THEN the shared stack holds one egress rule per destination group, named with its enforcement
    const egress = Object.keys(resourcesOf(out.shared, 'aws_vpc_security_group_egress_rule')).sort();
    expect(egress).toHaveLength(2);
    expect(egress[0]).toMatch(/wa-Web-Self-egress-shared-Db-wa-Aws-tcp-5432/);
    expect(egress[1]).toMatch(/wa-Web-Self-egress-shared-Db-wb-Aws-tcp-5432/);
    // and the flow works to both members, but not back
    const model = loadTerraformStacks(Object.fromEntries(Object.entries(out).map(([name, s]) => [name, s.json])));
    expect(evaluate(model, { from: 'wa/Web', to: 'wa/DbA', port: 'tcp/5432' }).allowed).toBe(true);
    expect(evaluate(model, { from: 'wa/Web', to: 'wb/DbB', port: 'tcp/5432' }).allowed).toBe(true);
    expect(evaluate(model, { from: 'wb/DbB', to: 'wa/Web', port: 'tcp/5432' }).allowed).toBe(false);
  });
});
