import { ADMIN_CIDR, EstateSpec, FlowSpec, Layout, PlatformName, baseEstate, synthesizeEstate } from './estates';
import { SynthesizedVersion, WarningPin, allocationFile, removeAllocationFiles, unsafeChanges } from './impact';
import { changeImpact } from '../../lib/verify/diff/change-impact';
import { evaluate } from '../../lib/verify/evaluate';
import { TerraformModel } from '../../lib/verify/model/terraform-model';

// The change-safety suite of issue 12: a realistic estate per platform, in one stack and as a
// platform stack with two team stacks, and each everyday change applied alone. For every
// (estate, change) the two versions are synthesized (the allocation file of the first carried into
// the second) and compared with the providers' replace-vs-update rules: no traffic that is allowed
// before and after may drop while the change applies, and no apply may fail on a duplicate. Where a
// platform truly cannot avoid it, synthesis must print a warning with a stable id that names the
// flows concerned.

jest.setTimeout(180_000);

/** A flow check on one version: `from` and `to` are workload ids of the platform stack, or CIDRs. */
interface FlowCheck {
  readonly from: string;
  readonly to: string;
  readonly port: string;
  readonly allowed: boolean;
}

/** One change of the list: how it turns the base estate into the "before" and "after" versions, and what it should do. */
interface Change {
  readonly name: string;
  /** The layouts it applies to. @default both */
  readonly layouts?: readonly Layout[];
  /** The "before" version. @default the base estate */
  readonly before?: (spec: EstateSpec) => EstateSpec;
  /** Versions synthesized before "before", in order, with the same allocation file (a program with a history). @default none */
  readonly history?: ReadonlyArray<(spec: EstateSpec) => EstateSpec>;
  /** The "after" version (from the base estate too). */
  readonly after: (spec: EstateSpec) => EstateSpec;
  /** What the change means, checked on "after" (so that a change that does nothing cannot pass). */
  readonly effect: readonly FlowCheck[];
  /**
   * A warning that may explain interrupted flows and rules moving between stacks: each such flow must
   * be named by a warning with this id that also names the two stacks.
   */
  readonly mayWarn?: WarningPin;
}

const withFlows = (spec: EstateSpec, flows: FlowSpec[]): EstateSpec => ({ ...spec, flows });
const editFlow = (spec: EstateSpec, id: string, edit: Partial<FlowSpec>): EstateSpec =>
  withFlows(spec, spec.flows.map((flow) => (flow.id === id ? { ...flow, ...edit } : flow)));
const addFlow = (spec: EstateSpec, flow: FlowSpec): EstateSpec => withFlows(spec, [...spec.flows, flow]);
const teamA = (spec: EstateSpec) => (spec.layout === 'single' ? 'platform' : 'team-a');
const webToApi8081 = (spec: EstateSpec): FlowSpec => ({ id: 'WebToApiAlt', stack: teamA(spec), from: { segment: 'Web' }, to: { segment: 'Api' }, ports: ['tcp/8081'] });
const ADMIN_HOST = '198.51.100.7/32';
/** A second flow asking for WebToApi's very permission, declared next to it. */
const webToApiHealth = (spec: EstateSpec, ports: readonly string[] = ['tcp/8080']): FlowSpec => {
  const webToApi = spec.flows.find((flow) => flow.id === 'WebToApi')!;
  // its identity sorts after WebToApi's ("web-to-api"), so WebToApi's claim holds a rule they share
  return { id: 'WebToApiHealth', stack: webToApi.stack, from: webToApi.from, to: webToApi.to, ports: [...ports], stableId: 'web-to-api-health' };
};
const withoutWebToApi = (spec: EstateSpec): EstateSpec => withFlows(spec, spec.flows.filter((flow) => flow.id !== 'WebToApi'));

