import { App, TerraformStack } from 'cdktf';
import { AwsEnforcement, Port, Segment, Workload, nsxt, AwsBinding } from '../../lib';
import {
  PROVENANCE_VERSION,
  StackProvenance,
  readProvenance,
  readStackProvenance,
  writeStackProvenance,
} from '../../lib/provenance/contract';
import { writeProvenance } from '../../lib/provenance/resource-comments';
import { VerifyInputError, evaluate, loadTerraformStacks } from '../../lib/verify';
import { awsStack, errorOf, instance, newApp, resourcesOf, synthApp } from '../helpers';

function stackWithGroup(): { app: App; stack: TerraformStack; group: nsxt.NsxtPolicyGroup } {
  const app = newApp();
  const stack = new TerraformStack(app, 'dc');
  new nsxt.NsxtProvider(stack, 'nsxt');
  return { app, stack, group: new nsxt.NsxtPolicyGroup(stack, 'Group', { displayName: 'group' }) };
}

describe('the "//".microseg provenance contract', () => {
  test('GIVEN a rule provenance with every field WHEN written into a resource and synthesized THEN it reads back the same', () => {
    const { app, group } = stackWithGroup();
    writeProvenance(group, { flows: ['dc/Api/AllowFrom-dc-Web-tcp-8080'], guardrails: ['dc/NoTestNet'], guardrail: true, defaultDeny: true });

    const body = synthApp(app).dc.json.resource.nsxt_policy_group.Group;

    expect(body['//'].microseg).toEqual({ flows: ['dc/Api/AllowFrom-dc-Web-tcp-8080'], guardrails: ['dc/NoTestNet'], guardrail: true, defaultDeny: true });
    expect(readProvenance(body)).toEqual({ flows: ['dc/Api/AllowFrom-dc-Web-tcp-8080'], guardrails: ['dc/NoTestNet'], guardrail: true, defaultDeny: true });
  });

  test('GIVEN a deny rule that records only its guardrails WHEN written THEN no other field is written and the reader fills the rest', () => {
    const { app, group } = stackWithGroup();
    writeProvenance(group, { guardrails: ['dc/NoTestNet'] });

    const body = synthApp(app).dc.json.resource.nsxt_policy_group.Group;

    expect(body['//'].microseg).toEqual({ guardrails: ['dc/NoTestNet'] });
    expect(readProvenance(body)).toEqual({ flows: [], guardrails: ['dc/NoTestNet'], guardrail: false, defaultDeny: false });
    expect(readProvenance({ display_name: 'no provenance' })).toEqual({ flows: [], guardrails: [], guardrail: false, defaultDeny: false });
  });

  test('GIVEN a stack inventory WHEN written into a stack and synthesized THEN it reads back the same, at the current version', () => {
    const { app, stack } = stackWithGroup();
    const inventory: StackProvenance = {
      version: PROVENANCE_VERSION,
      segments: { 'dc/Web': { selector: { tier: 'web' }, groups: ['nsxt_policy_group.Group'] } },
      workloads: {
        'dc/Web1': { labels: { tier: 'web' }, segments: ['dc/Web'], binding: 'vsphere_virtual_machine.web1', addresses: ['10.0.0.5'] },
        'dc/Bastion': { labels: {}, segments: [], addresses: ['192.0.2.10/32'] },
      },
      subnets: { 'subnet-1': '10.0.1.0/24' },
    };
    writeStackProvenance(stack, inventory);

    const reading = readStackProvenance(synthApp(app).dc.json);

    expect(reading.unsupported).toBeUndefined();
    expect(reading.version).toBe(1);
    expect(Object.fromEntries(reading.segments)).toEqual(inventory.segments);
    expect(Object.fromEntries(reading.workloads)).toEqual(inventory.workloads);
    expect(Object.fromEntries(reading.subnets)).toEqual(inventory.subnets);
  });

  test('GIVEN an app synthesized by the library WHEN the evaluator reads it THEN the flows the renderer wrote name the deciding rule', () => {
    const app = newApp();
    const stack = awsStack(app, 'shop');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    const api = new Segment(stack, 'Api', { selector: { tier: 'api' } });
    const flow = api.allowFrom(web, Port.tcp(8080));
    new Workload(stack, 'Web1', { binding: AwsBinding.instance(instance(stack, 'web1')), labels: { tier: 'web' } });
    new Workload(stack, 'Api1', { binding: AwsBinding.instance(instance(stack, 'api1')), labels: { tier: 'api' } });

    const out = synthApp(app);
    const model = loadTerraformStacks({ shop: out.shop.json });
    const verdict = evaluate(model, { from: 'shop/Web', to: 'shop/Api', port: 'tcp/8080' });

    expect(readStackProvenance(out.shop.json).version).toBe(PROVENANCE_VERSION);
    expect(Object.values<any>(resourcesOf(out.shop, 'aws_vpc_security_group_ingress_rule')).map((rule) => readProvenance(rule).flows)).toEqual([[flow.node.path]]);
    expect(verdict.allowed).toBe(true);
    expect([...new Set(verdict.layers.flatMap((layer) => layer.decidingRules.flatMap((rule) => rule.flows)))]).toEqual([flow.node.path]);
  });

  test('GIVEN a stack whose provenance has an unknown version WHEN the evaluator loads it THEN it refuses with the stack, the version found and the version it reads', () => {
    const json = {
      '//': { microseg: { version: 2, segments: { 'shop/Web': { selector: { tier: 'web' }, groups: [] } }, workloads: {} } },
      'resource': {},
    };

    const reading = readStackProvenance(json);
    const message = errorOf(() => loadTerraformStacks({ shop: json }));

    expect(reading.version).toBe(2);
    expect(reading.segments.size).toBe(0);
    expect(() => loadTerraformStacks({ shop: json })).toThrow(VerifyInputError);
    expect(message).toBe(
      'stack \'shop\': its "//".microseg provenance has version 2, and this evaluator reads version 1 only: '
      + 'evaluate it with the cdktf-microseg release that synthesized it, or synthesize it again with this one',
    );
  });

  test('GIVEN a stack inventory without a version WHEN the evaluator loads it THEN it refuses rather than guess', () => {
    const json = { '//': { microseg: { segments: {}, workloads: {} } } };

    expect(errorOf(() => loadTerraformStacks({ shop: json }))).toContain('stack \'shop\': its "//".microseg provenance has no version (null)');
  });

  test('GIVEN hand-written Terraform without any provenance WHEN the evaluator loads it THEN it reads it with no names recorded', () => {
    const json = { resource: { aws_security_group: { web: { name: 'web' } } } };

    const model = loadTerraformStacks({ shop: json });

    expect(readStackProvenance(json)).toEqual({ segments: new Map(), workloads: new Map(), subnets: new Map(), ephemeralPorts: new Map() });
    expect(model.resource('shop/aws_security_group.web')?.flows).toEqual([]);
  });
});
