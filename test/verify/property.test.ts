import { TerraformStack } from 'cdktf';
import * as fc from 'fast-check';
import { AllowFlow, AwsEnforcement, AzureEnforcement, DenyFlow, IFlowEndpoint, NsxEnforcement, Peer, Port, Segment, Workload, WorkloadProps } from '../../lib';
import { cidrContains } from '../../lib/private/cidr';
import { evaluate, loadTerraformStacks } from '../../lib/verify';
import { azureStack } from '../azure/azure-fixtures';
import { awsStack, instance, newApp, synthApp } from '../helpers';
import { nsxStack, vm } from '../vsphere/nsx-fixtures';

// Property: for random estates synthesized through the library, the evaluator's verdict on the
// rendered Terraform equals the intent, never more permissive and never less, on every platform.

/** How a platform's estate is set up: a stack with its enforcement, and a workload binding. */
interface PlatformSetup {
  readonly name: string;
  readonly runs: number;
  /** Whether the platform renders real deny rules, so estates may carry DenyFlow guardrails. */
  readonly denies: boolean;
  stack(app: ReturnType<typeof newApp>): { stack: TerraformStack; bind: (id: string, index: number) => Partial<WorkloadProps> };
}

const PLATFORMS: PlatformSetup[] = [
  {
    name: 'AWS security groups',
    runs: 200,
    denies: false,
    stack: (app) => {
      const stack = awsStack(app, 'prop');
      new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0prop' });
      return { stack, bind: (id) => ({ awsInstance: instance(stack, id) }) };
    },
  },
  {
    name: 'Azure NSGs (subnet and NIC level), with guardrail denies',
    runs: 100,
    denies: true,
    stack: (app) => {
      const { stack, rg, subnet, nic } = azureStack(app, 'prop');
      new AzureEnforcement(stack, 'Azure', { resourceGroupName: rg.name, location: rg.location, subnetIds: [subnet.id], nicNsgs: true });
      return { stack, bind: (id, index) => ({ azureNetworkInterface: nic(id, `10.1.1.${10 + index}`) }) };
    },
  },
  {
    name: 'NSX distributed firewall, with guardrail denies',
    runs: 100,
    denies: true,
    stack: (app) => {
      const stack = nsxStack(app, 'prop');
      new NsxEnforcement(stack, 'Nsx');
      return { stack, bind: (id) => ({ vsphereVirtualMachine: vm(stack, id) }) };
    },
  },
];

const TIERS = ['a', 'b', 'c'];
const ENVS = ['prod', 'dev'];
// Outside every address the platforms give workloads (Azure NICs use 10.1.1.x).
const CIDRS = ['10.200.0.0/16', '192.168.5.0/24', '172.16.0.0/12'];
/** One host inside each CIDR peer. */
const CIDR_HOSTS = ['10.200.0.7', '192.168.5.7', '172.16.0.7'];
const OUTSIDE_HOST = '192.0.2.1';

type EndpointSpec = { kind: 'segment' | 'workload' | 'cidr'; index: number };
interface PortSpec { protocol: 'tcp' | 'udp'; from: number; to: number }
interface FlowSpec { from: EndpointSpec; to: EndpointSpec; ports: PortSpec[] }
interface EstateSpec {
  segments: Array<Record<string, string>>;
  workloads: Array<Record<string, string>>;
  flows: FlowSpec[];
  /** DenyFlow guardrails; empty ports mean all traffic. They win over every AllowFlow. */
  denies: FlowSpec[];
}

const selectorArb = fc.record({ tier: fc.constantFrom(...TIERS), env: fc.option(fc.constantFrom(...ENVS), { nil: undefined }) })
  .map((s): Record<string, string> => (s.env ? { tier: s.tier, env: s.env } : { tier: s.tier }));
const labelsArb = fc.record({ tier: fc.constantFrom(...TIERS), env: fc.constantFrom(...ENVS) });
const portArb = fc.record({ protocol: fc.constantFrom('tcp' as const, 'udp' as const), from: fc.integer({ min: 1000, max: 1008 }), width: fc.integer({ min: 0, max: 3 }) })
  .map((p) => ({ protocol: p.protocol, from: p.from, to: p.from + p.width }));

