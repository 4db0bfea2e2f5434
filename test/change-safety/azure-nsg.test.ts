import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NetworkInterface } from '@cdktf/provider-azurerm/lib/network-interface';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { App, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { FirstSyntheses } from './first-syntheses';
import { AllowFlow, AzureEnforcement, DenyFlow, Peer, Port, Segment, Workload, AzureBinding } from '../../lib';
import { ALLOCATION_FILE_CONTEXT } from '../../lib/render/allocations';
import { estateOf } from '../../lib/verify/estate/estate';
import { evaluate } from '../../lib/verify/evaluate';
import { endpointOfArg, portOfArg } from '../../lib/verify/jest';
import { loadTerraform, loadTerraformStacks } from '../../lib/verify/model/load-terraform';
import { TerraformModel, TerraformResource } from '../../lib/verify/model/terraform-model';
import { azureFacts } from '../../lib/verify/platforms/azure/azure-facts';
import { azureStack } from '../azure/azure-fixtures';

/*
 * What each everyday change does to a live Azure estate: for every resource destroyed or replaced
 * during the apply (its address is gone, or a ForceNew argument changed), the flows it served must
 * no longer be allowed after the change; every rule that stays keeps its name and priority; no
 * apply meets two rules with one priority (or one name) in an NSG.
 */

/** The arguments of each resource type whose change replaces the resource (azurerm 4.x). */
const FORCE_NEW: Record<string, readonly string[]> = {
  azurerm_network_security_rule: ['name', 'network_security_group_name', 'resource_group_name'],
  azurerm_application_security_group: ['name', 'resource_group_name', 'location'],
  azurerm_network_security_group: ['name', 'resource_group_name', 'location'],
  azurerm_network_interface_application_security_group_association: ['network_interface_id', 'application_security_group_id'],
  azurerm_network_interface_security_group_association: ['network_interface_id', 'network_security_group_id'],
  azurerm_subnet_network_security_group_association: ['subnet_id', 'network_security_group_id'],
};

/** The shape of the estate; every change below flips one of these. */
interface Shape {
  /** One stack (`shop`) holds everything, or `net` holds the enforcement, segments and workloads and `team` the flows. */
  readonly layout: 'one' | 'two';
  readonly webToAppPorts?: Port[];
  readonly webToApp8081Flow?: boolean;
  readonly appToDb?: boolean;
  readonly webToCache?: boolean;
  readonly secondAppNic?: boolean;
  readonly secondPartner?: boolean;
  /** The ports of the db replication flow, declared through `db.allowInternally(...)`. */
  readonly replicationPorts?: Port[];
  readonly reportsSegment?: boolean;
  readonly adminCidr?: string;
  readonly webToAppDescription?: string;
  readonly webDescription?: string;
  readonly denyWebToDb?: boolean;
  /** The Web segment's construct id (its stableId stays `web`). */
  readonly webId?: string;
  /** Where WebToApp is declared: the flows' stack (default), or the other stack (`other` in the one-stack layout, `net` in the two-stack one). */
  readonly webToAppIn?: 'flows' | 'other' | 'both';
}

/** The flows' stack and the other stack of a layout. */
function stackNames(layout: Shape['layout']): { net: string; flows: string; other: string } {
  return layout === 'one' ? { net: 'shop', flows: 'shop', other: 'other' } : { net: 'net', flows: 'team', other: 'net' };
}

/**
 * A realistic estate: a subnet NSG and NIC NSGs, five segments (web, app, db, every managed
 * workload, partners outside the VNet known by address), flows between segments, from and to CIDR
 * peers and a service tag, a flow with two protocols, a flow declared through a segment's helper,
 * and eight partner CIDR flows.
 */
function build(app: App, shape: Shape): void {
  const names = stackNames(shape.layout);
  const net = azureStack(app, names.net);
  new AzureEnforcement(net.stack, 'Azure', { resourceGroupName: net.rg.name, location: net.rg.location, subnetIds: [net.subnet.id], nicNsgs: true });
  const stackOf = (name: string): TerraformStack => {
    const existing = app.node.tryFindChild(name) as TerraformStack | undefined;
    if (existing) return existing;
    const stack = new TerraformStack(app, name);
    new AzurermProvider(stack, 'azurerm', { features: [{}] });
    return stack;
  };
  const flows = stackOf(names.flows);
  const web = new Segment(net.stack, shape.webId ?? 'Web', { selector: { tier: 'web' }, stableId: 'web', ...(shape.webDescription ? { description: shape.webDescription } : {}) });
  const appTier = new Segment(net.stack, 'App', { selector: { tier: 'app' } });
  const db = new Segment(net.stack, 'Db', { selector: { tier: 'db' } });
  const managed = new Segment(net.stack, 'Managed', { selector: { estate: 'shop' } });
  const partners = new Segment(net.stack, 'Partners', { selector: { role: 'partner' } });
  if (shape.reportsSegment) new Segment(net.stack, 'Reports', { selector: { tier: 'app' } });
  const workload = (id: string, ip: string, labels: Record<string, string>) => new Workload(net.stack, id, { binding: AzureBinding.networkInterface(net.nic(`${id}-nic`, ip)), labels: { estate: 'shop', ...labels } });
  workload('web1', '10.1.1.10', { tier: 'web' });
  workload('web2', '10.1.1.11', { tier: 'web' });
  workload('app1', '10.1.1.20', { tier: 'app' });
  if (shape.secondAppNic) workload('app2', '10.1.1.21', { tier: 'app' });
  workload('db1', '10.1.1.30', { tier: 'db' });
  new Workload(net.stack, 'PartnerGateway', { addresses: ['203.0.113.10'], labels: { role: 'partner' } });
  if (shape.secondPartner) new Workload(net.stack, 'PartnerBackup', { addresses: ['203.0.113.20'], labels: { role: 'partner' } });

  new AllowFlow(flows, 'PublicHttps', { from: Peer.anyIpv4(), to: web, ports: [Port.HTTPS] });
  const webToApp = (stack: TerraformStack) => new AllowFlow(stack, 'WebToApp', {
    from: web,
    to: appTier,
    ports: shape.webToAppPorts ?? [Port.tcp(8080)],
    ...(shape.webToAppDescription ? { description: shape.webToAppDescription } : {}),
  });
  const where = shape.webToAppIn ?? 'flows';
  if (where === 'flows' || where === 'both') webToApp(flows);
  if (where === 'other' || where === 'both') webToApp(stackOf(names.other));
  if (shape.webToApp8081Flow) new AllowFlow(flows, 'WebToApp8081', { from: web, to: appTier, ports: [Port.tcp(8081)] });
  if (shape.appToDb ?? true) new AllowFlow(flows, 'AppToDb', { from: appTier, to: db, ports: [Port.POSTGRES] });
  if (shape.webToCache) new AllowFlow(flows, 'WebToCache', { from: web, to: db, ports: [Port.tcp(6379)] });
  new AllowFlow(flows, 'AdminSsh', { from: Peer.ipv4(shape.adminCidr ?? '198.51.100.0/24'), to: managed, ports: [Port.SSH] });
  new AllowFlow(flows, 'AppToStorage', { from: appTier, to: Peer.azureServiceTag('Storage'), ports: [Port.HTTPS] });
  new AllowFlow(flows, 'PartnerApi', { from: partners, to: appTier, ports: [Port.tcp(9443)] });
  new AllowFlow(flows, 'AppDns', { from: appTier, to: Peer.ipv4('10.1.0.4/32'), ports: [Port.DNS_UDP, Port.DNS_TCP] });
  db.allowInternally(...(shape.replicationPorts ?? [Port.tcp(5433)])); // replication, through the segment's helper
  web.allowTo(Peer.ipv4('198.18.0.0/15'), Port.tcp(8443)); // a CIDR peer through the helper of the segment renamed below
  for (let i = 0; i < 8; i++) new AllowFlow(flows, `PartnerOut${i}`, { from: web, to: Peer.ipv4(`192.0.2.${i * 16}/28`), ports: [Port.tcp(9000 + i)] });
  if (shape.denyWebToDb) new DenyFlow(flows, 'NoWebToDb', { from: web, to: db });
}

/** What a flow (or guardrail) of the "before" program asks, to be asked again of the "after" JSON. */
interface FlowFacts {
  readonly path: string;
  readonly from: ReturnType<typeof endpointOfArg>;
  readonly to: ReturnType<typeof endpointOfArg>;
  readonly ports: readonly Port[];
}

/** One synthesis: the model the evaluator reads, the flows declared, and the warnings. */
interface Synthesis {
  readonly model: TerraformModel;
  readonly flows: ReadonlyMap<string, FlowFacts>;
  readonly guardrails: ReadonlySet<string>;
  readonly warnings: string[];
}

function synthesize(shape: Shape, allocationFile: string): Synthesis {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-azure-safety-'));
  const app = new App({ outdir, stackTraces: false, context: { [ALLOCATION_FILE_CONTEXT]: allocationFile } });
  build(app, shape);
  app.synth();
  const flows = new Map<string, FlowFacts>();
  const guardrails = new Set<string>();
  const warnings: string[] = [];
  for (const construct of app.node.findAll()) {
    if (AllowFlow.isAllowFlow(construct)) {
      const facts = { path: construct.node.path, from: endpointOf(construct.from), to: endpointOf(construct.to), ports: construct.ports };
      flows.set(construct.node.path, facts);
    }
    if (DenyFlow.isDenyFlow(construct)) guardrails.add(construct.node.path);
    warnings.push(...construct.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data)));
  }
  return { model: loadTerraform(outdir), flows, guardrails, warnings };
}