const CHANGES: readonly Change[] = [
  {
    name: 'add a flow',
    after: (spec) => addFlow(spec, { id: 'ApiToCache', stack: spec.layout === 'single' ? 'platform' : 'team-b', from: { segment: 'Api' }, to: { segment: 'Db' }, ports: ['tcp/6379'] }),
    effect: [{ from: 'api1', to: 'db1', port: 'tcp/6379', allowed: true }],
  },
  {
    name: 'remove a flow',
    after: (spec) => withFlows(spec, spec.flows.filter((flow) => flow.id !== 'AdminSsh')),
    effect: [{ from: ADMIN_HOST, to: 'api1', port: 'tcp/22', allowed: false }],
  },
  {
    name: 'add an adjacent port as a second flow',
    after: (spec) => addFlow(spec, webToApi8081(spec)),
    effect: [{ from: 'web1', to: 'api1', port: 'tcp/8081', allowed: true }],
  },
  {
    name: 'add an adjacent port as a second port of the flow',
    after: (spec) => editFlow(spec, 'WebToApi', { ports: ['tcp/8080', 'tcp/8081'] }),
    effect: [{ from: 'web1', to: 'api1', port: 'tcp/8081', allowed: true }],
  },
  {
    name: 'remove an adjacent port declared as a second flow',
    before: (spec) => addFlow(spec, webToApi8081(spec)),
    after: (spec) => spec,
    effect: [{ from: 'web1', to: 'api1', port: 'tcp/8081', allowed: false }],
  },
  {
    name: 'remove an adjacent port declared as a second port of the flow',
    before: (spec) => editFlow(spec, 'WebToApi', { ports: ['tcp/8080', 'tcp/8081'] }),
    after: (spec) => spec,
    effect: [{ from: 'web1', to: 'api1', port: 'tcp/8081', allowed: false }],
  },
  {
    name: 'edit a flow\'s ports',
    after: (spec) => editFlow(spec, 'AdminSsh', { ports: ['tcp/2222'] }),
    effect: [{ from: ADMIN_HOST, to: 'api1', port: 'tcp/2222', allowed: true }, { from: ADMIN_HOST, to: 'api1', port: 'tcp/22', allowed: false }],
  },
  {
    name: 'widen a range',
    after: (spec) => editFlow(spec, 'WebMetrics', { ports: ['tcp/9000-9020'] }),
    effect: [{ from: 'web1', to: 'api1', port: 'tcp/9015', allowed: true }],
  },
  {
    name: 'add a workload',
    after: (spec) => ({ ...spec, workloads: [...spec.workloads, { id: 'api2', tier: 'api', labels: { tier: 'api' }, ip: '10.0.2.11' }] }),
    effect: [{ from: 'web1', to: 'api2', port: 'tcp/8080', allowed: true }],
  },
  {
    name: 'remove a workload',
    after: (spec) => ({ ...spec, workloads: spec.workloads.filter((workload) => workload.id !== 'web2') }),
    effect: [{ from: 'web1', to: 'api1', port: 'tcp/8080', allowed: true }],
  },
  {
    name: 'add a segment (selecting workloads already in other segments)',
    after: (spec) => ({ ...spec, segments: { ...spec.segments, Monitoring: { id: 'Monitoring', selector: { monitored: 'true' } } } }),
    effect: [{ from: 'api1', to: 'db1', port: 'tcp/5432', allowed: true }],
  },
  {
    name: 'remove a segment (and the flow that named it)',
    before: (spec) => ({
      ...addFlow(spec, { id: 'Scrape', stack: 'platform', from: { cidr: ADMIN_CIDR }, to: { segment: 'Monitoring' }, ports: ['tcp/9100'] }),
      segments: { ...spec.segments, Monitoring: { id: 'Monitoring', selector: { monitored: 'true' } } },
    }),
    after: (spec) => spec,
    effect: [{ from: ADMIN_HOST, to: 'api1', port: 'tcp/9100', allowed: false }, { from: 'api1', to: 'db1', port: 'tcp/5432', allowed: true }],
  },
  {
    name: 'rename a segment (stableId kept)',
    after: (spec) => ({ ...spec, segments: { ...spec.segments, Api: { ...spec.segments.Api, id: 'Backend' } } }),
    effect: [{ from: 'web1', to: 'api1', port: 'tcp/8080', allowed: true }],
  },
  {
    name: 'change a CIDR peer',
    after: (spec) => editFlow(spec, 'AdminSsh', { from: { cidr: '198.51.100.0/23' } }),
    effect: [{ from: '198.51.101.7/32', to: 'api1', port: 'tcp/22', allowed: true }],
  },
  {
    name: 'change a segment\'s description',
    after: (spec) => ({ ...spec, segments: { ...spec.segments, Db: { ...spec.segments.Db, description: 'PostgreSQL primary and replicas' } } }),
    effect: [{ from: 'api1', to: 'db1', port: 'tcp/5432', allowed: true }],
  },
  {
    name: 'change a flow\'s description',
    after: (spec) => editFlow(spec, 'ApiToDb', { description: 'the api reads and writes orders' }),
    effect: [{ from: 'api1', to: 'db1', port: 'tcp/5432', allowed: true }],
  },
  {
    name: 'add a DenyFlow',
    after: (spec) => ({ ...spec, denies: [...spec.denies, { id: 'NoApiToWebSsh', from: { segment: 'Api' }, to: { segment: 'Web' }, ports: ['tcp/22'] }] }),
    effect: [{ from: 'api1', to: 'web1', port: 'tcp/22', allowed: false }, { from: 'web1', to: 'api1', port: 'tcp/8080', allowed: true }],
  },
  {
    name: 'declare an existing flow in a second stack (named after the first)',
    layouts: ['multi'],
    after: (spec) => addFlow(spec, { id: 'WebToApiToo', stack: 'team-b', from: { segment: 'Web' }, to: { segment: 'Api' }, ports: ['tcp/8080'] }),
    effect: [{ from: 'web1', to: 'api1', port: 'tcp/8080', allowed: true }],
  },
  {
    name: 'declare an existing flow in a second stack (named before the first)',
    layouts: ['multi'],
    after: (spec) => addFlow(spec, { id: 'WebToApiToo', stack: 'platform', from: { segment: 'Web' }, to: { segment: 'Api' }, ports: ['tcp/8080'] }),
    effect: [{ from: 'web1', to: 'api1', port: 'tcp/8080', allowed: true }],
  },
  {
    name: 'remove the first of two flows asking for one permission, then edit the other\'s ports',
    history: [(spec) => addFlow(spec, webToApiHealth(spec))],
    before: (spec) => addFlow(withoutWebToApi(spec), webToApiHealth(spec)),
    after: (spec) => addFlow(withoutWebToApi(spec), webToApiHealth(spec, ['tcp/8080-8081'])),
    effect: [{ from: 'web1', to: 'api1', port: 'tcp/8080', allowed: true }, { from: 'web1', to: 'api1', port: 'tcp/8081', allowed: true }],
  },
  {
    name: 'move a flow\'s declaration to another stack',
    layouts: ['multi'],
    after: (spec) => editFlow(spec, 'WebToApi', { stack: 'team-b' }),
    effect: [{ from: 'web1', to: 'api1', port: 'tcp/8080', allowed: true }],
    mayWarn: { id: /microseg[-:]rule-moves-stack/, names: ['team-a', 'team-b'] },
  },
];

