import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, TerraformStack } from 'cdktf';
import { AllowFlow, DenyFlow, NsxEnforcement, nsxt, Peer, Port, Segment, Workload, VsphereBinding } from '../../lib';
import { evaluate, loadTerraformStacks } from '../../lib/verify';
import { SynthesizedStack, synthApp } from '../helpers';
import { nsxStack, vm } from '../vsphere/nsx-fixtures';

/**
 * What a realistic NSX estate declares, as data, so that a change-safety test can build it, apply one
 * change to the data and build it again. Stack `dc` holds the enforcement, the segments and the VMs;
 * in the two-stack layout, stack `team` declares the flows listed in `teamFlows`.
 */
export interface NsxEstateSpec {
  readonly twoStacks: boolean;
  /** Segment construct id to its props (tier selector and description). */
  readonly segments: Record<string, { readonly tier: string; readonly description?: string; readonly stableId?: string }>;
  /** VM construct id to its tier. */
  readonly vms: Record<string, string>;
  /** Flows by construct id. */
  readonly flows: Record<string, FlowSpec>;
  /** Ids of the flows declared in stack `team` (two-stack layout); the rest live in `dc`. */
  readonly teamFlows: readonly string[];
  /** Ids of flows of `dc` that stack `team` declares too, under the same identity (`stableId` `dc/<id>`). */
  readonly alsoInTeam?: readonly string[];
  /** Guardrail denies by construct id, all declared in `dc`. */
  readonly denies: Record<string, { readonly from: string; readonly to: string; readonly ports: readonly PortSpecText[] }>;
}

/** A port as text: `tcp/8080`, `tcp/9100-9110`. */
export type PortSpecText = string;

/** One flow: segment ids or `cidr:<cidr>` for its ends. */
export interface FlowSpec {
  readonly from: string;
  readonly to: string;
  readonly ports: readonly PortSpecText[];
  readonly description?: string;
  /** Declared through `Segment.allowFrom` (its construct id then depends on the ports) instead of `new AllowFlow`. */
  readonly viaSegmentMethod?: boolean;
  readonly stableId?: string;
}

/** The estate every change starts from. */
export function baseEstate(twoStacks: boolean): NsxEstateSpec {
  return {
    twoStacks,
    segments: {
      Web: { tier: 'web', description: 'web front ends' },
      Api: { tier: 'api' },
      Db: { tier: 'db' },
    },
    vms: { WebVm1: 'web', WebVm2: 'web', ApiVm: 'api', DbVm: 'db' },
    flows: {
      Internet: { from: 'cidr:198.51.100.0/24', to: 'Web', ports: ['tcp/443'] },
      WebToApi: { from: 'Web', to: 'Api', ports: ['tcp/8080'], description: 'web calls the api' },
      ApiToDb: { from: 'Api', to: 'Db', ports: ['tcp/5432'] },
      Metrics: { from: 'Web', to: 'Api', ports: ['tcp/9100-9110'] },
      AdminSsh: { from: 'cidr:203.0.113.0/24', to: 'Db', ports: ['tcp/22'], viaSegmentMethod: true },
    },
    teamFlows: twoStacks ? ['WebToApi', 'Metrics'] : [],
    denies: { NoTelnet: { from: 'Web', to: 'Db', ports: ['tcp/23'] } },
  };
}

function port(text: PortSpecText): Port {
  const [protocol, range] = text.split('/');
  const [from, to] = range.split('-').map(Number);
  if (protocol === 'tcp') return to === undefined ? Port.tcp(from) : Port.tcpRange(from, to);
  return to === undefined ? Port.udp(from) : Port.udpRange(from, to);
}

/**
 * Builds the estate into a fresh app that keeps its allocations in `allocationFile` (carry the same
 * file from one synthesis to the next, as a project commits it beside cdktf.json).
 */