function endpointOf(endpoint: unknown): ReturnType<typeof endpointOfArg> {
  return endpointOfArg(endpoint as IConstruct);
}

/** The resources a change destroys or replaces, and what it creates. */
interface Impact {
  /** Keys (`<stack>/<type>.<name>`) gone after the change. */
  readonly destroyed: string[];
  /** Keys whose ForceNew arguments changed. */
  readonly replaced: string[];
  /** Keys new after the change. */
  readonly created: string[];
  /** Keys kept, with both versions. */
  readonly kept: Array<{ before: TerraformResource; after: TerraformResource }>;
}

function impactOf(before: TerraformModel, after: TerraformModel): Impact {
  const destroyed: string[] = [];
  const replaced: string[] = [];
  const kept: Impact['kept'] = [];
  for (const resource of before.resources) {
    const forceNew = FORCE_NEW[resource.type];
    if (!forceNew) continue;
    const next = after.resource(resource.key);
    if (!next) {
      destroyed.push(resource.key);
      continue;
    }
    if (forceNew.some((field) => JSON.stringify(resource.body[field]) !== JSON.stringify(next.body[field]))) replaced.push(resource.key);
    kept.push({ before: resource, after: next });
  }
  const created = after.resources.filter((r) => FORCE_NEW[r.type] && !before.resource(r.key)).map((r) => r.key);
  return { destroyed: destroyed.sort(), replaced: replaced.sort(), created: created.sort(), kept };
}

