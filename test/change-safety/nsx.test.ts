import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { FirstSyntheses } from './first-syntheses';
import { CHANGES, EstateChange, NsxEstateSpec, NsxImpact, NsxSynth, baseEstate, buildEstate, impactOf, synthEstate } from './nsx-estate';
import { AllowFlow, Port, Segment } from '../../lib';

// Issue 12, "Identity that makes change safe", on vSphere + NSX: each change of the list applied
// alone to a realistic estate (one stack, and two stacks where a team stack declares flows against
// the data-centre stack's segments). For every resource the apply destroys or replaces, the flows it
// served must no longer be allowed; untouched rules keep their address and sequence_number; a new
// rule never takes a number another rule held; and a move the platform cannot make gap-free warns.

interface Outcome {
  readonly before: NsxSynth;
  readonly after: NsxSynth;
  readonly impact: NsxImpact;
  readonly warnings: string[];
}

/** The first syntheses of the "before" versions (most changes start from the base estate). */
const firstSyntheses = new FirstSyntheses((spec: NsxEstateSpec, allocationFile: string) => synthEstate(buildEstate(spec, allocationFile)));

function applyChange(change: EstateChange, twoStacks: boolean): Outcome & { readonly beforeSpec: NsxEstateSpec; readonly afterSpec: NsxEstateSpec } {
  const base = baseEstate(twoStacks);
  const beforeSpec = change.before ? change.before(base) : base;
  const afterSpec = change.after(base);
  // the allocation file a project commits beside cdktf.json, carried from one synthesis to the next
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-alloc-')), 'microseg.allocations.json');
  const before = firstSyntheses.of(beforeSpec, file);
  const afterApp = buildEstate(afterSpec, file);
  const after = synthEstate(afterApp);
  return { before, after, impact: impactOf(before, after), warnings: warningsOf(afterApp), beforeSpec, afterSpec };
}

function warningsOf(app: App): string[] {
  return app.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data))).filter((w) => w.startsWith('[microseg-rule-moves-stack]')).sort();
}

/** The traffic a flow of the spec allows, as evaluator endpoints: a VM of each segment, a host of each CIDR, the first port. */
function trafficOf(spec: NsxEstateSpec, flowPath: string): { from: string; to: string; port: string } {
  const id = Object.keys(spec.flows).find((f) => flowPath.endsWith(`/${f}`))
    ?? Object.keys(spec.flows).find((f) => spec.flows[f].viaSegmentMethod && flowPath.startsWith(`dc/${spec.flows[f].to}/AllowFrom-`));
  if (!id) throw new Error(`no flow of the estate has the path ${flowPath}`);
  const flow = spec.flows[id];
  const endpoint = (name: string) => {
    if (name.startsWith('cidr:')) return name.slice(5).replace(/0\/\d+$/, '7');
    const tier = spec.segments[name].tier;
    return `dc/${Object.keys(spec.vms).find((vm) => spec.vms[vm] === tier)}`;
  };
  return { from: endpoint(flow.from), to: endpoint(flow.to), port: flow.ports[0].replace(/-\d+$/, '') };
}

/** Every flow the spec declares, by the path of its declaration(s). */
function declaredFlowPaths(spec: NsxEstateSpec): string[] {
  return Object.entries(spec.flows).flatMap(([id, f]) => {
    if (f.viaSegmentMethod) return [];
    return [`${spec.teamFlows.includes(id) ? 'team' : 'dc'}/${id}`, ...((spec.alsoInTeam ?? []).includes(id) ? [`team/${id}`] : [])];
  });
}

/** The rules of every stack: `stack:type.name` to the rule, with its policy (application or guardrail). */
function rulesOf(synth: NsxSynth): Map<string, { policy: string; sequence: number; flows: string[] }> {
  const rules = new Map<string, { policy: string; sequence: number; flows: string[] }>();
  for (const [stack, s] of Object.entries(synth.stacks)) {
    for (const [name, rule] of Object.entries<any>(s.json.resource?.nsxt_policy_security_policy_rule ?? {})) {
      const policy = /GuardrailPolicy/.test(rule.policy_path) ? 'guardrail' : 'application';
      rules.set(`${stack}:${name}`, { policy, sequence: rule.sequence_number, flows: rule['//']?.microseg?.flows ?? [] });
    }
  }
  return rules;
}