export function buildEstate(spec: NsxEstateSpec, allocationFile?: string): App {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-change-'));
  const app = new App({ outdir, stackTraces: false, context: allocationFile ? { 'microseg:allocationFile': allocationFile } : {} });
  const dc = nsxStack(app, 'dc');
  new NsxEnforcement(dc, 'Nsx');
  let team: TerraformStack | undefined;
  if (spec.twoStacks) {
    team = new TerraformStack(app, 'team');
    new nsxt.NsxtProvider(team, 'nsxt', { host: 'nsx.example', username: 'u', password: 'p' });
  }
  const segments: Record<string, Segment> = {};
  for (const [id, props] of Object.entries(spec.segments)) {
    segments[id] = new Segment(dc, id, {
      selector: { tier: props.tier },
      ...(props.description ? { description: props.description } : {}),
      ...(props.stableId ? { stableId: props.stableId } : {}),
    });
  }
  for (const [id, tier] of Object.entries(spec.vms)) {
    new Workload(dc, id, { binding: VsphereBinding.virtualMachine(vm(dc, id.toLowerCase())), labels: { tier }, addresses: [`10.0.0.${10 + Object.keys(spec.vms).indexOf(id)}`] });
  }
  const endpoint = (name: string) => (name.startsWith('cidr:') ? Peer.ipv4(name.slice(5)) : segments[name]);
  const declarations = [
    ...Object.keys(spec.flows).map((id) => ({ id, scope: spec.teamFlows.includes(id) ? team! : dc, stableId: spec.flows[id].stableId })),
    ...(spec.alsoInTeam ?? []).map((id) => ({ id, scope: team!, stableId: `dc/${id}` })),
  ];
  for (const { id, scope, stableId } of declarations) {
    const flow = spec.flows[id];
    if (flow.viaSegmentMethod) {
      const to = segments[flow.to];
      to.allowFrom(endpoint(flow.from), ...flow.ports.map(port));
      continue;
    }
    new AllowFlow(scope, id, {
      from: endpoint(flow.from),
      to: endpoint(flow.to),
      ports: flow.ports.map(port),
      ...(flow.description ? { description: flow.description } : {}),
      ...(stableId ? { stableId } : {}),
    });
  }
  for (const [id, deny] of Object.entries(spec.denies)) {
    new DenyFlow(dc, id, { from: endpoint(deny.from), to: endpoint(deny.to), ports: deny.ports.map(port) });
  }
  return app;
}

/** One synthesis of an estate: the stacks' JSON and a verdict function over them. */
export interface NsxSynth {
  readonly stacks: Record<string, SynthesizedStack>;
  allowed(from: string, to: string, port: string): boolean;
}

/** Synthesizes an app and loads it into the evaluator. */
export function synthEstate(app: App): NsxSynth {
  const stacks = synthApp(app);
  const model = loadTerraformStacks(Object.fromEntries(Object.entries(stacks).map(([name, s]) => [name, s.json])));
  return { stacks, allowed: (from, to, p) => evaluate(model, { from, to, port: p }).allowed };
}

/** Attributes whose change replaces the resource (destroy, then create unless create_before_destroy). */
const FORCE_NEW: Record<string, readonly string[]> = {
  nsxt_policy_security_policy_rule: ['policy_path', 'nsx_id'],
  nsxt_policy_group: ['nsx_id', 'domain'],
  nsxt_policy_service: ['nsx_id'],
  nsxt_policy_parent_security_policy: ['nsx_id', 'domain', 'category'],
  nsxt_policy_vm_tags: ['instance_id'],
};

/** A resource that an apply of `after` over `before` destroys (its address is gone) or replaces. */
export interface Disruption {
  /** `stack:type.name`. */
  readonly address: string;
  readonly kind: 'destroyed' | 'replaced';
  readonly createBeforeDestroy: boolean;
  /** Flows of the rules it is, or of the rules that named it in `before` (group or service). */
  readonly flows: readonly string[];
}