/**
 * The state of the estate while Terraform applies the change: the resources it keeps, as they were
 * (an in-place update happens at some point of the apply), without those it destroys or replaces
 * (destroyed first, or in parallel with the creation of their successors) and without those it
 * creates (not there yet).
 */
function duringApply(before: TerraformModel, impact: Impact): TerraformModel {
  const gone = new Set([...impact.destroyed, ...impact.replaced]);
  const stacks: Record<string, object> = {};
  for (const stack of before.stacks) {
    const json = JSON.parse(JSON.stringify(stack.json));
    for (const [type, byName] of Object.entries<Record<string, unknown>>(json.resource ?? {})) {
      for (const name of Object.keys(byName)) if (gone.has(`${stack.name}/${type}.${name}`)) delete byName[name];
    }
    stacks[stack.name] = json;
  }
  return loadTerraformStacks(stacks);
}

/**
 * Traffic that a change interrupts: a port of a flow declared before the change that is allowed
 * after it, but not while the change is applied (the resources that served it are destroyed or
 * replaced, and nothing kept serves it). Guardrails: a deny rule destroyed or replaced while its
 * DenyFlow is still declared (its traffic would pass while the rule is gone).
 */
function interruptedFlows(before: Synthesis, after: Synthesis, impact: Impact): string[] {
  const interrupted: string[] = [];
  const during = duringApply(before.model, impact);
  for (const flow of before.flows.values()) {
    for (const port of flow.ports) {
      if (allowedIn(after.model, flow, port) && !allowedIn(during, flow, port)) interrupted.push(`${flow.path} ${port.toString()}`);
    }
  }
  for (const key of [...impact.destroyed, ...impact.replaced]) {
    for (const guardrail of before.model.resource(key)!.guardrails) if (after.guardrails.has(guardrail)) interrupted.push(`${key}: guardrail ${guardrail}`);
  }
  return interrupted;
}

function allowedIn(model: TerraformModel, flow: FlowFacts, port: Port): boolean {
  try {
    return evaluate(model, { from: flow.from, to: flow.to, port: portOfArg(port) }).allowed;
  } catch {
    return false; // an endpoint that no longer exists allows nothing
  }
}

/**
 * Applies that would fail: a rule whose priority or name another rule of the same NSG and direction
 * held before the change (Azure refuses two rules with one priority, even when two rules swap
 * theirs in one apply), and duplicates within the result.
 */
function conflicts(before: TerraformModel, after: TerraformModel): string[] {
  const slotsOf = (model: TerraformModel) => {
    const facts = azureFacts(estateOf(model));
    const slots = new Map<string, string>();
    const names = new Map<string, string>();
    const problems: string[] = [];
    for (const rule of model.resourcesOfType('azurerm_network_security_rule')) {
      const nsg = facts.nsgOfRule(rule);
      const slot = `${nsg}|${String(rule.body.direction)}|${String(rule.body.priority)}`;
      const name = `${nsg}|${String(rule.body.name)}`;
      if (slots.has(slot)) problems.push(`two rules at ${slot}: ${slots.get(slot)} and ${rule.key}`);
      if (names.has(name)) problems.push(`two rules named ${name}: ${names.get(name)} and ${rule.key}`);
      slots.set(slot, rule.key);
      names.set(name, rule.key);
    }
    return { slots, names, problems };
  };
  const previous = slotsOf(before);
  const next = slotsOf(after);
  const problems = [...next.problems];
  for (const [slot, key] of next.slots) {
    const holder = previous.slots.get(slot);
    if (holder !== undefined && holder !== key) problems.push(`${key} takes ${slot}, which ${holder} held before`);
  }
  for (const [name, key] of next.names) {
    const holder = previous.names.get(name);
    if (holder !== undefined && holder !== key && after.resource(holder) === undefined) problems.push(`${key} takes the name ${name} of ${holder}, destroyed in the same apply`);
  }
  return problems;
}