const ESTATES: readonly [PlatformName, Layout][] = [
  ['aws', 'single'], ['aws', 'multi'],
  ['azure', 'single'], ['azure', 'multi'],
  ['nsx', 'single'], ['nsx', 'multi'],
  ['kubernetes', 'single'], ['kubernetes', 'multi'],
  ['gcp', 'single'], ['gcp', 'multi'],
  ['host', 'single'],
];

/** The endpoint name of a workload id (in the platform stack) or a CIDR. */
function endpoint(spec: EstateSpec, name: string): string {
  return name.includes('/') ? name : `${spec.layout === 'single' ? 'shop' : 'platform'}/${name}`;
}

function checkFlows(model: TerraformModel, spec: EstateSpec, checks: readonly FlowCheck[]): string[] {
  return checks.map((check) => {
    const verdict = evaluate(model, { from: endpoint(spec, check.from), to: endpoint(spec, check.to), port: check.port });
    const state = verdict.allowed ? 'allowed' : verdict.denied ? 'denied' : 'partly allowed';
    return `${check.from} -> ${check.to} ${check.port} ${state}`;
  });
}

const expected = (checks: readonly FlowCheck[]) => checks.map((check) => `${check.from} -> ${check.to} ${check.port} ${check.allowed ? 'allowed' : 'denied'}`);