/** What the apply of `after` over `before` does to resources that exist in `before`. */
export interface NsxImpact {
  readonly disruptions: readonly Disruption[];
  /** Rules present in both whose sequence_number changed: `stack:type.name` to [before, after]. */
  readonly movedSequences: Record<string, [number, number]>;
  /** Resources created (`stack:type.name`). */
  readonly created: readonly string[];
}

function resources(stacks: Record<string, SynthesizedStack>): Map<string, { type: string; body: any; stack: string; name: string }> {
  const out = new Map<string, { type: string; body: any; stack: string; name: string }>();
  for (const [stack, s] of Object.entries(stacks)) {
    for (const [type, byName] of Object.entries<any>(s.json.resource ?? {})) {
      for (const [name, body] of Object.entries<any>(byName)) out.set(`${stack}:${type}.${name}`, { type, body, stack, name });
    }
  }
  return out;
}

/** Compares two syntheses as Terraform would plan the second over the state of the first. */
export function impactOf(before: NsxSynth, after: NsxSynth): NsxImpact {
  const old = resources(before.stacks);
  const now = resources(after.stacks);
  const disruptions: Disruption[] = [];
  const movedSequences: Record<string, [number, number]> = {};
  const rulesNaming = (r: { type: string; name: string; stack: string }) => {
    const reference = `\${${r.type}.${r.name}.`;
    const remote = `.outputs.cross-stack-output-${r.type}${r.name}`;
    const flows = new Set<string>();
    for (const other of old.values()) {
      if (other.type !== 'nsxt_policy_security_policy_rule') continue;
      const text = JSON.stringify(other.body);
      if (other.stack === r.stack ? text.includes(reference) : text.includes(remote)) for (const f of other.body['//']?.microseg?.flows ?? []) flows.add(f);
    }
    return [...flows].sort();
  };
  for (const [address, r] of old) {
    const next = now.get(address);
    const ownFlows: string[] = r.body['//']?.microseg?.flows ?? [];
    const flows = r.type === 'nsxt_policy_security_policy_rule' ? [...ownFlows].sort() : rulesNaming(r);
    const createBeforeDestroy = r.body.lifecycle?.create_before_destroy === true;
    if (!next) {
      disruptions.push({ address, kind: 'destroyed', createBeforeDestroy, flows });
      continue;
    }
    const forceNew = FORCE_NEW[r.type] ?? [];
    if (forceNew.some((attr) => JSON.stringify(r.body[attr]) !== JSON.stringify(next.body[attr]))) {
      disruptions.push({ address, kind: 'replaced', createBeforeDestroy, flows });
    }
    if (r.type === 'nsxt_policy_security_policy_rule' && r.body.sequence_number !== next.body.sequence_number) {
      movedSequences[address] = [r.body.sequence_number, next.body.sequence_number];
    }
  }
  const created = [...now.keys()].filter((a) => !old.has(a)).sort();
  return { disruptions, movedSequences, created };
}

/** A change of the list in issue 12, applied to an estate spec. */
export interface EstateChange {
  readonly name: string;
  /** Only in the two-stack layout. */
  readonly twoStacksOnly?: boolean;
  /** The estate before the change, from the base estate (default: the base estate). */
  readonly before?: (base: NsxEstateSpec) => NsxEstateSpec;
  /** The estate after the change, from the base estate. */
  readonly after: (base: NsxEstateSpec) => NsxEstateSpec;
}

function withFlow(spec: NsxEstateSpec, id: string, flow: FlowSpec | undefined): NsxEstateSpec {
  const flows = { ...spec.flows };
  if (flow) flows[id] = flow;
  else delete flows[id];
  return { ...spec, flows };
}

function withFlowEdit(spec: NsxEstateSpec, id: string, edit: Partial<FlowSpec>): NsxEstateSpec {
  return withFlow(spec, id, { ...spec.flows[id], ...edit });
}

function withVms(spec: NsxEstateSpec, vms: Record<string, string>): NsxEstateSpec {
  return { ...spec, vms };
}