/** Rules present before and after whose name or priority changed (neither may move). */
function movedRules(impact: Impact): string[] {
  return impact.kept
    .filter(({ before }) => before.type === 'azurerm_network_security_rule')
    .filter(({ before, after }) => before.body.name !== after.body.name || before.body.priority !== after.body.priority)
    .map(({ before, after }) => `${before.key}: ${String(before.body.name)}@${String(before.body.priority)} -> ${String(after.body.name)}@${String(after.body.priority)}`);
}

/** The first syntheses of the "before" versions (most changes start from a layout's base estate). */
const firstSyntheses = new FirstSyntheses(synthesize);

/** Synthesizes `before`, then `after` with the allocation file of the first synthesis. */
function change(before: Shape, after: Shape) {
  const allocationFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-allocations-')), 'microseg.allocations.json');
  const first = firstSyntheses.of(before, allocationFile);
  const second = synthesize(after, allocationFile);
  const impact = impactOf(first.model, second.model);
  return {
    first,
    second,
    impact,
    interrupted: interruptedFlows(first, second, impact),
    conflicts: conflicts(first.model, second.model),
    moved: movedRules(impact),
    stackMoves: second.warnings.filter((w) => w.includes('microseg-rule-moves-stack')),
  };
}

/** The rules of a model that serve a flow (by construct path suffix). */
function rulesServing(model: TerraformModel, flow: string): TerraformResource[] {
  return model.resourcesOfType('azurerm_network_security_rule').filter((r) => r.flows.some((f) => f.endsWith(`/${flow}`)));
}

const typeOf = (key: string) => key.split('/')[1].split('.')[0];
const ofType = (keys: readonly string[], type: string) => keys.filter((k) => typeOf(k) === type);

