import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, TerraformStack } from 'cdktf';
import { AllowFlow, AwsEnforcement, DenyFlow, Peer, Port, Segment, Workload, AwsBinding } from '../../lib';
import { ALLOCATION_FILE_CONTEXT } from '../../lib/render/allocations';
import { evaluate, loadTerraformStacks } from '../../lib/verify';
import '../../lib/verify/jest';
import { estateOf } from '../../lib/verify/estate/estate';
import { TerraformModel } from '../../lib/verify/model/terraform-model';
import { identityOf } from '../../lib/verify/model/value';
import { awsStack, instance } from '../helpers';
import { FirstSyntheses } from './first-syntheses';

/*
 * Each change of the change-safety list, applied alone to a realistic AWS estate (one stack, and
 * two stacks where another team's stack declares the flows), synthesized before and after with the
 * allocation file carried over. For every security group resource that Terraform would destroy (its
 * address is gone) or replace (a replace-on-change argument differs), the flows it served must no
 * longer be allowed; no group may hold one permission twice (AWS rejects the apply); and the exact
 * fields that make the change safe are pinned.
 */

type SegmentName = 'Web' | 'Api' | 'Db' | 'Cache';
type End = SegmentName | { readonly cidr: string } | 'anyIpv4';

interface FlowSpec {
  readonly id: string;
  readonly from: End;
  readonly to: End;
  readonly ports: Port[];
  readonly description?: string;
  /** The stack that declares the flow. @default - the estate's flow stack */
  readonly stack?: 'shop' | 'team';
  /** Construct id, when it differs from `id` (a renamed flow that keeps `id` as its stableId). */
  readonly renamedTo?: string;
}

interface SegmentSpec {
  readonly name: SegmentName;
  /** Construct id. @default name */
  readonly id?: string;
  readonly description?: string;
}

interface EstateSpec {
  /** Where flows are declared by default: the segments' stack, or another team's stack. */
  readonly flowStack: 'shop' | 'team';
  readonly segments: readonly SegmentSpec[];
  /** Instance workloads, by tier. */
  readonly workloads: readonly { readonly id: string; readonly tier: string }[];
  readonly flows: readonly FlowSpec[];
  readonly denyWebToDb?: boolean;
}

const TIERS: Record<SegmentName, string> = { Web: 'web', Api: 'api', Db: 'db', Cache: 'cache' };

/** Three tiers, an admin network, and two teams' flows asking for the same tcp/8080 permission. */
function estate(flowStack: 'shop' | 'team'): EstateSpec {
  return {
    flowStack,
    segments: [{ name: 'Web' }, { name: 'Api', description: 'api tier' }, { name: 'Db' }],
    workloads: [{ id: 'WebVm', tier: 'web' }, { id: 'ApiVm', tier: 'api' }, { id: 'DbVm', tier: 'db' }],
    flows: [
      { id: 'Public', from: 'anyIpv4', to: 'Web', ports: [Port.HTTPS], description: 'the shop' },
      { id: 'WebToApi', from: 'Web', to: 'Api', ports: [Port.tcp(8080)], description: 'checkout calls the api' },
      { id: 'WebToApiHealth', from: 'Web', to: 'Api', ports: [Port.tcp(8080)], description: 'health checks' },
      { id: 'ApiToDb', from: 'Api', to: 'Db', ports: [Port.POSTGRES], description: 'orders' },
      { id: 'Admin', from: { cidr: '10.20.0.0/16' }, to: 'Api', ports: [Port.SSH], description: 'operators' },
    ],
  };
}

function stackPath(spec: EstateSpec, flow: FlowSpec): string {
  return flow.stack ?? spec.flowStack;
}