/** The expected destroyed or replaced resources (a fragment of each address, sorted) per change. */
const EXPECTED_DISRUPTIONS: Record<string, string[]> = {
  'remove a flow': ['dc:nsxt_policy_security_policy_rule.Nsx_Rule-dc-ApiToDb-', 'dc:nsxt_policy_service.Nsx_Service-dc-ApiToDb-'],
  'remove an adjacent port declared as a second flow': ['dc:nsxt_policy_security_policy_rule.Nsx_Rule-dc-WebToApi8081-', 'dc:nsxt_policy_service.Nsx_Service-dc-WebToApi8081-'],
  'remove a workload': ['dc:nsxt_policy_vm_tags.WebVm2_NsxTags_', 'dc:vsphere_virtual_machine.webvm2'],
  'move a flow\'s declaration to another stack': ['dc:nsxt_policy_security_policy_rule.Nsx_Rule-dc-ApiToDb-', 'dc:nsxt_policy_service.Nsx_Service-dc-ApiToDb-'],
};

/** Changes whose apply the platform cannot make gap-free on its own: the exact warning. */
const EXPECTED_WARNINGS: Record<string, string[]> = {
  'move a flow\'s declaration to another stack': [
    '[microseg-rule-moves-stack] AllowFlow \'team/ApiToDb\': its NSX rule in the policy of \'dc/Nsx\' moves from stack \'dc\' (which no longer declares it) to stack \'team\'. Apply \'team\' first: NSX accepts the new rule next to the old one, so nothing drops. If \'dc\' is applied first, its traffic drops until \'team\' is applied.',
  ],
};

describe.each([
  ['one stack', false],
  ['two stacks', true],
])('NSX change safety, %s', (_layout, twoStacks) => {
  const changes = CHANGES.filter((c) => twoStacks || !c.twoStacksOnly);

  test.each(changes.map((c) => [c.name, c] as const))('%s', (name, change) => {
    // GIVEN the estate synthesized before the change, WHEN the change is synthesized with the same allocation file
    const { before, after, impact, warnings, beforeSpec, afterSpec } = applyChange(change, twoStacks);

    // THEN exactly the expected resources are destroyed or replaced
    const disrupted = impact.disruptions.map((d) => d.address).sort();
    const expected = EXPECTED_DISRUPTIONS[name] ?? [];
    expect(disrupted).toHaveLength(expected.length);
    expected.forEach((fragment, i) => expect(disrupted[i].startsWith(fragment)).toBe(true));
    expect(impact.disruptions.filter((d) => d.kind === 'replaced')).toEqual([]);

    // and no flow such a resource served is still allowed, unless the synth warned about it
    const served = [...new Set(impact.disruptions.flatMap((d) => d.flows))].sort();
    const stillAllowed = served.filter((flow) => {
      const t = trafficOf(beforeSpec, flow);
      return after.allowed(t.from, t.to, t.port);
    });
    expect(stillAllowed).toEqual(EXPECTED_WARNINGS[name] ? served : []);
    expect(warnings).toEqual(EXPECTED_WARNINGS[name] ?? []);

    // and every rule present before and after keeps its address and sequence_number
    expect(impact.movedSequences).toEqual({});
    const rulesBefore = rulesOf(before);
    const rulesAfter = rulesOf(after);
    for (const [address, rule] of rulesBefore) {
      if (rulesAfter.has(address)) expect({ address, sequence: rulesAfter.get(address)!.sequence }).toEqual({ address, sequence: rule.sequence });
    }
    // a new rule never takes a number a rule of the previous synthesis held (in its policy), and
    // no two rules of one policy share a number (NSX would order them at random)
    for (const [address, rule] of rulesAfter) {
      if (rulesBefore.has(address)) continue;
      const held = [...rulesBefore.entries()].filter(([a, r]) => r.policy === rule.policy && !sameRuleMoved(a, address)).map(([, r]) => r.sequence);
      expect({ address, taken: held.includes(rule.sequence) }).toEqual({ address, taken: false });
    }
    for (const policy of ['application', 'guardrail']) {
      const numbers = [...rulesAfter.values()].filter((r) => r.policy === policy).map((r) => r.sequence);
      expect(new Set(numbers).size).toBe(numbers.length);
    }

    // and every flow declared after the change is allowed; one declared before and after, unchanged, too
    for (const flow of declaredFlowPaths(afterSpec)) {
      const t = trafficOf(afterSpec, flow);
      expect({ flow, allowed: after.allowed(t.from, t.to, t.port) }).toEqual({ flow, allowed: true });
    }
    // the guardrail still denies
    expect(after.allowed('dc/WebVm1', 'dc/DbVm', 'tcp/23')).toBe(false);
  });

  test('an unchanged estate synthesizes byte-identical JSON and keeps every sequence number', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-alloc-')), 'microseg.allocations.json');
    const first = synthEstate(buildEstate(baseEstate(twoStacks), file));
    const second = synthEstate(buildEstate(baseEstate(twoStacks), file));
    for (const stack of Object.keys(first.stacks)) expect(second.stacks[stack].text).toBe(first.stacks[stack].text);
    const allocations = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(Object.keys(allocations.slots).sort()).toEqual(['nsx:dc/Nsx:allow', 'nsx:dc/Nsx:guardrail-deny']);
  });
});