describe.each(['one', 'two'] as const)('Azure NSG change safety (%s-stack layout)', (layout) => {
  const base: Shape = { layout };
  const names = stackNames(layout);
  const flowsAt = (stack: string) => (flow: string) => `${stack}/${flow}`;
  const flowPath = flowsAt(names.flows);

  test('the unchanged estate synthesizes byte-identical JSON, and nothing moves', () => {
    // GIVEN the estate WHEN synthesized twice
    const result = change(base, base);
    // THEN
    expect(result.impact).toMatchObject({ destroyed: [], replaced: [], created: [] });
    expect(result.moved).toEqual([]);
    expect(result.stackMoves).toEqual([]);
    expect(result.interrupted).toEqual([]);
    for (const stack of result.first.model.stacks) {
      expect(JSON.stringify(result.second.model.stack(stack.name)!.json)).toBe(JSON.stringify(stack.json));
    }
    // and the estate does what it says
    expect(result.second.model).toAllowFlow(`${names.net}/web1`, `${names.net}/app1`, Port.tcp(8080));
    expect(result.second.model).toDenyFlow(`${names.net}/web1`, `${names.net}/db1`, Port.POSTGRES);
  });

  test('adding a flow creates its rules only', () => {
    const result = change(base, { ...base, webToCache: true });
    expect(result.impact.destroyed).toEqual([]);
    expect(result.impact.replaced).toEqual([]);
    // one rule per NSG (subnet + 4 NIC NSGs) per direction
    expect(ofType(result.impact.created, 'azurerm_network_security_rule')).toHaveLength(10);
    expect(result.moved).toEqual([]);
    expect(result.stackMoves).toEqual([]);
    expect(result.interrupted).toEqual([]);
    expect(result.conflicts).toEqual([]);
    expect(result.second.model).toAllowFlow(`${names.net}/web1`, `${names.net}/db1`, Port.tcp(6379));
  });

  test('removing a flow destroys its rules only, and its traffic is denied after', () => {
    const result = change(base, { ...base, appToDb: false });
    expect(result.impact.destroyed).toHaveLength(10);
    expect(result.impact.destroyed.every((key) => result.first.model.resource(key)!.flows.includes(flowPath('AppToDb')))).toBe(true);
    expect(result.impact.replaced).toEqual([]);
    expect(result.moved).toEqual([]);
    expect(result.stackMoves).toEqual([]);
    expect(result.interrupted).toEqual([]);
    expect(result.second.model).toDenyFlow(`${names.net}/app1`, `${names.net}/db1`, Port.POSTGRES);
  });

  test.each([
    ['adding tcp/8081 as a second flow', base, { ...base, webToApp8081Flow: true }],
    ['removing the tcp/8081 flow', { ...base, webToApp8081Flow: true }, base],
    ['adding tcp/8081 as a second port of the flow', base, { ...base, webToAppPorts: [Port.tcp(8080), Port.tcp(8081)] }],
    ['removing tcp/8081 from the flow', { ...base, webToAppPorts: [Port.tcp(8080), Port.tcp(8081)] }, base],
    ['editing the flow\'s port (8080 to 8443)', base, { ...base, webToAppPorts: [Port.tcp(8443)] }],
    ['widening the flow\'s port to a range', base, { ...base, webToAppPorts: [Port.tcpRange(8080, 8090)] }],
  ])('%s updates the 8080 rules in place: same addresses, names and priorities', (_, before, after) => {
    const result = change(before, after);
    expect(result.impact).toMatchObject({ destroyed: [], replaced: [], created: [] });
    expect(result.moved).toEqual([]);
    expect(result.stackMoves).toEqual([]);
    expect(result.interrupted).toEqual([]);
    expect(result.conflicts).toEqual([]);
    const rules = rulesServing(result.second.model, 'WebToApp');
    expect(rules).toHaveLength(10);
    const ports = (after.webToAppPorts ?? [Port.tcp(8080)]).map((p) => `${p.toString()}`);
    for (const port of [...ports, ...(after.webToApp8081Flow ? [Port.tcp(8081).toString()] : [])]) {
      expect(result.second.model).toAllowFlow(`${names.net}/web1`, `${names.net}/app1`, port);
    }
  });

  test('a port added to a flow declared through a segment\'s helper (a new construct) updates the rule between the two segments in place', () => {
    // GIVEN db.allowInternally(tcp/5433) WHEN it becomes db.allowInternally(tcp/5433, tcp/5434)
    const result = change(base, { ...base, replicationPorts: [Port.tcp(5433), Port.tcp(5434)] });
    // THEN the flow's construct path changes, but its rules are those between Db and Db: updated in place
    expect(result.impact).toMatchObject({ destroyed: [], replaced: [], created: [] });
    expect(result.moved).toEqual([]);
    expect(result.stackMoves).toEqual([]);
    expect(result.interrupted).toEqual([]);
    const rules = result.second.model.resourcesOfType('azurerm_network_security_rule').filter((r) => r.body.destination_port_range === '5433-5434');
    expect(rules).toHaveLength(10);
    expect(rules.map((r) => r.flows)).toEqual(Array(10).fill([`${names.net}/Db/AllowInternal-tcp-5433_tcp-5434`]));
  });

  test('the 8080 rule after adding 8081 as a second flow: one rule, both flows, both ports, in place', () => {
    const result = change(base, { ...base, webToApp8081Flow: true });
    const before = rulesServing(result.first.model, 'WebToApp').find((r) => r.body.direction === 'Inbound' && String(r.body.network_security_group_name).includes('SubnetNsg0'))!;
    const after = result.second.model.resource(before.key)!;
    expect(after.body).toMatchObject({ name: before.body.name, priority: before.body.priority, destination_port_range: '8080-8081', protocol: 'Tcp' });
    expect(before.body.destination_port_range).toBe('8080');
    expect(after.flows).toEqual([flowPath('WebToApp'), flowPath('WebToApp8081')]);
  });

  test('adding a workload adds its NIC NSG and ASG association; nothing is destroyed or moves', () => {
    const result = change(base, { ...base, secondAppNic: true });
    expect(result.impact.destroyed).toEqual([]);
    expect(result.impact.replaced).toEqual([]);
    expect(result.moved).toEqual([]);
    expect(result.stackMoves).toEqual([]);
    expect(result.interrupted).toEqual([]);
    expect(result.conflicts).toEqual([]);
    expect(result.second.model).toAllowFlow(`${names.net}/web1`, `${names.net}/app2`, Port.tcp(8080));
  });

  test('removing a workload destroys only its own NSG, its rules and its associations', () => {
    const result = change({ ...base, secondAppNic: true }, base);
    expect(result.impact.replaced).toEqual([]);
    expect(result.moved).toEqual([]);
    expect(result.stackMoves).toEqual([]);
    expect(result.interrupted).toEqual([]);
    for (const key of result.impact.destroyed) {
      const resource = result.first.model.resource(key)!;
      const text = JSON.stringify(resource.body);
      expect(`${key} ${text}`).toMatch(/app2/i);
    }
  });

  test.each([
    ['adding', base, { ...base, secondPartner: true }],
    ['removing', { ...base, secondPartner: true }, base],
  ])('%s a workload outside the VNet updates the address list of the rules naming its segment in place', (_, before, after) => {
    const result = change(before, after);
    expect(result.impact).toMatchObject({ destroyed: [], replaced: [], created: [] });
    expect(result.moved).toEqual([]);
    expect(result.stackMoves).toEqual([]);
    expect(result.interrupted).toEqual([]);
    const rule = rulesServing(result.second.model, 'PartnerApi').find((r) => r.body.direction === 'Inbound' && String(r.body.network_security_group_name).includes('SubnetNsg0'))!;
    // the members' addresses in the order of their identities (PartnerBackup, PartnerGateway)
    expect(rule.body.source_address_prefix ?? rule.body.source_address_prefixes).toEqual(after.secondPartner ? ['203.0.113.20/32', '203.0.113.10/32'] : '203.0.113.10/32');
    expect(result.second.model).toAllowFlow(`${names.net}/PartnerGateway`, `${names.net}/app1`, Port.tcp(9443));
  });

  test('adding a segment creates its ASG and associations; nothing is destroyed or moves', () => {
    const result = change(base, { ...base, reportsSegment: true });
    expect(result.impact.destroyed).toEqual([]);
    expect(result.impact.replaced).toEqual([]);
    expect(result.moved).toEqual([]);
    expect(result.stackMoves).toEqual([]);
    expect(result.interrupted).toEqual([]);
    expect(ofType(result.impact.created, 'azurerm_application_security_group')).toHaveLength(1);
  });

  test('renaming a segment (same stableId) changes nothing at all', () => {
    const result = change(base, { ...base, webId: 'Frontend' });
    expect(result.impact).toMatchObject({ destroyed: [], replaced: [], created: [] });
    expect(result.moved).toEqual([]);
    expect(result.stackMoves).toEqual([]);
    expect(result.interrupted).toEqual([]);
  });

  test('changing a CIDR peer (widening it) updates its rules in place', () => {
    const result = change(base, { ...base, adminCidr: '198.51.100.0/23' });
    expect(result.impact).toMatchObject({ destroyed: [], replaced: [], created: [] });
    expect(result.moved).toEqual([]);
    expect(result.stackMoves).toEqual([]);
    expect(result.interrupted).toEqual([]);
    const rule = rulesServing(result.second.model, 'AdminSsh').find((r) => String(r.body.network_security_group_name).includes('SubnetNsg0'))!;
    expect(rule.body.source_address_prefix).toBe('198.51.100.0/23');
    expect(result.second.model).toAllowFlow('198.51.101.7', `${names.net}/db1`, Port.SSH);
  });

  test('changing a flow\'s description and a segment\'s description updates in place at most', () => {
    const result = change(base, { ...base, webToAppDescription: 'storefront calls the order API', webDescription: 'the storefront' });
    expect(result.impact).toMatchObject({ destroyed: [], replaced: [], created: [] });
    expect(result.moved).toEqual([]);
    expect(result.stackMoves).toEqual([]);
    expect(result.interrupted).toEqual([]);
    expect(rulesServing(result.second.model, 'WebToApp').map((r) => r.body.description)).toEqual(Array(10).fill('storefront calls the order API'));
  });

  test('adding a DenyFlow creates deny rules in the guardrail band; no allow rule moves', () => {
    const result = change({ ...base, webToCache: true }, { ...base, webToCache: true, denyWebToDb: true });
    expect(result.impact.destroyed).toEqual([]);
    expect(result.impact.replaced).toEqual([]);
    expect(result.moved).toEqual([]);
    expect(result.stackMoves).toEqual([]);
    expect(result.interrupted).toEqual([]);
    expect(result.conflicts).toEqual([]);
    expect(result.second.model).toDenyFlow(`${names.net}/web1`, `${names.net}/db1`, Port.tcp(6379));
  });

  test('declaring an existing flow in a second stack adds a copy there; the first stack changes nothing', () => {
    const result = change(base, { ...base, webToAppIn: 'both' });
    expect(result.impact.destroyed).toEqual([]);
    expect(result.impact.replaced).toEqual([]);
    expect(result.moved).toEqual([]);
    expect(result.stackMoves).toEqual([]);
    expect(result.interrupted).toEqual([]);
    expect(result.conflicts).toEqual([]);
    const copies = rulesServing(result.second.model, 'WebToApp');
    expect(copies.map((r) => r.stack).sort()).toEqual([...Array(10).fill(names.flows), ...Array(10).fill(names.other)].sort());
  });

  test('removing either of two declarations never drops the flow', () => {
    for (const remaining of ['flows', 'other'] as const) {
      const result = change({ ...base, webToAppIn: 'both' }, { ...base, webToAppIn: remaining });
      expect(result.impact.replaced).toEqual([]);
      expect(result.impact.created).toEqual([]);
      expect(result.interrupted).toEqual([]);
      expect(result.moved).toEqual([]);
      expect(result.stackMoves).toEqual([]);
      expect(result.stackMoves).toEqual([]);
      expect(result.conflicts).toEqual([]);
      expect(result.interrupted).toEqual([]);
      expect(result.second.model).toAllowFlow(`${names.net}/web1`, `${names.net}/app1`, Port.tcp(8080));
    }
  });

  test('moving a flow\'s declaration to another stack moves its rules: the synth warns that its traffic drops between the two applies', () => {
    // GIVEN WebToApp declared in the flows' stack WHEN its declaration moves to the other stack
    const result = change(base, { ...base, webToAppIn: 'other' });
    // THEN its rules are destroyed in one stack and created in the other: a window, pinned with its warning
    const before = rulesServing(result.first.model, 'WebToApp');
    expect(result.impact.destroyed).toEqual(before.map((r) => r.key).sort());
    expect(ofType(result.impact.created, 'azurerm_network_security_rule').map((key) => key.split('/')[0])).toEqual(Array(10).fill(names.other));
    expect(result.impact.replaced).toEqual([]);
    expect(result.interrupted).toEqual([`${names.flows}/WebToApp tcp/8080`]);
    expect(result.moved).toEqual([]);
    expect(result.conflicts).toEqual([]);
    expect(result.second.warnings.filter((w) => w.includes('microseg-rule-moves-stack'))).toEqual([
      `[microseg-rule-moves-stack] AllowFlow '${names.other}/WebToApp': its Azure NSG rules in '${names.net}/Azure' move from stack '${names.flows}' to stack '${names.other}'. `
      + `Terraform destroys them when '${names.flows}' is applied and creates them when '${names.other}' is applied: its traffic drops between the two applies unless '${names.other}' is applied first. `
      + `Deploy '${names.other}' before '${names.flows}', or declare the flow in both stacks for one deployment and then remove the old declaration.`,
    ]);
    // and the flow works once both stacks are applied
    expect(result.second.model).toAllowFlow(`${names.net}/web1`, `${names.net}/app1`, Port.tcp(8080));
  });

  test('moving a declaration in two steps (declare in both, then remove the old one) never interrupts it and never warns', () => {
    const allocationFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-allocations-')), 'microseg.allocations.json');
    const first = synthesize(base, allocationFile);
    const both = synthesize({ ...base, webToAppIn: 'both' }, allocationFile);
    const last = synthesize({ ...base, webToAppIn: 'other' }, allocationFile);
    for (const [from, to] of [[first, both], [both, last]] as const) {
      const impact = impactOf(from.model, to.model);
      expect(interruptedFlows(from, to, impact)).toEqual([]);
      expect(movedRules(impact)).toEqual([]);
      expect(conflicts(from.model, to.model)).toEqual([]);
      expect(to.warnings.filter((w) => w.includes('microseg-rule-moves-stack'))).toEqual([]);
    }
  });
});