function estateArb(withDenies: boolean): fc.Arbitrary<EstateSpec> {
  return fc.record({
    segments: fc.array(selectorArb, { minLength: 1, maxLength: 4 }),
    workloads: fc.array(labelsArb, { minLength: 2, maxLength: 5 }),
  }).chain((base) => {
    const endpointArb = fc.oneof(
      fc.record({ kind: fc.constant('segment' as const), index: fc.integer({ min: 0, max: base.segments.length - 1 }) }),
      fc.record({ kind: fc.constant('workload' as const), index: fc.integer({ min: 0, max: base.workloads.length - 1 }) }),
      fc.record({ kind: fc.constant('cidr' as const), index: fc.integer({ min: 0, max: CIDRS.length - 1 }) }),
    );
    const portsArb = (minPorts: number) => fc.array(portArb, { minLength: minPorts, maxLength: 2 });
    const flowArb = (minPorts: number) => fc.record({ from: endpointArb, to: endpointArb, ports: portsArb(minPorts) })
      .filter((f) => !(f.from.kind === 'cidr' && f.to.kind === 'cidr'))
      .filter((f) => !(f.from.kind === 'workload' && f.to.kind === 'workload' && f.from.index === f.to.index));
    const flows = fc.array(flowArb(1), { minLength: 1, maxLength: 6 });
    const denies: fc.Arbitrary<FlowSpec[]> = withDenies ? fc.array(flowArb(0), { maxLength: 2 }) : fc.constant([]);
    return fc.record({ segments: fc.constant(base.segments), workloads: fc.constant(base.workloads), flows, denies });
  });
}

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** What the intent says, computed from the spec alone (not from the library or the JSON). */
function intentAllows(spec: EstateSpec, source: string, destination: string, protocol: string, port: number): boolean {
  const contains = (endpoint: EndpointSpec, host: string) => {
    if (endpoint.kind === 'cidr') return !host.startsWith('W') && cidrContains(CIDRS[endpoint.index], host);
    if (!host.startsWith('W')) return false; // workload addresses lie outside every CIDR peer
    const w = Number(host.slice(1));
    if (endpoint.kind === 'workload') return endpoint.index === w;
    return matches(spec.segments[endpoint.index], spec.workloads[w]);
  };
  const covers = (flow: FlowSpec) => contains(flow.from, source) && contains(flow.to, destination)
    && (flow.ports.length === 0 || flow.ports.some((p) => p.protocol === protocol && p.from <= port && port <= p.to));
  return !spec.denies.some(covers) && spec.flows.some(covers);
}

function synthesize(platform: PlatformSetup, spec: EstateSpec) {
  const app = newApp();
  const { stack, bind } = platform.stack(app);
  const segments = spec.segments.map((selector, i) => new Segment(stack, `S${i}`, { selector }));
  const workloads = spec.workloads.map((labels, i) => new Workload(stack, `W${i}`, { ...bind(`vm${i}`, i), labels }));
  const endpoint = (e: EndpointSpec): IFlowEndpoint =>
    e.kind === 'segment' ? segments[e.index] : e.kind === 'workload' ? workloads[e.index] : Peer.ipv4(CIDRS[e.index]);
  spec.flows.forEach((flow, i) => new AllowFlow(stack, `F${i}`, {
    from: endpoint(flow.from),
    to: endpoint(flow.to),
    ports: flow.ports.map((p) => (p.protocol === 'tcp' ? Port.tcpRange(p.from, p.to) : Port.udpRange(p.from, p.to))),
  }));
  spec.denies.forEach((deny, i) => new DenyFlow(stack, `D${i}`, {
    from: endpoint(deny.from),
    to: endpoint(deny.to),
    ...(deny.ports.length > 0 ? { ports: deny.ports.map((p) => (p.protocol === 'tcp' ? Port.tcpRange(p.from, p.to) : Port.udpRange(p.from, p.to))) } : {}),
  }));
  const stacks = synthApp(app);
  return loadTerraformStacks(Object.fromEntries(Object.entries(stacks).map(([name, s]) => [name, s.json])));
}

describe('property: the evaluator\'s verdict on the rendered output equals the intent', () => {
  test.each(PLATFORMS.map((p) => [p.name, p] as const))('%s: random estates, never more permissive, never less', (_name, platform) => {
    fc.assert(fc.property(estateArb(platform.denies), fc.integer({ min: 999, max: 1012 }), (spec, probePort) => {
      const model = synthesize(platform, spec);
      const hosts = [...spec.workloads.map((_, i) => `W${i}`), ...CIDR_HOSTS, OUTSIDE_HOST];
      const ports = new Set<number>([probePort, ...[...spec.flows, ...spec.denies].flatMap((f) => f.ports.flatMap((p) => [p.from, p.to, p.to + 1]))]);
      for (const source of hosts) {
        for (const destination of hosts) {
          if (source === destination) continue;
          if (!source.startsWith('W') && !destination.startsWith('W')) continue; // outside the model
          for (const protocol of ['tcp', 'udp']) {
            for (const port of ports) {
              const expected = intentAllows(spec, source, destination, protocol, port);
              const name = (h: string) => (h.startsWith('W') ? `prop/${h}` : h);
              const verdict = evaluate(model, { from: name(source), to: name(destination), port: `${protocol}/${port}` });
              if (verdict.allowed !== expected) {
                throw new Error(`${source} -> ${destination} ${protocol}/${port}: intent ${expected ? 'allows' : 'denies'}, evaluator says ${verdict.allowed ? 'allowed' : 'denied'}\n${JSON.stringify(spec)}`);
              }
            }
          }
        }
      }
    }), { numRuns: Number(process.env.MICROSEG_PROPERTY_RUNS ?? platform.runs), seed: 20261123 });
  });
});