/** Whether two addresses are the one rule that moved to another stack (the same flow identity keeps its number). */
function sameRuleMoved(oldAddress: string, newAddress: string): boolean {
  const name = (address: string) => address.split(':')[1].replace(/^Microseg_Nsx-dc-Nsx_/, 'Nsx_').replace(/_[0-9A-F]{8}$/, '');
  return oldAddress.split(':')[0] !== newAddress.split(':')[0] && name(oldAddress) === name(newAddress);
}

describe('NSX change safety: exact fields', () => {
  test('editing a flow\'s ports updates its own service in place; another flow with the same ports has its own service, untouched', () => {
    // GIVEN two flows on tcp/8080 (WebToApi and a second one from Db)
    const base = baseEstate(false);
    const twin: NsxEstateSpec = { ...base, flows: { ...base.flows, DbToApi: { from: 'Db', to: 'Api', ports: ['tcp/8080'] } } };
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-alloc-')), 'microseg.allocations.json');
    const before = synthEstate(buildEstate(twin, file));
    // WHEN WebToApi moves to tcp/8090
    const after = synthEstate(buildEstate({ ...twin, flows: { ...twin.flows, WebToApi: { ...twin.flows.WebToApi, ports: ['tcp/8090'] } } }, file));

    // THEN the same service address now carries 8090, and the twin's service is byte-identical
    const services = (s: NsxSynth) => s.stacks.dc.json.resource.nsxt_policy_service;
    const own = Object.keys(services(before)).find((n) => n.includes('Service-dc-WebToApi-'))!;
    const twinService = Object.keys(services(before)).find((n) => n.includes('Service-dc-DbToApi-'))!;
    expect(services(after)[own].l4_port_set_entry).toEqual([{ display_name: 'TCP 8090', protocol: 'TCP', destination_ports: ['8090'] }]);
    expect(services(after)[twinService]).toEqual(services(before)[twinService]);
    expect(Object.keys(services(after)).sort()).toEqual(Object.keys(services(before)).sort());
    // and the rule keeps its address, number and service reference
    const rules = (s: NsxSynth) => s.stacks.dc.json.resource.nsxt_policy_security_policy_rule;
    const rule = Object.keys(rules(before)).find((n) => n.includes('Rule-dc-WebToApi-'))!;
    expect(rules(after)[rule]).toEqual(expect.objectContaining({ sequence_number: rules(before)[rule].sequence_number, services: [`\${nsxt_policy_service.${own}.path}`] }));
    expect(after.allowed('dc/WebVm1', 'dc/ApiVm', 'tcp/8090')).toBe(true);
    expect(after.allowed('dc/WebVm1', 'dc/ApiVm', 'tcp/8080')).toBe(false);
    expect(after.allowed('dc/DbVm', 'dc/ApiVm', 'tcp/8080')).toBe(true);
  });

  test('changing a CIDR peer updates the flow\'s own address group in place', () => {
    const base = baseEstate(false);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-alloc-')), 'microseg.allocations.json');
    const before = synthEstate(buildEstate(base, file));
    const after = synthEstate(buildEstate({ ...base, flows: { ...base.flows, Internet: { ...base.flows.Internet, from: 'cidr:192.0.2.0/24' } } }, file));
    const groups = (s: NsxSynth) => s.stacks.dc.json.resource.nsxt_policy_group;
    const name = Object.keys(groups(before)).find((n) => n.includes('Addresses-peer-dc-Internet-from-'))!;
    expect(groups(before)[name].criteria).toEqual([{ ipaddress_expression: { ip_addresses: ['198.51.100.0/24'] } }]);
    expect(groups(after)[name].criteria).toEqual([{ ipaddress_expression: { ip_addresses: ['192.0.2.0/24'] } }]);
    expect(groups(after)[name].lifecycle).toEqual({ create_before_destroy: true });
    expect(after.allowed('192.0.2.7', 'dc/WebVm1', 'tcp/443')).toBe(true);
    expect(after.allowed('198.51.100.7', 'dc/WebVm1', 'tcp/443')).toBe(false);
  });

  test('renaming a segment that keeps its identity (stableId = its former path) changes no NSX resource but display names (in place)', () => {
    const base = baseEstate(false);
    const rename = CHANGES.find((c) => c.name === 'rename a segment')!;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-alloc-')), 'microseg.allocations.json');
    const before = synthEstate(buildEstate(base, file));
    const after = synthEstate(buildEstate(rename.after(base), file));
    // the default descriptions of the flows name the segment's construct id ("Frontend to Api ...")
    const nsx = (s: NsxSynth) => Object.fromEntries(Object.entries<any>(s.stacks.dc.json.resource).filter(([type]) => type.startsWith('nsxt_')).map(([type, byName]) => [type, withoutMetadata(byName)]));
    expect(nsx(after)).toEqual(nsx(before));
    const rules = Object.values<any>(after.stacks.dc.json.resource.nsxt_policy_security_policy_rule);
    expect(rules.map((r) => r.display_name)).toContain('Frontend to Api tcp/9100-9110');
  });

  test('a flow a second stack declares under the same identity stays in its stack; the rule lists both declarations', () => {
    const base = baseEstate(true);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-alloc-')), 'microseg.allocations.json');
    synthEstate(buildEstate(base, file));
    const after = synthEstate(buildEstate({ ...base, alsoInTeam: ['ApiToDb'] }, file));
    const dcRule = Object.entries<any>(after.stacks.dc.json.resource.nsxt_policy_security_policy_rule).find(([n]) => n.includes('Rule-dc-ApiToDb-'))![1];
    expect(dcRule['//'].microseg.flows).toEqual(['dc/ApiToDb', 'team/ApiToDb']);
    expect(Object.keys(after.stacks.team.json.resource.nsxt_policy_security_policy_rule).filter((n) => n.includes('ApiToDb'))).toEqual([]);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).owners['nsx:dc/Nsx:dc/ApiToDb']).toBe('dc');
  });

  test('the owner of a flow two stacks declare does not depend on declaration order, and stays where the allocation file says', () => {
    // GIVEN team declares dc/ApiToDb's flow before dc does, in an app without a previous synthesis
    const build = (file: string, order: 'team-first' | 'dc-first') => {
      const base = baseEstate(true);
      const app = buildEstate({ ...base, flows: Object.fromEntries(Object.entries(base.flows).filter(([id]) => id !== 'ApiToDb')) }, file);
      const dc = app.node.findChild('dc');
      const [api, db] = [dc.node.findChild('Api') as Segment, dc.node.findChild('Db') as Segment];
      const declare = (scope: any) => new AllowFlow(scope, 'ApiToDb', { from: api, to: db, ports: [Port.POSTGRES], stableId: 'dc/ApiToDb' });
      for (const scope of order === 'team-first' ? [app.node.findChild('team'), dc] : [dc, app.node.findChild('team')]) declare(scope);
      return synthEstate(app);
    };
    const ruleStacks = (synth: NsxSynth) => Object.entries(synth.stacks).filter(([, s]) => Object.keys(s.json.resource?.nsxt_policy_security_policy_rule ?? {}).some((n) => n.includes('Rule-dc-ApiToDb-'))).map(([name]) => name);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-alloc-')), 'microseg.allocations.json');

    // WHEN / THEN the first stack in sorted order holds it, whatever the order
    expect(ruleStacks(build(file, 'team-first'))).toEqual(['dc']);
    expect(ruleStacks(build(file, 'dc-first'))).toEqual(['dc']);
    // and an owner the file records keeps it while it declares the flow
    const content = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, JSON.stringify({ ...content, owners: { ...content.owners, 'nsx:dc/Nsx:dc/ApiToDb': 'team' } }));
    expect(ruleStacks(build(file, 'dc-first'))).toEqual(['team']);
  });

  test('a second declaration under the same identity that means something else is a synth error', () => {
    // GIVEN team declares a flow under dc/ApiToDb's identity, but on another port
    const app = buildEstate(baseEstate(true));
    const dc = app.node.findChild('dc');
    new AllowFlow(app.node.findChild('team'), 'Other', { from: dc.node.findChild('Api') as Segment, to: dc.node.findChild('Db') as Segment, ports: [Port.tcp(5433)], stableId: 'dc/ApiToDb' });

    // WHEN / THEN
    expect(() => synthEstate(app)).toThrow("AllowFlow 'team/Other' has the identity \"dc/ApiToDb\" of AllowFlow 'dc/ApiToDb' but means something else (allow dc/Api to dc/Db tcp/5433 instead of allow dc/Api to dc/Db tcp/5432). One identity is one flow: give this one its own stableId, or declare the same ends and ports.");
  });
});

function withoutMetadata(byName: Record<string, any>): Record<string, any> {
  return Object.fromEntries(Object.entries(byName).map(([name, body]) => {
    const { ['//']: _meta, display_name: _displayName, ...rest } = body;
    return [name, rest];
  }));
}