describe('Azure NSG priorities with 400 application rules', () => {
  /** 20 segments of one NIC each, and `flows` flows between ordered pairs of them (two rules each). */
  function buildLarge(app: App, flows: ReadonlyArray<readonly [number, number]>): void {
    const net = azureStack(app, 'large');
    new AzureEnforcement(net.stack, 'Azure', { resourceGroupName: net.rg.name, location: net.rg.location, subnetIds: [net.subnet.id] });
    const segments = Array.from({ length: 20 }, (_, i) => new Segment(net.stack, `Svc${i}`, { selector: { svc: `${i}` } }));
    segments.forEach((_, i) => new Workload(net.stack, `vm${i}`, { binding: AzureBinding.networkInterface(net.nic(`vm${i}-nic`, `10.1.1.${10 + i}`)), labels: { svc: `${i}` } }));
    for (const [from, to] of flows) new AllowFlow(net.stack, `Svc${from}ToSvc${to}`, { from: segments[from], to: segments[to], ports: [Port.tcp(8000 + to)] });
  }
  const pairs: Array<[number, number]> = [];
  for (let from = 0; from < 20; from++) for (let to = 0; to < 20; to++) if (from !== to) pairs.push([from, to]);
  const synthLarge = (flows: ReadonlyArray<readonly [number, number]>, allocationFile: string): TerraformModel => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-azure-large-'));
    const app = new App({ outdir, stackTraces: false, context: { [ALLOCATION_FILE_CONTEXT]: allocationFile } });
    buildLarge(app, flows);
    app.synth();
    return loadTerraform(outdir);
  };

  test('adding and removing flows moves no other rule, and no new rule takes a priority held before', () => {
    // GIVEN 200 flows (400 rules) synthesized once
    const allocationFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-allocations-')), 'microseg.allocations.json');
    const before = synthLarge(pairs.slice(0, 200), allocationFile);
    expect(before.resourcesOfType('azurerm_network_security_rule').filter((r) => r.flows.length > 0)).toHaveLength(400);
    // WHEN 20 flows are removed and 30 others added in one change
    const after = synthLarge([...pairs.slice(20, 200), ...pairs.slice(200, 230)], allocationFile);
    // THEN every rule that stays keeps its address, name and priority, and the apply meets no duplicate
    const impact = impactOf(before, after);
    expect(impact.replaced).toEqual([]);
    expect(impact.destroyed).toHaveLength(40);
    expect(impact.created).toHaveLength(60);
    expect(movedRules(impact)).toEqual([]);
    expect(conflicts(before, after)).toEqual([]);
  });
});