/** The estate with segment `from` declared under the construct id `to`, keeping its identity: `stableId` is its former path. */
function renameSegment(spec: NsxEstateSpec, from: string, to: string): NsxEstateSpec {
  const rename = (name: string) => (name === from ? to : name);
  const segments = Object.fromEntries(Object.entries(spec.segments).map(([id, props]) => [rename(id), id === from ? { ...props, stableId: `dc/${from}` } : props]));
  const flows = Object.fromEntries(Object.entries(spec.flows).map(([id, f]) => [id, { ...f, from: rename(f.from), to: rename(f.to) }]));
  const denies = Object.fromEntries(Object.entries(spec.denies).map(([id, d]) => [id, { ...d, from: rename(d.from), to: rename(d.to) }]));
  return { ...spec, segments, flows, denies };
}

const adjacentFlow: FlowSpec = { from: 'Web', to: 'Api', ports: ['tcp/8081'] };

/** Every change of the list, each applied alone. */
export const CHANGES: readonly EstateChange[] = [
  { name: 'add a flow', after: (s) => withFlow(s, 'ApiToWeb', { from: 'Api', to: 'Web', ports: ['tcp/8443'] }) },
  { name: 'remove a flow', after: (s) => withFlow(s, 'ApiToDb', undefined) },
  { name: 'add an adjacent port as a second flow', after: (s) => withFlow(s, 'WebToApi8081', adjacentFlow) },
  { name: 'remove an adjacent port declared as a second flow', before: (s) => withFlow(s, 'WebToApi8081', adjacentFlow), after: (s) => s },
  { name: 'add an adjacent port to the same flow', after: (s) => withFlowEdit(s, 'WebToApi', { ports: ['tcp/8080', 'tcp/8081'] }) },
  { name: 'remove an adjacent port of the same flow', before: (s) => withFlowEdit(s, 'WebToApi', { ports: ['tcp/8080', 'tcp/8081'] }), after: (s) => s },
  { name: 'edit a flow\'s ports', after: (s) => withFlowEdit(s, 'WebToApi', { ports: ['tcp/8090'] }) },
  { name: 'widen a range', after: (s) => withFlowEdit(s, 'Metrics', { ports: ['tcp/9100-9120'] }) },
  { name: 'add a workload', after: (s) => withVms(s, { ...s.vms, ApiVm2: 'api' }) },
  { name: 'remove a workload', after: (s) => withVms(s, Object.fromEntries(Object.entries(s.vms).filter(([id]) => id !== 'WebVm2'))) },
  {
    name: 'add a segment',
    after: (s) => withFlow({ ...withVms(s, { ...s.vms, CacheVm: 'cache' }), segments: { ...s.segments, Cache: { tier: 'cache' } } }, 'ApiToCache', { from: 'Api', to: 'Cache', ports: ['tcp/6379'] }),
  },
  { name: 'change a CIDR peer', after: (s) => withFlowEdit(s, 'Internet', { from: 'cidr:192.0.2.0/24' }) },
  { name: 'change a segment\'s description', after: (s) => ({ ...s, segments: { ...s.segments, Web: { ...s.segments.Web, description: 'public web front ends' } } }) },
  { name: 'change a flow\'s description', after: (s) => withFlowEdit(s, 'WebToApi', { description: 'storefront calls the catalogue api' }) },
  { name: 'rename a segment', after: (s) => renameSegment(s, 'Web', 'Frontend') },
  { name: 'declare an existing flow in a second stack', twoStacksOnly: true, after: (s) => ({ ...s, alsoInTeam: ['ApiToDb'] }) },
  {
    name: 'move a flow\'s declaration to another stack',
    twoStacksOnly: true,
    after: (s) => ({ ...withFlowEdit(s, 'ApiToDb', { stableId: 'dc/ApiToDb' }), teamFlows: [...s.teamFlows, 'ApiToDb'] }),
  },
  { name: 'add a DenyFlow', after: (s) => ({ ...s, denies: { ...s.denies, NoApiSsh: { from: 'Web', to: 'Api', ports: ['tcp/22'] } } }) },
];