afterAll(removeAllocationFiles);

describe.each(ESTATES)('%s estate, %s-stack layout', (platform, layout) => {
  const base = baseEstate(platform, layout);
  let baseVersion: SynthesizedVersion;
  let baseAllocations: string;

  beforeAll(() => {
    baseAllocations = allocationFile();
    baseVersion = synthesizeEstate(base, baseAllocations);
  });

  test('the base estate allows its flows and denies what its DenyFlow forbids', () => {
    expect(checkFlows(baseVersion.model, base, [
      { from: '203.0.113.9/32', to: 'web1', port: 'tcp/443', allowed: true },
      { from: 'web1', to: 'api1', port: 'tcp/8080', allowed: true },
      { from: 'web2', to: 'api1', port: 'tcp/9005', allowed: true },
      { from: 'api1', to: 'db1', port: 'tcp/5432', allowed: true },
      { from: ADMIN_HOST, to: 'api1', port: 'tcp/22', allowed: true },
      { from: 'web1', to: 'db1', port: 'tcp/22', allowed: false },
      { from: 'web1', to: 'api1', port: 'tcp/8081', allowed: false },
    ])).toEqual(expected([
      { from: '203.0.113.9/32', to: 'web1', port: 'tcp/443', allowed: true },
      { from: 'web1', to: 'api1', port: 'tcp/8080', allowed: true },
      { from: 'web2', to: 'api1', port: 'tcp/9005', allowed: true },
      { from: 'api1', to: 'db1', port: 'tcp/5432', allowed: true },
      { from: ADMIN_HOST, to: 'api1', port: 'tcp/22', allowed: true },
      { from: 'web1', to: 'db1', port: 'tcp/22', allowed: false },
      { from: 'web1', to: 'api1', port: 'tcp/8081', allowed: false },
    ]));
  });

  test('synthesizing the same estate twice gives the same JSON (and nothing to apply)', () => {
    const again = synthesizeEstate(base, allocationFile(baseAllocations));
    const impact = changeImpact(baseVersion.model, again.model);
    expect(impact.stacks).toEqual([]);
  });

  const rows = CHANGES.filter((change) => (change.layouts ?? ['single', 'multi']).includes(layout));
  test.each(rows.map((change) => [change.name, change] as const))('%s: no allowed flow interrupted, no duplicate', (_name, change) => {
    // GIVEN the estate before the change, synthesized (its allocation file kept)
    const beforeSpec = change.before ? change.before(base) : base;
    const allocations = change.before ? allocationFile() : allocationFile(baseAllocations);
    for (const earlier of change.history ?? []) synthesizeEstate(earlier(base), allocations);
    const before = change.before ? synthesizeEstate(beforeSpec, allocations) : baseVersion;
    // WHEN the change is synthesized with the allocation file of the first synthesis
    const afterSpec = change.after(base);
    const after = synthesizeEstate(afterSpec, allocations);
    // THEN it does what it says
    expect(checkFlows(after.model, afterSpec, change.effect)).toEqual(expected(change.effect));
    // AND applying it interrupts no traffic allowed before and after, and fails on no duplicate
    const impact = changeImpact(before.model, after.model);
    expect(unsafeChanges(impact, after.warnings, change.mayWarn)).toEqual({ interrupted: [], duplicates: [] });
  });
});