describe('Azure subnet NSGs when subnetIds changes', () => {
  /** Subnets A, B and C of one VNet, Web and App NICs in B, Web -> App on 8080, and the enforcement's subnets as listed. */
  function synthSubnets(subnets: ReadonlyArray<'A' | 'B' | 'C'>, allocationFile: string): TerraformModel {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-azure-subnets-'));
    const app = new App({ outdir, stackTraces: false, context: { [ALLOCATION_FILE_CONTEXT]: allocationFile } });
    const net = azureStack(app, 'net');
    const subnet = (name: string, prefix: string) => new Subnet(net.stack, name, {
      name, resourceGroupName: net.rg.name, virtualNetworkName: net.vnet.name, addressPrefixes: [prefix],
    });
    const byName = { A: subnet('A', '10.1.10.0/24'), B: subnet('B', '10.1.20.0/24'), C: subnet('C', '10.1.30.0/24') };
    new AzureEnforcement(net.stack, 'Azure', { resourceGroupName: net.rg.name, location: net.rg.location, subnetIds: subnets.map((name) => byName[name].id) });
    const nic = (id: string, ip: string) => new NetworkInterface(net.stack, id, {
      name: id,
      resourceGroupName: net.rg.name,
      location: net.rg.location,
      ipConfiguration: [{ name: 'primary', subnetId: byName.B.id, privateIpAddressAllocation: 'Static', privateIpAddress: ip }],
    });
    const web = new Workload(net.stack, 'Web', { binding: AzureBinding.networkInterface(nic('web-nic', '10.1.20.10')) });
    const api = new Workload(net.stack, 'App', { binding: AzureBinding.networkInterface(nic('app-nic', '10.1.20.11')) });
    new AllowFlow(net.stack, 'WebToApp', { from: web, to: api, ports: [Port.tcp(8080)] });
    app.synth();
    return loadTerraform(outdir);
  }
  const newAllocationFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-allocations-')), 'microseg.allocations.json');
  /** Which subnet each subnet NSG's association names, by the NSG's construct id. */
  const associations = (model: TerraformModel) => Object.fromEntries(model.resourcesOfType('azurerm_subnet_network_security_group_association')
    .map((a) => [/SubnetNsg\d+/.exec(String(a.body.network_security_group_id))![0], /azurerm_subnet\.([A-Z])\./.exec(String(a.body.subnet_id))![1]]));
  const allowed = (model: TerraformModel) => evaluate(model, { from: 'net/Web', to: 'net/App', port: 'tcp/8080' }).allowed;

  test('a first synthesis names the NSGs by position, as programs written before the allocation did', () => {
    expect(associations(synthSubnets(['A', 'B', 'C'], newAllocationFile()))).toEqual({ SubnetNsg0: 'A', SubnetNsg1: 'B', SubnetNsg2: 'C' });
  });

  test.each([
    ['removing the first subnet', ['A', 'B'], ['B'], { SubnetNsg1: 'B' }, 'A'],
    ['inserting a subnet before the others', ['B'], ['C', 'B'], { SubnetNsg0: 'B', SubnetNsg1: 'C' }, undefined],
    ['reordering the subnets', ['A', 'B'], ['B', 'A'], { SubnetNsg0: 'A', SubnetNsg1: 'B' }, undefined],
  ] as const)('%s keeps every other subnet\'s NSG, association and rules where they are, and the flow allowed', (_change, before, after, named, removed) => {
    // GIVEN the estate synthesized with the first list
    const allocationFile = newAllocationFile();
    const first = synthSubnets(before, allocationFile);
    expect(allowed(first)).toBe(true);
    // WHEN the list changes
    const second = synthSubnets(after, allocationFile);
    // THEN only the removed subnet's NSG goes; nothing is replaced and no rule moves
    expect(associations(second)).toEqual(named);
    const impact = impactOf(first, second);
    expect(impact.replaced).toEqual([]);
    // the removed subnet's NSG, its association and deny rules (`SubnetNsg<n>`), and its flow rules (`-subnet<n>-`)
    const removedNumber = removed === undefined ? undefined : Object.entries(associations(first)).find(([, subnetName]) => subnetName === removed)![0].slice('SubnetNsg'.length);
    const ofRemoved = (key: string) => removedNumber !== undefined && (key.includes(`SubnetNsg${removedNumber}`) || key.includes(`-subnet${removedNumber}-`));
    expect(impact.destroyed.filter((key) => !ofRemoved(key))).toEqual([]);
    expect(impact.destroyed.length > 0).toBe(removed !== undefined);
    expect(movedRules(impact)).toEqual([]);
    expect(allowed(second)).toBe(true);
  });
});
