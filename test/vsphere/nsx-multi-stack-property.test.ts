import * as fc from 'fast-check';
import { AllowFlow, IFlowEndpoint, NsxEnforcement, Peer, Port, Segment, Workload, VsphereBinding } from '../../lib';
import { cidrContains } from '../../lib/model/cidr';
import { evaluate, loadTerraformStacks } from '../../lib/verify';
import { newApp, synthApp } from '../helpers';
import { nsxStack, vm } from './nsx-fixtures';

// Property (issue 11, items 1 and 2): random estates of two NSX teams (two stacks, two
// enforcements, two policies in one NSX manager), VMs addressed by literals or by Terraform
// expressions, flows declared in either team's stack or in a third one. Synthesis succeeds (no
// dependency cycle) and the evaluator's verdict on the rendered JSON equals the intent: every
// declared flow is allowed, whichever policy NSX evaluates first, and everything else is denied.

const TEAMS = ['team-a', 'team-b'] as const;
const DECLARERS = ['team-a', 'team-b', 'flows'] as const;
const TIERS = ['a', 'b', 'c'];
const CIDRS = ['10.200.0.0/16', '192.168.5.0/24'];
const CIDR_HOSTS = ['10.200.0.7', '192.168.5.7'];

interface WorkloadSpec { team: 0 | 1; tier: string; literal: boolean }
type EndpointSpec = { kind: 'segment' | 'workload' | 'cidr'; index: number };
interface FlowSpec { from: EndpointSpec; to: EndpointSpec; port: number }
interface EstateSpec {
  segments: string[];
  workloads: WorkloadSpec[];
  flows: FlowSpec[];
  declarer: typeof DECLARERS[number];
}

const estateArb: fc.Arbitrary<EstateSpec> = fc.record({
  segments: fc.array(fc.constantFrom(...TIERS), { minLength: 1, maxLength: 3 }),
  workloads: fc.array(
    fc.record({ team: fc.constantFrom(0 as const, 1 as const), tier: fc.constantFrom(...TIERS), literal: fc.boolean() }),
    { minLength: 2, maxLength: 4 },
  ),
  declarer: fc.constantFrom(...DECLARERS),
}).chain((base) => {
  const endpointArb = fc.oneof(
    fc.record({ kind: fc.constant('segment' as const), index: fc.integer({ min: 0, max: base.segments.length - 1 }) }),
    fc.record({ kind: fc.constant('workload' as const), index: fc.integer({ min: 0, max: base.workloads.length - 1 }) }),
    fc.record({ kind: fc.constant('cidr' as const), index: fc.integer({ min: 0, max: CIDRS.length - 1 }) }),
  );
  const flowArb = fc.record({ from: endpointArb, to: endpointArb, port: fc.integer({ min: 1000, max: 1003 }) })
    .filter((f) => !(f.from.kind === 'cidr' && f.to.kind === 'cidr'))
    .filter((f) => !(f.from.kind === 'workload' && f.to.kind === 'workload' && f.from.index === f.to.index));
  return fc.record({
    segments: fc.constant(base.segments),
    workloads: fc.constant(base.workloads),
    declarer: fc.constant(base.declarer),
    flows: fc.array(flowArb, { minLength: 1, maxLength: 5 }),
  });
});

/** What the intent says, from the spec alone. */
function intentAllows(spec: EstateSpec, source: string, destination: string, port: number): boolean {
  const contains = (endpoint: EndpointSpec, host: string) => {
    if (endpoint.kind === 'cidr') return !host.startsWith('W') && cidrContains(CIDRS[endpoint.index], host);
    if (!host.startsWith('W')) return false;
    const w = Number(host.slice(1));
    return endpoint.kind === 'workload' ? endpoint.index === w : spec.segments[endpoint.index] === spec.workloads[w].tier;
  };
  return spec.flows.some((f) => f.port === port && contains(f.from, source) && contains(f.to, destination));
}

function synthesize(spec: EstateSpec) {
  const app = newApp();
  const stacks = Object.fromEntries(DECLARERS.map((id) => [id, nsxStack(app, id)]));
  for (const team of TEAMS) new NsxEnforcement(stacks[team], 'Nsx');
  const segments = spec.segments.map((tier, i) => new Segment(stacks['team-a'], `S${i}`, { selector: { tier } }));
  const workloads = spec.workloads.map((w, i) => {
    const stack = stacks[TEAMS[w.team]];
    const machine = vm(stack, `vm${i}`);
    return new Workload(stack, `W${i}`, {
      binding: VsphereBinding.virtualMachine(machine),
      labels: { tier: w.tier },
      addresses: [w.literal ? `10.60.0.${10 + i}` : machine.defaultIpAddress],
    });
  });
  const endpoint = (e: EndpointSpec): IFlowEndpoint =>
    e.kind === 'segment' ? segments[e.index] : e.kind === 'workload' ? workloads[e.index] : Peer.ipv4(CIDRS[e.index]);
  spec.flows.forEach((flow, i) => new AllowFlow(stacks[spec.declarer], `F${i}`, { from: endpoint(flow.from), to: endpoint(flow.to), ports: [Port.tcp(flow.port)] }));
  const out = synthApp(app);
  return loadTerraformStacks(Object.fromEntries(Object.entries(out).map(([name, s]) => [name, s.json])));
}

describe('property: two NSX teams, flows declared in any one stack', () => {
  test('synthesis succeeds and the evaluator\'s verdict equals the intent', () => {
    fc.assert(fc.property(estateArb, (spec) => {
      const model = synthesize(spec);
      const name = (h: string) => (h.startsWith('W') ? `${TEAMS[spec.workloads[Number(h.slice(1))].team]}/${h}` : h);
      const hosts = [...spec.workloads.map((_, i) => `W${i}`), ...CIDR_HOSTS];
      for (const source of hosts) {
        for (const destination of hosts) {
          if (source === destination || (!source.startsWith('W') && !destination.startsWith('W'))) continue;
          for (const port of [1000, 1001, 1002, 1003]) {
            const expected = intentAllows(spec, source, destination, port);
            const verdict = evaluate(model, { from: name(source), to: name(destination), port: `tcp/${port}` });
            if (verdict.allowed !== expected) {
              throw new Error(`${name(source)} -> ${name(destination)} tcp/${port}: intent ${expected ? 'allows' : 'denies'}, evaluator says ${verdict.allowed ? 'allowed' : 'denied'}\n${JSON.stringify(spec)}`);
            }
          }
        }
      }
    }), { numRuns: Number(process.env.MICROSEG_PROPERTY_RUNS ?? 40), seed: 20261201 });
  });
});
