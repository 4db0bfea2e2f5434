import * as fc from 'fast-check';
import { AllowFlow, AwsEnforcement, DenyFlow, IFlowEndpoint, Peer, Port, Segment, Workload } from '../../lib';
import { evaluate, loadTerraformStacks } from '../../lib/verify';
import { awsStack, instance, newApp, synthApp } from '../helpers';
import { CIDRS, CIDR_HOSTS, EndpointSpec, EstateSpec, FlowSpec, TIERS, estateArb, intentAllows, probesOf, selects } from './random-estate';

// Property: AWS estates with both layers (security groups and network ACLs, one subnet per tier)
// mean what their intent says. Either synthesis refuses the estate for a reason the intent itself
// shows (an AllowFlow a DenyFlow forbids, which security groups cannot express; a deny that would
// also drop the stateless replies of an allowed flow), or the evaluator's verdict on the rendered
// JSON equals the intent for every probe, request and return traffic through both layers.

const SUBNETS = TIERS.map((tier, i) => ({ tier, id: `subnet-${tier}`, cidr: `10.0.${i + 1}.0/24` }));

/** The subnet a host lives in: workloads by tier, CIDR peers in none. */
function subnetOf(spec: EstateSpec, host: string): string | undefined {
  return host.startsWith('W') ? spec.workloads[Number(host.slice(1))].tier : undefined;
}

function hostsOf(spec: EstateSpec, endpoint: EndpointSpec): string[] {
  if (endpoint.kind === 'cidr') return [CIDR_HOSTS[endpoint.index]];
  if (endpoint.kind === 'workload') return [`W${endpoint.index}`];
  return spec.workloads.flatMap((labels, i) => (selects(spec.segments[endpoint.index], labels) ? [`W${i}`] : []));
}

function portsOverlap(a: FlowSpec, b: FlowSpec): boolean {
  if (a.ports.length === 0 || b.ports.length === 0) return true;
  return a.ports.some((p) => b.ports.some((q) => p.protocol === q.protocol && p.from <= q.to && q.from <= p.to));
}

/** Some traffic an AllowFlow allows is forbidden by a DenyFlow: security groups cannot express it. */
function forbiddenAllow(spec: EstateSpec): boolean {
  return spec.flows.some((flow) => spec.denies.some((deny) => portsOverlap(flow, deny)
    && hostsOf(spec, flow.from).some((s) => hostsOf(spec, deny.from).includes(s))
    && hostsOf(spec, flow.to).some((d) => hostsOf(spec, deny.to).includes(d))));
}

/** An all-traffic DenyFlow from an allowed flow's server side to its client side across a subnet boundary drops the replies. */
function droppedReplies(spec: EstateSpec): boolean {
  return spec.flows.some((flow) => spec.denies.some((deny) => deny.ports.length === 0
    && hostsOf(spec, flow.from).some((client) => hostsOf(spec, flow.to).some((server) => subnetOf(spec, client) !== subnetOf(spec, server)
      && hostsOf(spec, deny.from).includes(server) && hostsOf(spec, deny.to).includes(client)))));
}

function synthesize(spec: EstateSpec) {
  const app = newApp();
  const stack = awsStack(app, 'prop');
  const enforcement = new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0prop', networkAcls: true });
  const segments = spec.segments.map((selector, i) => new Segment(stack, `S${i}`, { selector }));
  segments.forEach((segment, i) => {
    const subnet = SUBNETS.find((s) => s.tier === spec.segments[i].tier)!;
    enforcement.addSubnet({ segment, subnetId: subnet.id, cidr: subnet.cidr });
  });
  const workloads = spec.workloads.map((labels, i) => new Workload(stack, `W${i}`, {
    awsInstance: instance(stack, `vm${i}`, { subnetId: SUBNETS.find((s) => s.tier === labels.tier)!.id }),
    labels,
  }));
  const endpoint = (e: EndpointSpec): IFlowEndpoint =>
    e.kind === 'segment' ? segments[e.index] : e.kind === 'workload' ? workloads[e.index] : Peer.ipv4(CIDRS[e.index]);
  const ports = (flow: FlowSpec) => flow.ports.map((p) => (p.protocol === 'tcp' ? Port.tcpRange(p.from, p.to) : Port.udpRange(p.from, p.to)));
  spec.flows.forEach((flow, i) => new AllowFlow(stack, `F${i}`, { from: endpoint(flow.from), to: endpoint(flow.to), ports: ports(flow) }));
  spec.denies.forEach((deny, i) => new DenyFlow(stack, `D${i}`, {
    from: endpoint(deny.from),
    to: endpoint(deny.to),
    ...(deny.ports.length > 0 ? { ports: ports(deny) } : {}),
  }));
  const stacks = synthApp(app);
  return loadTerraformStacks(Object.fromEntries(Object.entries(stacks).map(([name, s]) => [name, s.json])));
}

test('AWS security groups and network ACLs: random estates with guardrails mean their intent', () => {
  // every workload lies in the subnet of its tier, and the subnet is mapped to a segment of that tier
  const shape = { denies: true, fixedSegments: TIERS.map((tier) => ({ tier })) };
  fc.assert(fc.property(estateArb(shape), fc.integer({ min: 999, max: 1012 }), (spec, probePort) => {
    const refusable = forbiddenAllow(spec) || droppedReplies(spec);
    let model;
    try {
      model = synthesize(spec);
    } catch (e) {
      if (refusable) return; // the library refused an intent that neither layer can express
      throw new Error(`synthesis failed for an estate both layers can express: ${(e as Error).message}\n${JSON.stringify(spec)}`);
    }
    if (forbiddenAllow(spec)) {
      throw new Error(`an AllowFlow a DenyFlow forbids synthesized, so security groups would let it through\n${JSON.stringify(spec)}`);
    }
    for (const probe of probesOf(spec, probePort)) {
      const expected = intentAllows(spec, probe.source, probe.destination, probe.protocol, probe.port);
      const name = (h: string) => (h.startsWith('W') ? `prop/${h}` : h);
      const verdict = evaluate(model, { from: name(probe.source), to: name(probe.destination), port: `${probe.protocol}/${probe.port}` });
      if (verdict.allowed !== expected) {
        throw new Error(`${probe.source} -> ${probe.destination} ${probe.protocol}/${probe.port}: intent ${expected ? 'allows' : 'denies'}, evaluator says ${verdict.allowed ? 'allowed' : 'denied'}\n${JSON.stringify(spec)}`);
      }
    }
  }), { numRuns: Number(process.env.MICROSEG_PROPERTY_RUNS ?? 100), seed: 20261201 });
});