/** Synthesizes the estate with the allocation file `file`; returns each stack's JSON and the apps' warnings. */
function synth(spec: EstateSpec, file: string): { stacks: Record<string, any>; warnings: string[] } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-change-'));
  const app = new App({ outdir, stackTraces: false, context: { [ALLOCATION_FILE_CONTEXT]: file } });
  const stacks: Record<string, TerraformStack> = { shop: awsStack(app, 'shop') };
  if (spec.flowStack === 'team' || spec.flows.some((f) => f.stack === 'team')) stacks.team = awsStack(app, 'team');
  const shop = stacks.shop;
  const enforcement = new AwsEnforcement(shop, 'Aws', { vpcId: 'vpc-0123' });
  const segments: Partial<Record<SegmentName, Segment>> = {};
  for (const s of spec.segments) {
    segments[s.name] = new Segment(shop, s.id ?? s.name, { selector: { tier: TIERS[s.name] }, description: s.description, stableId: `shop/${s.name}` });
  }
  for (const w of spec.workloads) {
    new Workload(shop, w.id, { binding: AwsBinding.instance(instance(shop, w.id.toLowerCase())), labels: { tier: w.tier } });
  }
  const end = (e: End) => (typeof e === 'string' ? (e === 'anyIpv4' ? Peer.anyIpv4() : segments[e]!) : Peer.ipv4(e.cidr));
  for (const f of spec.flows) {
    const scope = stacks[stackPath(spec, f)];
    const stableId = f.renamedTo ? `${scope.node.path}/${f.id}` : undefined;
    new AllowFlow(scope, f.renamedTo ?? f.id, { from: end(f.from), to: end(f.to), ports: f.ports, description: f.description, stableId });
  }
  if (spec.denyWebToDb) new DenyFlow(shop, 'NoWebToDb', { from: segments.Web, to: segments.Db });
  app.synth();
  const out: Record<string, any> = {};
  for (const name of fs.readdirSync(path.join(outdir, 'stacks')).sort()) {
    out[name] = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'));
  }
  const warnings = enforcement.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
  return { stacks: out, warnings };
}

const SG_TYPES = ['aws_security_group', 'aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule'];
const PEER_FIELDS = ['cidr_ipv4', 'cidr_ipv6', 'prefix_list_id', 'referenced_security_group_id'];

/** Whether Terraform replaces `after` in place of `before` (a replace-on-change argument differs). */
function replaces(type: string, before: any, after: any): boolean {
  if (type === 'aws_security_group') return ['name', 'name_prefix', 'description', 'vpc_id'].some((k) => before[k] !== after[k]);
  const kind = (body: any) => PEER_FIELDS.find((k) => body[k] !== undefined);
  return before.security_group_id !== after.security_group_id || kind(before) !== kind(after);
}

interface Change {
  readonly before: ReturnType<typeof synth>;
  readonly after: ReturnType<typeof synth>;
  /** `stack:type.name` of every security group resource destroyed or replaced. */
  readonly cut: string[];
  /** `stack:type.name` of every security group resource created. */
  readonly created: string[];
  readonly model: TerraformModel;
}

/** The first syntheses of the "before" versions (most changes start from the base estate). */
const firstSyntheses = new FirstSyntheses(synth);

/**
 * Synthesizes `before`, then `after` with the allocation file the first synthesis wrote. With
 * `earlier`, those are synthesized first, in order, with the same file: `before` is then a later
 * state of a program with a history.
 */
function applyChange(before: EstateSpec, after: EstateSpec, earlier: readonly EstateSpec[] = []): Change {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-alloc-')), 'microseg.allocations.json');
  for (const spec of earlier) synth(spec, file);
  const first = earlier.length === 0 ? firstSyntheses.of(before, file) : synth(before, file);
  const second = synth(after, file);
  const cut: string[] = [];
  const created: string[] = [];
  const stackNames = new Set([...Object.keys(first.stacks), ...Object.keys(second.stacks)]);
  for (const stack of stackNames) {
    for (const type of SG_TYPES) {
      const was = first.stacks[stack]?.resource?.[type] ?? {};
      const is = second.stacks[stack]?.resource?.[type] ?? {};
      for (const name of Object.keys(was)) {
        if (!(name in is) || replaces(type, was[name], is[name])) cut.push(`${stack}:${type}.${name}`);
      }
      for (const name of Object.keys(is)) if (!(name in was)) created.push(`${stack}:${type}.${name}`);
    }
  }
  return { before: first, after: second, cut: cut.sort(), created: created.sort(), model: loadTerraformStacks(second.stacks) };
}

function resourceAt(stacks: Record<string, any>, address: string): any {
  const [stack, rest] = address.split(':');
  const [type, name] = rest.split('.');
  return stacks[stack].resource[type][name];
}

/** The evaluator's name for a flow end, in the estate after the change. */
function endpointOf(spec: EstateSpec, e: End): string | { kind: string; value: string } {
  if (e === 'anyIpv4') return { kind: 'ipv4', value: '0.0.0.0/0' };
  if (typeof e !== 'string') return { kind: 'ipv4', value: e.cidr };
  const segment = spec.segments.find((s) => s.name === e)!;
  return `shop/${segment.id ?? segment.name}`;
}

/**
 * THEN-part shared by every change: each destroyed or replaced rule served only traffic that is no
 * longer allowed (checked with the evaluator on the rule's own ports, for every flow it served), no
 * group is destroyed or replaced, and no group holds one permission twice.
 */
function expectNoAllowedFlowCut(change: Change, before: EstateSpec, after: EstateSpec): void {
  for (const address of change.cut) {
    expect(address).not.toMatch(/:aws_security_group\./);
    const rule = resourceAt(change.before.stacks, address);
    const port = rule.ip_protocol === '-1' ? 'all' : `${rule.ip_protocol}/${rule.from_port}`;
    for (const flowPath of rule['//'].microseg.flows as string[]) {
      const flow = before.flows.find((f) => `${stackPath(before, f)}/${f.id}` === flowPath)!;
      const verdict = evaluate(change.model, { from: endpointOf(after, flow.from), to: endpointOf(after, flow.to), port });
      expect({ address, flowPath, port, allowed: verdict.allowed }).toEqual({ address, flowPath, port, allowed: false });
    }
  }
  expect(duplicatePermissions(change.model)).toEqual([]);
}

/** Permissions that appear twice in one group and direction (AWS rejects the second: InvalidPermission.Duplicate). */
function duplicatePermissions(model: TerraformModel): string[] {
  const estateModel = estateOf(model);
  const seen = new Map<string, string>();
  const duplicates: string[] = [];
  for (const type of ['aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule']) {
    for (const resource of model.resourcesOfType(type)) {
      const body = resource.body as any;
      const value = (field: string) => {
        const v = body[field] === undefined ? undefined : estateModel.resolver.value(resource.stack, body[field]);
        return v ? identityOf(v) : '';
      };
      const key = [type, value('security_group_id'), body.ip_protocol, body.from_port, body.to_port, ...PEER_FIELDS.map(value)].join('|');
      if (seen.has(key)) duplicates.push(`${seen.get(key)} and ${resource.key}`);
      seen.set(key, resource.key);
    }
  }
  return duplicates;
}

/** The rule of `stacks` serving exactly `flows`, as `[address, body]`. */
function ruleServing(stacks: Record<string, any>, type: string, flows: string[]): [string, any] {
  const found: [string, any][] = [];
  for (const [stack, json] of Object.entries(stacks)) {
    for (const [name, body] of Object.entries<any>(json.resource?.[type] ?? {})) {
      if (JSON.stringify(body['//'].microseg.flows) === JSON.stringify(flows)) found.push([`${stack}:${type}.${name}`, body]);
    }
  }
  expect(found.map(([a]) => a)).toHaveLength(1);
  return found[0];
}

/** A resource's body without the `//` metadata (construct paths, provenance) that Terraform ignores. */
function fields(body: any): any {
  const { ['//']: _metadata, ...rest } = body;
  return rest;
}

/** Every security group resource, by address, without metadata. */
function allFields(stacks: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [stack, json] of Object.entries(stacks)) {
    for (const type of SG_TYPES) {
      for (const [name, body] of Object.entries<any>(json.resource?.[type] ?? {})) out[`${stack}:${type}.${name}`] = fields(body);
    }
  }
  return out;
}

function withFlows(spec: EstateSpec, flows: FlowSpec[]): EstateSpec {
  return { ...spec, flows };
}

function editFlow(spec: EstateSpec, id: string, edit: Partial<FlowSpec>): EstateSpec {
  return withFlows(spec, spec.flows.map((f) => (f.id === id ? { ...f, ...edit } : f)));
}

const INGRESS = 'aws_vpc_security_group_ingress_rule';
const EGRESS = 'aws_vpc_security_group_egress_rule';

describe.each(['shop', 'team'] as const)('AWS security groups: each change alone interrupts no flow that stays allowed (flows declared in stack %s)', (flowStack) => {
  const base = estate(flowStack);
  const flowPath = (id: string) => `${flowStack}/${id}`;

  test('GIVEN the estate WHEN it is synthesized twice THEN the output is byte-identical', () => {
    const change = applyChange(base, base);
    expect(JSON.stringify(change.after.stacks)).toEqual(JSON.stringify(change.before.stacks));
    expect(change.cut).toEqual([]);
  });

  test('add a flow: only its two rules are created, nothing else changes', () => {
    const after = withFlows(base, [...base.flows, { id: 'ApiToDbMetrics', from: 'Api', to: 'Db', ports: [Port.tcp(9187)] }]);
    const change = applyChange(base, after);
    expect(change.cut).toEqual([]);
    expect(change.created).toHaveLength(2);
    const unchanged = allFields(change.before.stacks);
    expect(allFields(change.after.stacks)).toMatchObject(unchanged);
    expectNoAllowedFlowCut(change, base, after);
    expect(change.model).toAllowFlow('shop/Api', 'shop/Db', 'tcp/9187');
  });

  test('remove a flow: only its rules go, and its traffic is denied', () => {
    const after = withFlows(base, base.flows.filter((f) => f.id !== 'Admin'));
    const change = applyChange(base, after);
    expect(change.cut).toHaveLength(1);
    expect(resourceAt(change.before.stacks, change.cut[0])['//'].microseg.flows).toEqual([flowPath('Admin')]);
    expectNoAllowedFlowCut(change, base, after);
    expect(change.model).toDenyFlow({ kind: 'ipv4', value: '10.20.0.0/16' }, 'shop/Api', 'tcp/22');
  });

  test('remove the flow that owns a permission another flow also asks for: the rule stays at its address', () => {
    // GIVEN tcp/8080 Web to Api asked for by WebToApi (its owner: first by identity) and WebToApiHealth
    const [address, before] = ruleServing(applyChange(base, base).before.stacks, INGRESS, [flowPath('WebToApi'), flowPath('WebToApiHealth')]);
    // WHEN the owner goes
    const after = withFlows(base, base.flows.filter((f) => f.id !== 'WebToApi'));
    const change = applyChange(base, after);
    // THEN nothing is destroyed: the rule keeps its address and fields and now serves the other flow
    expect(change.cut).toEqual([]);
    expect(change.created).toEqual([]);
    const [addressAfter, rule] = ruleServing(change.after.stacks, INGRESS, [flowPath('WebToApiHealth')]);
    expect(addressAfter).toBe(address);
    expect({ ...fields(rule), description: before.description }).toEqual(fields(before));
    expect(rule.description).toBe('health checks');
    expectNoAllowedFlowCut(change, base, after);
  });

  test('then edit the ports of the flow left: the rule it inherited is updated in place, its shared port never drops', () => {
    // GIVEN WebToApi (the owner) and WebToApiHealth shared tcp/8080; WebToApi went, the rule stayed at its address
    const [address] = ruleServing(applyChange(base, base).before.stacks, INGRESS, [flowPath('WebToApi'), flowPath('WebToApiHealth')]);
    const inherited = withFlows(base, base.flows.filter((f) => f.id !== 'WebToApi'));
    // WHEN WebToApiHealth now asks for tcp/8080-8081
    const widened = editFlow(inherited, 'WebToApiHealth', { ports: [Port.tcpRange(8080, 8081)] });
    const change = applyChange(inherited, widened, [base]);
    // THEN the inherited rule takes the new ports in place: nothing is destroyed or created on the ingress side
    expect(change.cut).toEqual([]);
    expect(change.created.filter((a) => a.includes(INGRESS))).toEqual([]);
    const [addressAfter, rule] = ruleServing(change.after.stacks, INGRESS, [flowPath('WebToApiHealth')]);
    expect(addressAfter).toBe(address);
    expect(rule).toMatchObject({ ip_protocol: 'tcp', from_port: 8080, to_port: 8081 });
    expectNoAllowedFlowCut(change, inherited, widened);
    expect(change.model).toAllowFlow('shop/Web', 'shop/Api', 'tcp/8081');
    // AND the next synthesis keeps it there
    const again = applyChange(widened, widened, [base, inherited]);
    expect(again.cut).toEqual([]);
    expect(again.created).toEqual([]);
    expect(ruleServing(again.after.stacks, INGRESS, [flowPath('WebToApiHealth')])[0]).toBe(address);
  });

  test.each([
    ['as a second flow', (spec: EstateSpec) => withFlows(spec, [...spec.flows, { id: 'WebToApiAdmin', from: 'Web', to: 'Api', ports: [Port.tcp(8081)] }])],
    ['as a second port of the same flow', (spec: EstateSpec) => editFlow(spec, 'WebToApi', { ports: [Port.tcp(8080), Port.tcp(8081)] })],
  ])('add and remove tcp/8081 next to 8080 %s: the 8080 rules keep address and fields', (_how, add) => {
    const withAdjacent = add(base);
    const before8080 = ruleServing(applyChange(base, base).before.stacks, INGRESS, [flowPath('WebToApi'), flowPath('WebToApiHealth')]);
    for (const [from, to] of [[base, withAdjacent], [withAdjacent, base]]) {
      const change = applyChange(from, to);
      expect(allFields(change.after.stacks)[before8080[0]]).toEqual(fields(before8080[1]));
      expectNoAllowedFlowCut(change, from, to);
    }
    const added = applyChange(base, withAdjacent);
    expect(added.cut).toEqual([]);
    expect(added.created).toHaveLength(2); // egress on Web, ingress on Api
    expect(added.model).toAllowFlow('shop/Web', 'shop/Api', 'tcp/8081');
    const removed = applyChange(withAdjacent, base);
    expect(removed.cut).toHaveLength(2);
    expect(removed.model).toDenyFlow('shop/Web', 'shop/Api', 'tcp/8081');
    expect(removed.model).toAllowFlow('shop/Web', 'shop/Api', 'tcp/8080');
  });

  test('remove the first of two ports of a flow: the other port\'s rule keeps its address', () => {
    const two = editFlow(base, 'ApiToDb', { ports: [Port.tcp(5432), Port.tcp(9187)] });
    const [address, before] = ruleWithPort(applyChange(two, two).before.stacks, INGRESS, 9187);
    const after = editFlow(base, 'ApiToDb', { ports: [Port.tcp(9187)] });
    const change = applyChange(two, after);
    expect(allFields(change.after.stacks)[address]).toEqual(fields(before));
    expect(change.cut).toHaveLength(2); // the 5432 rules
    expectNoAllowedFlowCut(change, two, after);
    expect(change.model).toAllowFlow('shop/Api', 'shop/Db', 'tcp/9187');
  });

  test('edit a flow\'s ports (SSH to tcp/2222): its rule is updated in place, nothing else changes', () => {
    const after = editFlow(base, 'Admin', { ports: [Port.tcp(2222)] });
    const change = applyChange(base, after);
    expect(change.cut).toEqual([]);
    expect(change.created).toEqual([]);
    const [address, rule] = ruleServing(change.before.stacks, INGRESS, [flowPath('Admin')]);
    expect(allFields(change.after.stacks)[address]).toEqual({ ...fields(rule), from_port: 2222, to_port: 2222 });
    expect(change.model).toAllowFlow({ kind: 'ipv4', value: '10.20.0.0/16' }, 'shop/Api', 'tcp/2222');
    expect(change.model).toDenyFlow({ kind: 'ipv4', value: '10.20.0.0/16' }, 'shop/Api', 'tcp/22');
  });

  test('widen a range (5432 to 5432-5433): both rules of the flow are updated in place (same address, to_port 5433)', () => {
    const after = editFlow(base, 'ApiToDb', { ports: [Port.tcpRange(5432, 5433)] });
    const change = applyChange(base, after);
    expect(change.cut).toEqual([]);
    expect(change.created).toEqual([]);
    for (const type of [INGRESS, EGRESS]) {
      const [address, rule] = ruleServing(change.before.stacks, type, [flowPath('ApiToDb')]);
      expect(allFields(change.after.stacks)[address]).toEqual({ ...fields(rule), from_port: 5432, to_port: 5433 });
    }
    expect(change.model).toAllowFlow('shop/Api', 'shop/Db', Port.tcpRange(5432, 5433));
  });

  test('widen a range another flow also asks for (8080 to 8080-8090): the shared 8080 rule stays, the range is a new rule', () => {
    const [address, before] = ruleServing(applyChange(base, base).before.stacks, INGRESS, [flowPath('WebToApi'), flowPath('WebToApiHealth')]);
    const after = editFlow(base, 'WebToApi', { ports: [Port.tcpRange(8080, 8090)] });
    const change = applyChange(base, after);
    expect(change.cut).toEqual([]);
    expect(change.created).toHaveLength(2);
    const [, rule] = ruleServing(change.after.stacks, INGRESS, [flowPath('WebToApiHealth')]);
    expect({ ...fields(rule), description: before.description }).toEqual(allFields(change.before.stacks)[address]);
    expect(allFields(change.after.stacks)[address]).toEqual(fields(rule));
    expectNoAllowedFlowCut(change, base, after);
    expect(change.model).toAllowFlow('shop/Web', 'shop/Api', Port.tcpRange(8080, 8090));
  });

  test('join two ports of a flow into one range: synthesis warns that the port whose rule is destroyed may drop', () => {
    const two = editFlow(base, 'ApiToDb', { ports: [Port.tcp(5432), Port.tcp(5434)] });
    const joined = editFlow(base, 'ApiToDb', { ports: [Port.tcpRange(5432, 5434)] });
    const change = applyChange(two, joined);
    // one rule per direction takes the range in place, the other is destroyed: Terraform does both in no order
    expect(change.cut).toHaveLength(2);
    expect(change.created).toEqual([]);
    const flow = flowPath('ApiToDb');
    const dropped = change.after.warnings.map((w) => /has its \w+ rule (tcp\/\d+) .* drops between the two/.exec(w)?.[1]);
    expect(dropped).toHaveLength(2);
    expect(['tcp/5432', 'tcp/5434']).toContain(dropped[0]);
    const port = dropped[0];
    expect(change.after.warnings.sort()).toEqual([
      `[microseg-sg-rule-window] AllowFlow '${flow}': the security group of 'shop/Api@shop/Aws' has its egress rule ${port} to sg:shop/Db@shop/Aws destroyed while rule tcp/5432-5434 is updated, which Terraform does in no order: traffic both match (${port}) drops between the two. To avoid it, deploy once with both (keep the old ports in a flow of their own), then remove the old one.`,
      `[microseg-sg-rule-window] AllowFlow '${flow}': the security group of 'shop/Db@shop/Aws' has its ingress rule ${port} from sg:shop/Api@shop/Aws destroyed while rule tcp/5432-5434 is updated, which Terraform does in no order: traffic both match (${port}) drops between the two. To avoid it, deploy once with both (keep the old ports in a flow of their own), then remove the old one.`,
    ]);
    expect(change.model).toAllowFlow('shop/Api', 'shop/Db', Port.tcpRange(5432, 5434));
  });

  test('split a range into two ports: synthesis warns that the port whose rule is created may drop', () => {
    const range = editFlow(base, 'ApiToDb', { ports: [Port.tcpRange(5432, 5434)] });
    const split = editFlow(base, 'ApiToDb', { ports: [Port.tcp(5432), Port.tcp(5434)] });
    const change = applyChange(range, split);
    expect(change.cut).toEqual([]);
    expect(change.created).toHaveLength(2);
    expect(change.after.warnings.filter((w) => w.startsWith('[microseg-sg-rule-window]')).map((w) => w.split(': traffic both match ')[1].split(')')[0]))
      .toEqual(['(tcp/5434', '(tcp/5434']);
    expect(change.after.warnings.every((w) => w.includes('rule tcp/5432-5434') && w.includes('updated while rule tcp/5434 is created'))).toBe(true);
    expect(change.model).toAllowFlow('shop/Api', 'shop/Db', 'tcp/5434');
    expect(change.model).toDenyFlow('shop/Api', 'shop/Db', 'tcp/5433');
  });

  test('add and remove a workload: no rule or group changes', () => {
    const after: EstateSpec = { ...base, workloads: [...base.workloads, { id: 'ApiVm2', tier: 'api' }] };
    for (const [from, to] of [[base, after], [after, base]]) {
      const change = applyChange(from, to);
      expect(change.cut).toEqual([]);
      expect(change.created).toEqual([]);
      expect(allFields(change.after.stacks)).toEqual(allFields(change.before.stacks));
    }
    expect(applyChange(base, after).model).toAllowFlow('shop/WebVm', 'shop/ApiVm2', 'tcp/8080');
  });

  test('add a segment with a flow: only its group and rules are created', () => {
    const after: EstateSpec = {
      ...base,
      segments: [...base.segments, { name: 'Cache' }],
      workloads: [...base.workloads, { id: 'CacheVm', tier: 'cache' }],
      flows: [...base.flows, { id: 'ApiToCache', from: 'Api', to: 'Cache', ports: [Port.tcp(6379)] }],
    };
    const change = applyChange(base, after);
    expect(change.cut).toEqual([]);
    expect(change.created.filter((a) => a.includes(':aws_security_group.'))).toHaveLength(1);
    expect(change.created).toHaveLength(3);
    expect(allFields(change.after.stacks)).toMatchObject(allFields(change.before.stacks));
    expect(change.model).toAllowFlow('shop/Api', 'shop/Cache', 'tcp/6379');
  });

  test('rename a segment that keeps its stableId: no group or rule changes at all', () => {
    const after: EstateSpec = { ...base, segments: base.segments.map((s) => (s.name === 'Api' ? { ...s, id: 'ApiTier' } : s)) };
    const change = applyChange(base, after);
    expect(change.cut).toEqual([]);
    expect(change.created).toEqual([]);
    expect(allFields(change.after.stacks)).toEqual(allFields(change.before.stacks));
    expect(change.model).toAllowFlow('shop/ApiTier', 'shop/Db', 'tcp/5432');
  });

  test('rename a flow that keeps its stableId: its rules keep their addresses and fields', () => {
    const after = editFlow(base, 'ApiToDb', { renamedTo: 'OrdersToDb' });
    const change = applyChange(base, after);
    expect(change.cut).toEqual([]);
    expect(change.created).toEqual([]);
    expect(allFields(change.after.stacks)).toEqual(allFields(change.before.stacks));
  });

  test('change a CIDR peer: the rule keeps its address, cidr_ipv4 is updated in place', () => {
    const after = editFlow(base, 'Admin', { from: { cidr: '10.21.0.0/16' } });
    const change = applyChange(base, after);
    expect(change.cut).toEqual([]);
    expect(change.created).toEqual([]);
    const [address, rule] = ruleServing(change.before.stacks, INGRESS, [flowPath('Admin')]);
    expect(allFields(change.after.stacks)[address]).toEqual({ ...fields(rule), cidr_ipv4: '10.21.0.0/16' });
    expect(change.model).toAllowFlow({ kind: 'ipv4', value: '10.21.0.0/16' }, 'shop/Api', 'tcp/22');
    expect(change.model).toDenyFlow({ kind: 'ipv4', value: '10.20.0.0/16' }, 'shop/Api', 'tcp/22');
  });

  test('change the CIDR of a flow whose permission another flow shares: the shared rule stays, the new CIDR is a new rule', () => {
    // GIVEN Admin and Audit both allow 10.20.0.0/16 to Api on SSH: one rule, owned by Admin
    const shared = withFlows(base, [...base.flows, { id: 'Audit', from: { cidr: '10.20.0.0/16' }, to: 'Api', ports: [Port.SSH], description: 'auditors' }]);
    const [address, before] = ruleServing(applyChange(shared, shared).before.stacks, INGRESS, [flowPath('Admin'), flowPath('Audit')]);
    // WHEN Admin moves to 10.21.0.0/16
    const after = editFlow(shared, 'Admin', { from: { cidr: '10.21.0.0/16' } });
    const change = applyChange(shared, after);
    // THEN the 10.20 rule keeps its address and permission (Audit's traffic never stops), 10.21 is created
    expect(change.cut).toEqual([]);
    expect(change.created).toHaveLength(1);
    expect(allFields(change.after.stacks)[address]).toEqual({ ...fields(before), description: 'auditors' });
    expect(resourceAt(change.after.stacks, change.created[0])).toMatchObject({ cidr_ipv4: '10.21.0.0/16', from_port: 22, to_port: 22 });
    expectNoAllowedFlowCut(change, shared, after);
    expect(change.model).toAllowFlow({ kind: 'ipv4', value: '10.21.0.0/16' }, 'shop/Api', 'tcp/22');
  });

  test('change a segment\'s description: the group keeps its description (which would replace it); the tag changes in place', () => {
    const after: EstateSpec = { ...base, segments: base.segments.map((s) => (s.name === 'Api' ? { ...s, description: 'api tier, v2' } : s)) };
    const change = applyChange(base, after);
    expect(change.cut).toEqual([]);
    const groups = (stacks: Record<string, any>) => Object.entries<any>(stacks.shop.resource.aws_security_group);
    const [name, group] = groups(change.before.stacks).find(([, g]) => g.tags['microseg:segment'] === 'shop/Api')!;
    expect(group).toMatchObject({ description: 'microseg segment shop/Api', name_prefix: 'Api-' });
    expect(fields(change.after.stacks.shop.resource.aws_security_group[name]))
      .toEqual({ ...fields(group), tags: { ...group.tags, 'microseg:description': 'api tier, v2' } });
  });

  test('change a flow\'s description: its rules\' descriptions are updated in place', () => {
    const after = editFlow(base, 'ApiToDb', { description: 'orders are stored' });
    const change = applyChange(base, after);
    expect(change.cut).toEqual([]);
    for (const type of [INGRESS, EGRESS]) {
      const [address, rule] = ruleServing(change.before.stacks, type, [flowPath('ApiToDb')]);
      expect(allFields(change.after.stacks)[address]).toEqual({ ...fields(rule), description: 'orders are stored' });
    }
  });

  test('add a DenyFlow: no security group resource changes', () => {
    const after: EstateSpec = { ...base, denyWebToDb: true };
    const change = applyChange(base, after);
    expect(change.cut).toEqual([]);
    expect(allFields(change.after.stacks)).toEqual(allFields(change.before.stacks));
    expect(change.model).toDenyFlow('shop/Web', 'shop/Db', 'tcp/5432');
  });
});

describe('AWS security groups: a flow declared by two stacks', () => {
  const single = estate('shop');
  const duplicate: FlowSpec = { id: 'ApiToDb', from: 'Api', to: 'Db', ports: [Port.POSTGRES], stack: 'team' };

  test('declaring an existing flow in a second stack leaves its rules where they are', () => {
    // GIVEN ApiToDb declared in stack shop WHEN stack team declares the same flow
    const after = withFlows(single, [...single.flows, duplicate]);
    const change = applyChange(single, after);
    // THEN nothing moves into team's state: its stack holds no rule
    expect(change.cut).toEqual([]);
    expect(change.created).toEqual([]);
    expect(change.after.stacks.team.resource?.[INGRESS]).toBeUndefined();
    const [address] = ruleServing(change.after.stacks, INGRESS, ['shop/ApiToDb', 'team/ApiToDb']);
    expect(address).toMatch(/^shop:/);
    expect(change.after.warnings).toEqual([]);
    expectNoAllowedFlowCut(change, single, after);
  });

  test('declared first in the stack that sorts last, the rules still stay when the other stack declares it too', () => {
    // GIVEN the flow declared only in team WHEN shop (which sorts first) declares it too
    const inTeam = withFlows(single, [...single.flows.filter((f) => f.id !== 'ApiToDb'), duplicate]);
    const both = withFlows(single, [...single.flows, duplicate]);
    const change = applyChange(inTeam, both);
    expect(change.cut).toEqual([]);
    const [address] = ruleServing(change.after.stacks, INGRESS, ['shop/ApiToDb', 'team/ApiToDb']);
    expect(address).toMatch(/^team:/);
    expectNoAllowedFlowCut(change, inTeam, both);
  });

  test('moving a flow\'s declaration to another stack moves its rules and warns microseg-rule-moves-stack naming the flow and both stacks', () => {
    const moved = withFlows(single, single.flows.map((f) => (f.id === 'ApiToDb' ? duplicate : f)));
    const change = applyChange(single, moved);
    // THEN the two rules leave shop and are created in team: their traffic drops between the two applies
    expect(change.cut.map((a) => a.split('.')[0])).toEqual([`shop:${EGRESS}`, `shop:${INGRESS}`]);
    expect(change.created.map((a) => a.split('.')[0])).toEqual([`team:${EGRESS}`, `team:${INGRESS}`]);
    expect(change.after.warnings).toEqual([
      "[microseg-rule-moves-stack] AllowFlow 'team/ApiToDb': the egress rule tcp/5432 to sg:shop/Db@shop/Aws of the security group of 'shop/Api@shop/Aws' moves from stack 'shop' (which no longer declares it) to stack 'team'. Its traffic drops between the two applies: apply 'shop' first, then 'team' at once.",
      "[microseg-rule-moves-stack] AllowFlow 'team/ApiToDb': the ingress rule tcp/5432 from sg:shop/Api@shop/Aws of the security group of 'shop/Db@shop/Aws' moves from stack 'shop' (which no longer declares it) to stack 'team'. Its traffic drops between the two applies: apply 'shop' first, then 'team' at once.",
    ]);
    expect(change.model).toAllowFlow('shop/Api', 'shop/Db', 'tcp/5432');
    expect(duplicatePermissions(change.model)).toEqual([]);
  });
});

/** The one rule of `type` whose from_port is `port`, as `[address, body]`. */
function ruleWithPort(stacks: Record<string, any>, type: string, port: number): [string, any] {
  const found: [string, any][] = [];
  for (const [stack, json] of Object.entries(stacks)) {
    for (const [name, body] of Object.entries<any>(json.resource?.[type] ?? {})) if (body.from_port === port) found.push([`${stack}:${type}.${name}`, body]);
  }
  expect(found.map(([a]) => a)).toHaveLength(1);
  return found[0];
}
